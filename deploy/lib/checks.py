#!/usr/bin/env python3
"""Checks behind deploy/check.sh that need more than grep: PromQL metric names,
Grafana dashboards, rendered Kubernetes manifests, the compose file and FrameQ's
configuration keys. Standard library plus PyYAML (python3-yaml, which Debian's
yamllint package pulls in).

Each subcommand prints what it checked and exits 1 on any problem:

  checks.py rule-names RULES_FILE EXPORTED_LIST EXTERNAL_LIST
  checks.py dashboards EXPORTED_LIST OUT_RULES_FILE DASHBOARD.json...
  checks.py k8s RENDERED_YAML OVERLAY_NAME FRAMEQ_CONFIG_REFERENCE
  checks.py compose COMPOSE_FILE FRAMEQ_CONFIG_REFERENCE
  checks.py provisioning DATASOURCES_YML DASHBOARDS_YML COMPOSE_FILE
"""

import json
import os
import re
import sys

import yaml

# --------------------------------------------------------------------------
# PromQL: which metric names does an expression read?
#
# promtool has no bare expression parser, so parsing proper is left to
# `promtool check rules` (check.sh wraps expressions into a rules file). This
# tokenizer only has to find the metric names of a *valid* expression: every
# identifier that is not a keyword, a function or aggregation (followed by
# "("), a label name (inside {...} or a by/without/on/ignoring/group_x list)
# or part of a duration or number.

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)
  | (?P<dur>(?:\d+(?:ms|[smhdwy]))+(?![\w:]))
  | (?P<num>0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|(?i:inf|nan)(?![\w:]))
  | (?P<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)
  | (?P<punct>=~|!~|!=|==|<=|>=|[-+*/%^(){}\[\],=<>@!~])
""", re.X)

_AGGREGATIONS = {"sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
                 "bottomk", "topk", "quantile", "limitk", "limit_ratio"}
_LABEL_LISTS = {"by", "without", "on", "ignoring", "group_left", "group_right"}
_KEYWORDS = {"and", "or", "unless", "offset", "bool", "atan2"}


class PromQLError(ValueError):
    pass


def _tokens(expr):
    pos, out = 0, []
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if not m:
            raise PromQLError(f"cannot tokenize at {expr[pos:pos + 20]!r}")
        pos = m.end()
        kind = m.lastgroup
        if kind not in ("ws", "comment"):
            out.append((kind, m.group()))
    return out


def metric_names(expr):
    """The metric names an expression selects (set)."""
    toks = _tokens(expr)
    names = set()
    i = 0
    depth_brace = depth_bracket = 0
    while i < len(toks):
        kind, text = toks[i]
        nxt = toks[i + 1][1] if i + 1 < len(toks) else None
        if text == "{":
            depth_brace += 1
        elif text == "}":
            depth_brace -= 1
        elif text == "[":
            depth_bracket += 1
        elif text == "]":
            depth_bracket -= 1
        elif depth_brace or depth_bracket:
            if kind == "ident" and text == "__name__":
                raise PromQLError("selecting by __name__ is not supported by this check: name the metric")
        elif kind == "ident":
            low = text.lower()
            if low in _LABEL_LISTS:
                if nxt == "(":
                    depth, i = 0, i + 1
                    while i < len(toks):
                        if toks[i][1] == "(":
                            depth += 1
                        elif toks[i][1] == ")":
                            depth -= 1
                            if depth == 0:
                                break
                        i += 1
            elif low in _AGGREGATIONS or low in _KEYWORDS or nxt == "(":
                pass
            else:
                names.add(text)
        i += 1
    if depth_brace or depth_bracket:
        raise PromQLError("unbalanced braces or brackets")
    return names


def read_list(path):
    with open(path, encoding="utf-8") as f:
        return {line.strip() for line in f if line.strip() and not line.lstrip().startswith("#")}


class Report:
    def __init__(self):
        self.errors = 0

    def fail(self, msg):
        self.errors += 1
        print(f"  FAIL {msg}")

    def ok(self, msg):
        print(f"  ok   {msg}")

    def exit(self):
        sys.exit(1 if self.errors else 0)


# --------------------------------------------------------------------------
# rule-names: every series an alert/recording rule reads is exported by FrameQ,
# recorded by a rule, or listed as external (scrape-generated or another exporter).

def cmd_rule_names(rules_file, exported_file, external_file):
    r = Report()
    exported, external = read_list(exported_file), read_list(external_file)
    with open(rules_file, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    rules = [rule for g in doc["groups"] for rule in g["rules"]]
    recorded = {rule["record"] for rule in rules if "record" in rule}
    for rule in rules:
        what = rule.get("alert") or rule.get("record")
        try:
            names = metric_names(rule["expr"])
        except PromQLError as e:
            r.fail(f"{what}: {e}")
            continue
        unknown = sorted(n for n in names if n not in exported | recorded | external)
        if unknown:
            r.fail(f"{what}: unknown series {', '.join(unknown)} "
                   f"(not in {os.path.basename(exported_file)}, not recorded, not in {os.path.basename(external_file)})")
        else:
            r.ok(f"{what}: {', '.join(sorted(names))}")
    r.exit()


# --------------------------------------------------------------------------
# dashboards

_BUILTINS = {
    "__rate_interval": "5m", "__interval": "1m", "__range": "1h",
    "__interval_ms": "60000", "__range_s": "3600", "__range_ms": "3600000",
}
_VAR = re.compile(r"\$\{([A-Za-z0-9_]+)(?::[a-z]+)?\}|\$([A-Za-z_][A-Za-z0-9_]*)|\[\[([A-Za-z0-9_]+)\]\]")


def substitute(expr, variables):
    """Replaces Grafana variables by something PromQL accepts in their place."""
    unknown = []

    def repl(m):
        name = m.group(1) or m.group(2) or m.group(3)
        if name in _BUILTINS:
            return _BUILTINS[name]
        if name in variables:
            return ".+"
        unknown.append(name)
        return m.group(0)

    out = _VAR.sub(repl, expr)
    return out, unknown


def _panels(panels):
    for p in panels:
        yield p
        yield from _panels(p.get("panels", []))


def cmd_dashboards(exported_file, out_rules, files):
    r = Report()
    exported = read_list(exported_file)
    uids, records = {}, []
    for path in files:
        name = os.path.basename(path)
        try:
            with open(path, encoding="utf-8") as f:
                d = json.load(f)
        except (OSError, ValueError) as e:
            r.fail(f"{name}: not valid JSON: {e}")
            continue
        uid = d.get("uid")
        if not uid or not d.get("title"):
            r.fail(f"{name}: dashboard needs a uid and a title")
            continue
        if uid in uids:
            r.fail(f"{name}: uid {uid} also used by {uids[uid]}")
        uids[uid] = name
        templ = d.get("templating", {}).get("list", [])
        variables = {v["name"] for v in templ}
        exprs = []  # (where, expr)
        for v in templ:
            if v.get("type") != "query":
                continue
            q = v.get("query")
            q = q.get("query", "") if isinstance(q, dict) else (q or "")
            m = re.fullmatch(r"\s*label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)\s*", q, re.S)
            m2 = re.fullmatch(r"\s*query_result\((.*)\)\s*", q, re.S)
            if m:
                exprs.append((f"variable ${v['name']}", m.group(1)))
            elif m2:
                exprs.append((f"variable ${v['name']}", m2.group(1)))
            elif not re.fullmatch(r"\s*label_(names|values)\(\s*[A-Za-z_0-9]*\s*\)\s*", q):
                r.fail(f"{name}: variable ${v['name']}: unsupported query {q!r}")
        ids = set()
        n_targets = 0
        for p in _panels(d.get("panels", [])):
            pid = p.get("id")
            if pid in ids:
                r.fail(f"{name}: duplicate panel id {pid}")
            ids.add(pid)
            if p.get("type") == "row":
                continue
            targets = p.get("targets", [])
            if not targets:
                r.fail(f"{name}: panel {pid} {p.get('title')!r} has no query")
            for t in targets:
                if "expr" not in t:
                    r.fail(f"{name}: panel {pid} {p.get('title')!r} target {t.get('refId')} has no PromQL expr")
                    continue
                ds = t.get("datasource") or p.get("datasource") or {}
                if ds.get("type") not in (None, "prometheus"):
                    r.fail(f"{name}: panel {pid}: datasource {ds} is not Prometheus")
                n_targets += 1
                exprs.append((f"panel {pid} {p.get('title')!r} {t.get('refId')}", t["expr"]))
        bad = 0
        for where, expr in exprs:
            promql, unknown_vars = substitute(expr, variables)
            if unknown_vars:
                r.fail(f"{name}: {where}: undefined variable(s) {', '.join(sorted(set(unknown_vars)))}")
                bad += 1
                continue
            try:
                names = metric_names(promql)
            except PromQLError as e:
                r.fail(f"{name}: {where}: {e}")
                bad += 1
                continue
            unknown = sorted(names - exported)
            if unknown:
                r.fail(f"{name}: {where}: metric(s) not exported by FrameQ: {', '.join(unknown)}")
                bad += 1
            rec = re.sub(r"[^a-zA-Z0-9_]", "_", f"{uid}_{len(records)}")
            records.append({"record": f"grafana_check:{rec}", "expr": promql,
                            "labels": {"where": f"{name}: {where}"}})
        r.ok(f"{name}: {len(ids)} panels, {n_targets} queries, {len(exprs) - n_targets} variable queries; "
             f"{len(exprs) - bad} use only exported metrics")
    with open(out_rules, "w", encoding="utf-8") as f:
        # One group per expression: promtool names the failing group.
        groups = [{"name": rec["labels"]["where"], "rules": [{"record": rec["record"], "expr": rec["expr"]}]}
                  for rec in records]
        yaml.safe_dump({"groups": groups}, f, sort_keys=False, width=10000)
    r.exit()


# --------------------------------------------------------------------------
# FrameQ configuration keys (from the app's ConfigDef) and Java properties

def config_keys(reference_file):
    """The keys of the app's configuration reference, as `frameq config` prints it (a markdown table)."""
    with open(reference_file, encoding="utf-8") as f:
        keys = set(re.findall(r"^\| `([a-z0-9.\-]+)` \|", f.read(), flags=re.M))
    if len(keys) < 5:
        raise SystemExit(f"could not read the configuration keys from {reference_file} "
                         "(expected the table `frameq config` prints)")
    return keys


def load_properties(text):
    """java.util.Properties.load semantics: comments, continuations, escapes, separators."""
    props = {}
    logical, buf = [], ""
    for raw in text.splitlines():
        line = raw.lstrip() if not buf else raw.lstrip()
        if not buf and (not line or line[0] in "#!"):
            continue
        # An odd number of trailing backslashes continues the line.
        trailing = len(line) - len(line.rstrip("\\"))
        if trailing % 2 == 1:
            buf += line[:-1]
            continue
        logical.append(buf + line)
        buf = ""
    if buf:
        logical.append(buf)

    def unescape(s):
        out, i = [], 0
        while i < len(s):
            c = s[i]
            if c == "\\" and i + 1 < len(s):
                n = s[i + 1]
                out.append({"t": "\t", "n": "\n", "r": "\r", "f": "\f"}.get(n, n))
                i += 2
            else:
                out.append(c)
                i += 1
        return "".join(out)

    for line in logical:
        i = 0
        while i < len(line):
            if line[i] == "\\":
                i += 2
                continue
            if line[i] in "=: \t\f":
                break
            i += 1
        key, rest = line[:i], line[i:]
        rest = rest.lstrip(" \t\f")
        if rest[:1] in ("=", ":"):
            rest = rest[1:].lstrip(" \t\f")
        props[unescape(key)] = unescape(rest)
    return props


def env_key(var):
    """FRAMEQ_SCORES_TOPIC -> scores.topic (FrameqConfig.fromEnv)."""
    return var[len("FRAMEQ_"):].lower().replace("_", ".")


def check_keys(r, where, keys, known):
    for k in sorted(keys):
        if k in known or k.startswith("kafka."):
            continue
        r.fail(f"{where}: {k!r} is not a FrameQ configuration key (FrameQ stops on unknown keys)")


def check_pattern(r, where, pattern):
    try:
        rx = re.compile(pattern)
    except re.error as e:
        r.fail(f"{where}: input.pattern {pattern!r} is not a valid regex: {e}")
        return
    good = ["frameq.frames.site-a", "frameq.frames.cam_01"]
    bad = ["frameq.scores", "frameq.dlq", "frameqXframesXsite"]
    if all(rx.fullmatch(t) for t in good) and not any(rx.fullmatch(t) for t in bad):
        r.ok(f"{where}: input.pattern {pattern!r} matches frame topics only")
    else:
        r.fail(f"{where}: input.pattern {pattern!r} should match {good} and none of {bad} "
               "(a backslash lost to properties or YAML escaping?)")


# --------------------------------------------------------------------------
# k8s: one rendered overlay

CAPACITY = "frameq.io/capacity-frames-per-second"
CAPACITY_CORES = "frameq.io/capacity-cores"
LAG_SECONDS = "frameq.io/lag-seconds-per-replica"
FLEET_FPS = "frameq.io/fleet-frames-per-second"


def _number(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _cores(q):
    """A Kubernetes CPU quantity ("2", "1500m", 2) in cores; None when it is not one."""
    if isinstance(q, str) and q.endswith("m"):
        n = _number(q[:-1])
        return None if n is None else n / 1000
    return _number(q)


def check_scaling(r, overlay, so, container):
    """The ScaledObject's numbers: replica range, thresholds that KEDA parses, a CPU trigger only with a CPU
    request, and, when the overlay states the measured capacity it was sized from (annotations), that
    lagThreshold and maxReplicaCount follow from it."""
    spec = so["spec"]
    lo, hi = spec.get("minReplicaCount", 0), spec.get("maxReplicaCount", 100)
    if not (isinstance(lo, int) and isinstance(hi, int) and 0 <= lo <= hi):
        r.fail(f"{overlay}: ScaledObject replicas {lo!r}..{hi!r}: expected whole numbers, min <= max")
    triggers = spec.get("triggers", [])
    for t in triggers:
        if t.get("type") not in ("kafka", "cpu"):
            r.fail(f"{overlay}: ScaledObject trigger type {t.get('type')!r}: expected kafka or cpu")
    kafka = [t for t in triggers if t.get("type") == "kafka"]
    for t in kafka:
        lag = t.get("metadata", {}).get("lagThreshold")
        if not (isinstance(lag, str) and lag.isdigit() and int(lag) > 0):
            r.fail(f"{overlay}: kafka lagThreshold {lag!r}: expected a quoted whole number above 0 (KEDA reads strings)")
    requests = container.get("resources", {}).get("requests", {})
    for t in (t for t in triggers if t.get("type") == "cpu"):
        mtype = t.get("metricType")
        value = _number(t.get("metadata", {}).get("value"))
        if mtype not in ("Utilization", "AverageValue"):
            r.fail(f"{overlay}: cpu trigger metricType {mtype!r}: expected Utilization or AverageValue")
        elif value is None or not isinstance(t["metadata"]["value"], str):
            r.fail(f"{overlay}: cpu trigger value {t.get('metadata', {}).get('value')!r}: expected a quoted number")
        elif mtype == "Utilization" and not 0 < value <= 100:
            r.fail(f"{overlay}: cpu trigger Utilization {value:g}: expected a percentage of the request, 1..100")
        elif mtype == "Utilization" and _cores(requests.get("cpu")) is None:
            r.fail(f"{overlay}: cpu trigger on Utilization, but the container requests no CPU (the HPA divides by it)")
        else:
            r.ok(f"{overlay}: cpu trigger: {mtype} {value:g} of {requests.get('cpu')} cores requested")
    ann = so["metadata"].get("annotations", {}) or {}
    stated = [k for k in (CAPACITY, CAPACITY_CORES, LAG_SECONDS, FLEET_FPS) if k in ann]
    if not stated:
        return
    if len(stated) < 4:
        r.fail(f"{overlay}: ScaledObject states {', '.join(stated)} but not all of {CAPACITY}, {CAPACITY_CORES}, "
               f"{LAG_SECONDS}, {FLEET_FPS}")
        return
    cap, cores, secs, fleet = (_number(ann[k]) for k in (CAPACITY, CAPACITY_CORES, LAG_SECONDS, FLEET_FPS))
    if None in (cap, cores, secs, fleet) or min(cap, cores, secs, fleet) <= 0:
        r.fail(f"{overlay}: capacity annotations must be numbers above 0, got {[ann[k] for k in stated]}")
        return
    if _cores(requests.get("cpu")) != cores:
        r.fail(f"{overlay}: capacity measured on {cores:g} cores, but the container requests {requests.get('cpu')!r}")
    for t in kafka:
        lag = t["metadata"].get("lagThreshold")
        want = round(cap * secs)
        if lag != str(want):
            r.fail(f"{overlay}: lagThreshold {lag!r}: expected {want} = {cap:g} frames/s per replica x {secs:g} s")
    need = -(-fleet // cap)  # ceil
    if isinstance(hi, int) and hi < need:
        r.fail(f"{overlay}: maxReplicaCount {hi} < {need:.0f} replicas the fleet needs ({fleet:g} frames/s / {cap:g} per replica)")
    if not r.errors:
        r.ok(f"{overlay}: sized from {cap:g} frames/s per {cores:g}-core replica: lagThreshold = {secs:g} s of it, "
             f"maxReplicaCount {hi} >= {need:.0f} for {fleet:g} frames/s")


def cmd_k8s(rendered, overlay, reference_file):
    r = Report()
    known = config_keys(reference_file)
    with open(rendered, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d)
    for kind in ("Deployment", "ConfigMap", "Service", "PodDisruptionBudget", "ScaledObject", "PodMonitor",
                 "PrometheusRule"):
        if kind not in by_kind:
            r.fail(f"{overlay}: no {kind} rendered")
    if r.errors:
        r.exit()
    dep = by_kind["Deployment"][0]
    pod = dep["spec"]["template"]["spec"]
    pod_labels = dep["spec"]["template"]["metadata"]["labels"]
    c = pod["containers"][0]

    if "replicas" in dep["spec"]:
        r.fail(f"{overlay}: Deployment sets replicas, but KEDA owns the replica count")
    if pod.get("enableServiceLinks") is not False:
        r.fail(f"{overlay}: enableServiceLinks must be false (service-link variables FRAMEQ_* break FrameQ's config)")
    else:
        r.ok(f"{overlay}: enableServiceLinks: false")
    ports = {p.get("name"): p.get("containerPort") for p in c.get("ports", [])}
    if ports.get("metrics") != 9400:
        r.fail(f"{overlay}: container port 'metrics' must be 9400, got {ports}")
    for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
        got = c.get(probe, {}).get("httpGet", {}).get("path")
        if got != path:
            r.fail(f"{overlay}: {probe} path {got!r}, expected {path}")
        else:
            r.ok(f"{overlay}: {probe} GET {path} on port {c[probe]['httpGet'].get('port')}")
    image = c.get("image", "")
    tag = image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else ""
    if not tag or tag == "latest":
        r.fail(f"{overlay}: image {image!r} needs an explicit, non-latest tag")
    else:
        r.ok(f"{overlay}: image {image}")
    sc = c.get("securityContext", {})
    psc = pod.get("securityContext", {})
    if not (psc.get("runAsNonRoot") or sc.get("runAsNonRoot")):
        r.fail(f"{overlay}: pod must run as non-root")

    # Effective configuration: properties file from the mounted ConfigMap, then env.
    cms = {cm["metadata"]["name"]: cm for cm in by_kind["ConfigMap"]}
    mounted = [v["configMap"]["name"] for v in pod.get("volumes", []) if "configMap" in v]
    props = {}
    for name in mounted:
        if name not in cms:
            r.fail(f"{overlay}: volume refers to ConfigMap {name}, which is not rendered")
            continue
        for fname, text in cms[name].get("data", {}).items():
            if fname.endswith(".properties"):
                props = load_properties(text)
                check_keys(r, f"{overlay}: {fname}", props.keys(), known)
                r.ok(f"{overlay}: {fname}: {len(props)} keys, all known to FrameQ")
    env = {}
    for e in c.get("env", []):
        if e["name"].startswith("FRAMEQ_"):
            env[env_key(e["name"])] = e.get("value", e.get("valueFrom"))
    check_keys(r, f"{overlay}: env", env.keys(), known)
    r.ok(f"{overlay}: env FRAMEQ_* -> {', '.join(sorted(env)) or '(none)'}")
    for ef in c.get("envFrom", []):
        if not ef.get("prefix"):
            r.fail(f"{overlay}: envFrom without a prefix may inject arbitrary FRAMEQ_* keys")
    eff = dict(props)
    eff.update({k: v for k, v in env.items() if isinstance(v, str)})
    if "input.pattern" in eff:
        check_pattern(r, overlay, eff["input.pattern"])
    jaas = next((e for e in c.get("env", []) if e["name"] == "FRAMEQ_KAFKA_SASL_JAAS_CONFIG"), None)
    if not jaas or "secretKeyRef" not in jaas.get("valueFrom", {}):
        r.fail(f"{overlay}: FRAMEQ_KAFKA_SASL_JAAS_CONFIG must come from a secretKeyRef")
    else:
        r.ok(f"{overlay}: SASL JAAS config from Secret {jaas['valueFrom']['secretKeyRef']['name']}")

    # KEDA: same brokers and group as FrameQ.
    so = by_kind["ScaledObject"][0]
    if so["spec"]["scaleTargetRef"].get("name") != dep["metadata"]["name"]:
        r.fail(f"{overlay}: ScaledObject targets {so['spec']['scaleTargetRef'].get('name')}")
    kafka = [t for t in so["spec"].get("triggers", []) if t.get("type") == "kafka"]
    if not kafka:
        r.fail(f"{overlay}: ScaledObject has no kafka trigger")
    for t in kafka:
        md = t.get("metadata", {})
        group = eff.get("application.id", "frameq")
        if md.get("consumerGroup") != group:
            r.fail(f"{overlay}: KEDA consumerGroup {md.get('consumerGroup')!r} != application.id {group!r}")
        brokers = eff.get("bootstrap.servers")
        if md.get("bootstrapServers") != brokers:
            r.fail(f"{overlay}: KEDA bootstrapServers {md.get('bootstrapServers')!r} != FrameQ bootstrap.servers {brokers!r}")
        if "lagThreshold" not in md:
            r.fail(f"{overlay}: kafka trigger without lagThreshold")
        if not r.errors:
            r.ok(f"{overlay}: KEDA kafka trigger: group {md.get('consumerGroup')}, brokers {md.get('bootstrapServers')}, "
                 f"lagThreshold {md.get('lagThreshold')}, replicas {so['spec'].get('minReplicaCount')}.."
                 f"{so['spec'].get('maxReplicaCount')}")

    check_scaling(r, overlay, so, c)

    # Selectors must select the pods.
    def selects(sel, what):
        if not sel or any(pod_labels.get(k) != v for k, v in sel.items()):
            r.fail(f"{overlay}: {what} selector {sel} does not match the pod labels {pod_labels}")
    selects(by_kind["Service"][0]["spec"].get("selector"), "Service")
    selects(by_kind["PodDisruptionBudget"][0]["spec"]["selector"].get("matchLabels"), "PodDisruptionBudget")
    pm = by_kind["PodMonitor"][0]["spec"]
    selects(pm["selector"].get("matchLabels"), "PodMonitor")
    if not any(ep.get("port") == "metrics" for ep in pm.get("podMetricsEndpoints", [])):
        r.fail(f"{overlay}: PodMonitor does not scrape port 'metrics'")
    if pod_labels.get(pm.get("jobLabel", "")) != "frameq":
        r.fail(f"{overlay}: PodMonitor jobLabel must yield job=\"frameq\" (the rules and dashboards expect it)")

    # GPU consistency: GPU image <=> GPU resource <=> CUDA provider.
    limits = c.get("resources", {}).get("limits", {})
    gpu_res = "nvidia.com/gpu" in limits
    gpu_img = tag.endswith("-gpu")
    provider = eff.get("onnx.provider", "cpu")
    if gpu_res or gpu_img:
        missing = []
        if not gpu_res:
            missing.append("resources.limits nvidia.com/gpu")
        if not gpu_img:
            missing.append("a -gpu image tag")
        if not provider.startswith(("cuda", "tensorrt")):
            missing.append("FRAMEQ_ONNX_PROVIDER=cuda")
        if not any(t.get("key") == "nvidia.com/gpu" for t in pod.get("tolerations", [])):
            missing.append("a toleration for nvidia.com/gpu")
        if not pod.get("nodeSelector"):
            missing.append("a nodeSelector")
        if missing:
            r.fail(f"{overlay}: GPU variant incomplete, missing {', '.join(missing)}")
        else:
            r.ok(f"{overlay}: GPU: {limits['nvidia.com/gpu']} x nvidia.com/gpu, provider {provider}, "
                 f"nodeSelector {pod['nodeSelector']}")
    elif provider != "cpu":
        r.fail(f"{overlay}: onnx.provider {provider} without a GPU")
    r.exit()


# --------------------------------------------------------------------------
# compose: structure, files it mounts or builds from, FrameQ's env

def cmd_compose(compose_file, reference_file):
    r = Report()
    known = config_keys(reference_file)
    base = os.path.dirname(os.path.abspath(compose_file))
    with open(compose_file, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    services = doc.get("services", {})
    for s in ("kafka", "kafka-init", "frameq", "prometheus", "grafana"):
        if s not in services:
            r.fail(f"service {s} missing")
    for name, svc in services.items():
        if "image" not in svc and "build" not in svc:
            r.fail(f"{name}: neither image nor build")
        img = svc.get("image", "")
        if "build" not in svc and (":" not in img.rsplit("/", 1)[-1] or img.endswith(":latest")):
            r.fail(f"{name}: image {img!r} is not pinned to a tag")
        for dep in (svc.get("depends_on") or {}):
            if dep not in services:
                r.fail(f"{name}: depends_on unknown service {dep}")
        for v in svc.get("volumes", []):
            src = v.split(":", 1)[0] if isinstance(v, str) else v.get("source", "")
            if src.startswith((".", "/")):
                if not os.path.exists(os.path.join(base, src)):
                    r.fail(f"{name}: mounts {src}, which does not exist")
            elif src not in (doc.get("volumes") or {}):
                r.fail(f"{name}: named volume {src} not declared")
        b = svc.get("build")
        if b:
            ctx = os.path.join(base, b.get("context", "."))
            dockerfile = os.path.join(ctx, b.get("dockerfile", "Dockerfile"))
            if not os.path.isfile(dockerfile):
                r.fail(f"{name}: Dockerfile {dockerfile} not found")
            elif not os.path.isfile(os.path.join(ctx, "pom.xml")):
                r.fail(f"{name}: build context {ctx} is not the repository root")
    fq = services.get("frameq", {})
    env = fq.get("environment", {})
    if isinstance(env, list):
        env = dict(e.split("=", 1) for e in env)
    keys = {env_key(k): v for k, v in env.items() if k.startswith("FRAMEQ_")}
    check_keys(r, "frameq env", keys.keys(), known)
    for need in ("bootstrap.servers", "input.pattern"):
        if need not in keys:
            r.fail(f"frameq: FRAMEQ_{need.upper().replace('.', '_')} not set")
    if "input.pattern" in keys:
        check_pattern(r, "frameq env", keys["input.pattern"])
    prom = services.get("prometheus", {})
    if not any("prometheus" in (v if isinstance(v, str) else "") for v in prom.get("volumes", [])):
        r.fail("prometheus: the FrameQ prometheus directory is not mounted")
    if not r.errors:
        r.ok(f"{len(services)} services ({', '.join(services)}); mounts, build context and FrameQ env "
             f"({', '.join(sorted(keys))}) valid")
    r.exit()


# --------------------------------------------------------------------------
# Grafana provisioning: shapes, and the compose mounts match the provider path

def cmd_provisioning(ds_file, dash_file, compose_file):
    r = Report()
    with open(ds_file, encoding="utf-8") as f:
        ds = yaml.safe_load(f)
    with open(dash_file, encoding="utf-8") as f:
        dp = yaml.safe_load(f)
    with open(compose_file, encoding="utf-8") as f:
        compose = yaml.safe_load(f)
    if ds.get("apiVersion") != 1 or not ds.get("datasources"):
        r.fail(f"{ds_file}: apiVersion 1 with datasources expected")
    else:
        for d in ds["datasources"]:
            if d.get("type") != "prometheus" or not d.get("url") or not d.get("uid"):
                r.fail(f"datasource {d.get('name')}: type prometheus, url and uid expected")
            else:
                r.ok(f"datasource {d['name']} (uid {d['uid']}) -> {d['url']}")
    mounts = {}
    for v in compose.get("services", {}).get("grafana", {}).get("volumes", []):
        if isinstance(v, str) and ":" in v:
            src, dst = v.split(":")[:2]
            mounts[dst] = src
    if dp.get("apiVersion") != 1 or not dp.get("providers"):
        r.fail(f"{dash_file}: apiVersion 1 with providers expected")
    for p in dp.get("providers", []):
        path = p.get("options", {}).get("path")
        if p.get("type") != "file" or not path:
            r.fail(f"provider {p.get('name')}: type file with options.path expected")
            continue
        src = mounts.get(path)
        if not src or not src.endswith("grafana/dashboards"):
            r.fail(f"provider {p.get('name')}: compose does not mount grafana/dashboards at {path}")
        else:
            r.ok(f"provider {p['name']}: {path} (compose mounts {src}) -> folder {p.get('folder')}")
    if "/etc/grafana/provisioning" not in mounts:
        r.fail("compose does not mount the provisioning directory at /etc/grafana/provisioning")
    r.exit()


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "rule-names" and len(args) == 3:
        cmd_rule_names(*args)
    elif cmd == "dashboards" and len(args) >= 3:
        cmd_dashboards(args[0], args[1], args[2:])
    elif cmd == "k8s" and len(args) == 3:
        cmd_k8s(*args)
    elif cmd == "compose" and len(args) == 2:
        cmd_compose(*args)
    elif cmd == "provisioning" and len(args) == 3:
        cmd_provisioning(*args)
    elif cmd == "metric-names" and len(args) == 1:  # debugging aid
        print(" ".join(sorted(metric_names(args[0]))))
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
