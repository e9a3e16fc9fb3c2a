#!/usr/bin/env bash
# deploy/check.sh: static checks of everything under deploy/. Installs nothing.
#
# Needs (Debian package names; the CI script installs them):
#   prometheus         promtool: config, rules, rule unit tests, PromQL parsing
#   kubernetes-client  kubectl kustomize (SKIP when kubectl is missing)
#   yamllint           YAML lint; also brings python3 + python3-yaml, used by deploy/lib/checks.py
# Optional: docker compose / docker-compose (compose file validation by the
# Compose CLI; without it only the structural check runs), shellcheck.
#
# Usage: deploy/check.sh        (from anywhere; exit status 1 if any check fails)
set -uo pipefail

DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$DEPLOY/.." && pwd)"
JAR="$REPO/stream-app/target/frameq.jar"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
# The configuration keys come from the app itself (`frameq config` prints its reference table), so a key
# defined anywhere in the code (FrameqConfig, RouteRestoreConfig, ...) is known here. Build the jar first
# (`mvn -B -q package -DskipTests`); without it the checks that need the keys are skipped.
CONFIG_REFERENCE=""
if [ -f "$JAR" ] && command -v java >/dev/null 2>&1 && java -jar "$JAR" config >"$TMP/config-reference.md" 2>"$TMP/config-err"; then
  CONFIG_REFERENCE="$TMP/config-reference.md"
fi

passed=()
failed=()
skipped=()

section() { printf '\n== %s\n' "$1"; }
pass() { echo "PASS $1"; passed+=("$1"); }
fail() { echo "FAIL $1"; failed+=("$1"); }
skip() { echo "SKIP $1: $2"; skipped+=("$1"); }

# step NAME COMMAND...: runs COMMAND, shows its output indented, records the result.
step() {
  local name="$1"
  shift
  section "$name"
  echo "\$ $*" | sed "s|$REPO/||g"
  if "$@" >"$TMP/out" 2>&1; then
    sed 's/^/    /' "$TMP/out"
    pass "$name"
  else
    sed 's/^/    /' "$TMP/out"
    fail "$name"
  fi
}

have() { command -v "$1" >/dev/null 2>&1; }

# A python3 that has PyYAML (python3-yaml comes with Debian's yamllint).
PYTHON=""
for candidate in python3 /usr/bin/python3; do
  if have "$candidate" && "$candidate" -c 'import yaml' >/dev/null 2>&1; then
    PYTHON="$candidate"
    break
  fi
done
checks_py() { "$PYTHON" "$DEPLOY/lib/checks.py" "$@"; }

missing_tool() { # NAME TOOL PACKAGE
  section "$1"
  echo "    $2 not found (Debian package: $3)"
  fail "$1"
}

echo "FrameQ deploy checks in $DEPLOY"

# ------------------------------------------------------------------ Prometheus
if have promtool; then
  echo "promtool: $(promtool --version 2>&1 | head -n 1)"
  step "promtool check config prometheus/prometheus.yml" \
    promtool check config "$DEPLOY/prometheus/prometheus.yml"
  step "promtool check rules prometheus/rules/frameq-alerts.yml" \
    promtool check rules "$DEPLOY/prometheus/rules/frameq-alerts.yml"
  # promtool resolves rule_files relative to the test file.
  step "promtool test rules prometheus/rules/frameq-alerts.test.yml" \
    promtool test rules "$DEPLOY/prometheus/rules/frameq-alerts.test.yml"
else
  missing_tool "promtool (config, rules, rule tests)" promtool prometheus
fi

if [ -n "$PYTHON" ]; then
  step "alert/recording rules read only known series" \
    checks_py rule-names "$DEPLOY/prometheus/rules/frameq-alerts.yml" \
    "$DEPLOY/grafana/exported-metrics.txt" "$DEPLOY/prometheus/external-metrics.txt"
fi
step "k8s PrometheusRule in sync with the rules file" \
  "$DEPLOY/prometheus/sync-prometheusrule.sh" --check

# ------------------------------------------------------------------ Grafana
if [ -n "$PYTHON" ]; then
  step "Grafana dashboards: structure, variables, metric names vs grafana/exported-metrics.txt" \
    checks_py dashboards "$DEPLOY/grafana/exported-metrics.txt" "$TMP/dashboard-queries.yml" \
    "$DEPLOY"/grafana/dashboards/*.json
  if have promtool && [ -s "$TMP/dashboard-queries.yml" ]; then
    # promtool has no bare expression parser: every panel and variable query
    # becomes a recording rule (Grafana variables substituted) and is parsed.
    section "Grafana panel queries parse (promtool check rules)"
    echo "    $(grep -c 'record:' "$TMP/dashboard-queries.yml") queries"
    if promtool check rules "$TMP/dashboard-queries.yml" >"$TMP/out" 2>&1; then
      sed 's/^/    /' "$TMP/out" | sed "s|$TMP/||"
      pass "Grafana panel queries parse"
    else
      sed 's/^/    /' "$TMP/out" | sed "s|$TMP/||"
      fail "Grafana panel queries parse"
    fi
  fi
  step "Grafana provisioning: datasource and dashboard provider" \
    checks_py provisioning "$DEPLOY/grafana/provisioning/datasources/prometheus.yml" \
    "$DEPLOY/grafana/provisioning/dashboards/frameq.yml" "$DEPLOY/compose/docker-compose.yml"
else
  missing_tool "Grafana dashboards and rule names (python3 with PyYAML)" "python3 + yaml" "yamllint (pulls python3-yaml)"
fi

# ------------------------------------------------------------------ Kubernetes
if have kubectl; then
  kver="$(kubectl version --client 2>/dev/null | tr '\n' ' ')"
  echo
  echo "kubectl: ${kver:-unknown version}"
  for overlay in "$DEPLOY"/k8s/overlays/*/; do
    name="$(basename "$overlay")"
    section "kubectl kustomize k8s/overlays/$name"
    if kubectl kustomize "$overlay" >"$TMP/rendered-$name.yaml" 2>"$TMP/err"; then
      # kustomize v5 warns about the v2-compatible fields (see k8s/base/kustomization.yaml).
      if grep -q 'is deprecated' "$TMP/err"; then
        echo "    (kustomize deprecation warnings for bases/patchesStrategicMerge: expected, see k8s/base/kustomization.yaml)"
      fi
      grep -v 'is deprecated' "$TMP/err" | sed 's/^/    /'
      echo "    rendered: $(grep -E '^kind:' "$TMP/rendered-$name.yaml" | sed 's/kind: //' | sort | uniq -c | awk '{printf "%s%s x%s", sep, $2, $1; sep=", "}')"
      pass "kubectl kustomize k8s/overlays/$name"
      if [ -n "$PYTHON" ]; then
        if [ -n "$CONFIG_REFERENCE" ]; then
          step "rendered k8s/overlays/$name: probes, config keys, KEDA, selectors, GPU" \
            checks_py k8s "$TMP/rendered-$name.yaml" "$name" "$CONFIG_REFERENCE"
        else
          skip "rendered k8s/overlays/$name checks" "no configuration reference ($JAR not built?)"
        fi
      fi
    else
      sed 's/^/    /' "$TMP/err"
      fail "kubectl kustomize k8s/overlays/$name"
    fi
  done
else
  section "kubectl kustomize"
  skip "kubectl kustomize k8s/overlays/*" "kubectl not installed (Debian package: kubernetes-client)"
fi

# ------------------------------------------------------------------ Compose
compose_file="$DEPLOY/compose/docker-compose.yml"
if have docker && docker compose version >/dev/null 2>&1; then
  step "docker compose config (compose/docker-compose.yml)" docker compose -f "$compose_file" config -q
elif have docker-compose; then
  step "docker-compose config (compose/docker-compose.yml)" docker-compose -f "$compose_file" config -q
else
  section "docker compose config"
  skip "docker compose config" "neither the docker compose plugin nor docker-compose is installed; structural check only"
fi
if [ -n "$PYTHON" ] && [ -n "$CONFIG_REFERENCE" ]; then
  step "compose structure: services, mounts, build context, FrameQ env keys" \
    checks_py compose "$compose_file" "$CONFIG_REFERENCE"
elif [ -n "$PYTHON" ]; then
  skip "compose structure" "no configuration reference ($JAR not built?)"
fi
kafka_init_parses() { # COMPOSE_FILE: the kafka-init command (compose's $$ unescaped) is valid bash
  "$PYTHON" -c 'import sys, yaml
cmd = yaml.safe_load(open(sys.argv[1]))["services"]["kafka-init"]["command"][0]
print(cmd.replace("$$", "$"))' "$1" >"$TMP/kafka-init.sh" || return 1
  bash -n "$TMP/kafka-init.sh" && echo "kafka-init command parses ($(wc -l <"$TMP/kafka-init.sh") lines)"
}
if [ -n "$PYTHON" ]; then
  step "compose kafka-init script: bash -n" kafka_init_parses "$compose_file"
fi

# ------------------------------------------------------------------ YAML lint
if have yamllint; then
  step "yamllint -c .yamllint deploy/" yamllint -f parsable -c "$DEPLOY/.yamllint" "$DEPLOY"
else
  missing_tool "yamllint" yamllint yamllint
fi

# ------------------------------------------------------------------ Dockerfiles
# hadolint is not available: a few grep-level rules instead.
dockerfile_checks() { # DOCKERFILE
  local src="$1" f="$TMP/dockerfile.joined" rc=0 line image stage var default user
  local -a stages=()
  # Logical lines: join backslash continuations.
  sed -e ':a' -e '/\\$/N; s/\\\n[[:space:]]*/ /; ta' "$src" >"$f"
  while read -r line; do
    # FROM [--platform=...] image [AS name]
    read -r -a words <<<"$line"
    local i=1
    [[ "${words[1]:-}" == --platform=* ]] && i=2
    image="${words[$i]:-}"
    stage="${words[$((i + 2))]:-}"
    if [[ "$image" =~ ^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$ ]]; then
      var="${BASH_REMATCH[1]}"
      default="$(sed -n "s/^ARG ${var}=//p" "$f" | head -n 1)"
      if [ -z "$default" ]; then
        echo "FROM $image: ARG $var has no default"
        rc=1
      fi
      image="$default"
    fi
    if [ "${#stages[@]}" -gt 0 ] && printf '%s\n' "${stages[@]}" | grep -qx -- "$image"; then
      echo "FROM $image (earlier stage)"
    elif [[ "$image" == *@sha256:* ]]; then
      echo "FROM $image (digest)"
    elif [[ "${image##*/}" != *:* ]]; then
      echo "FROM $image: no tag (implicitly latest)"
      rc=1
    elif [[ "$image" == *:latest ]]; then
      echo "FROM $image: latest tag"
      rc=1
    else
      echo "FROM $image: explicit tag"
    fi
    [ -n "$stage" ] && stages+=("$stage")
  done < <(grep -iE '^FROM[[:space:]]' "$f")
  user="$(grep -iE '^USER[[:space:]]' "$f" | tail -n 1 | awk '{print $2}')"
  case "${user%%:*}" in
    "") echo "no USER instruction (runs as root)"; rc=1 ;;
    root | 0) echo "last USER is root"; rc=1 ;;
    *) echo "USER ${user} (non-root)" ;;
  esac
  if grep -qiE '^HEALTHCHECK[[:space:]]+(--[a-z-]+=[^ ]+[[:space:]]+)*CMD' "$f"; then
    echo "HEALTHCHECK: $(grep -iE '^HEALTHCHECK' "$f" | head -n 1)"
    if ! grep -iE '^HEALTHCHECK' "$f" | grep -q '/healthz'; then
      echo "HEALTHCHECK does not hit /healthz"
      rc=1
    fi
  else
    echo "no HEALTHCHECK ... CMD"
    rc=1
  fi
  if grep -qE '^EXPOSE[[:space:]]+9400' "$f"; then echo "EXPOSE 9400"; else echo "no EXPOSE 9400"; rc=1; fi
  if grep -q 'apt-get install' "$f"; then
    if grep 'apt-get install' "$f" | grep -vq -- '--no-install-recommends'; then
      echo "apt-get install without --no-install-recommends"
      rc=1
    fi
    if ! grep -q 'rm -rf /var/lib/apt/lists' "$f"; then
      echo "apt lists not removed"
      rc=1
    fi
  fi
  if grep -qiE '^ADD[[:space:]]' "$f"; then echo "ADD used (prefer COPY)"; rc=1; fi
  return "$rc"
}
for df in "$DEPLOY"/docker/Dockerfile.*; do
  case "$df" in *.dockerignore) continue ;; esac
  step "Dockerfile lint: docker/$(basename "$df")" dockerfile_checks "$df"
done
dockerignore_copies() { # DIR: BuildKit reads <Dockerfile>.dockerignore; keep the copies identical
  local rc=0 f
  for f in "$1"/Dockerfile.cpu.dockerignore "$1"/Dockerfile.gpu.dockerignore; do
    if cmp -s "$1/.dockerignore" "$f"; then
      echo "$(basename "$f") == .dockerignore"
    else
      echo "$(basename "$f") differs from .dockerignore (or is missing)"
      rc=1
    fi
  done
  return "$rc"
}
step "docker/.dockerignore copies next to each Dockerfile are identical" dockerignore_copies "$DEPLOY/docker"

# ------------------------------------------------------------------ shell
if have shellcheck; then
  step "shellcheck deploy scripts" shellcheck "$DEPLOY/check.sh" "$DEPLOY/prometheus/sync-prometheusrule.sh"
else
  section "shellcheck"
  skip "shellcheck deploy scripts" "shellcheck not installed"
fi

# ------------------------------------------------------------------ summary
echo
echo "== Summary: ${#passed[@]} passed, ${#failed[@]} failed, ${#skipped[@]} skipped"
for s in "${skipped[@]}"; do echo "  SKIP $s"; done
for f in "${failed[@]}"; do echo "  FAIL $f"; done
[ "${#failed[@]}" -eq 0 ]
