#!/usr/bin/env bash
# Regenerates docs/img/*.png (README, "Operating FrameQ"): demo + Prometheus (2 s scrape, FrameQ rules) + headless Chromium screenshots of /graph.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
W=$(mktemp -d)
cat > $W/prometheus.yml <<YML
global: {scrape_interval: 2s, evaluation_interval: 2s}
rule_files: ["$REPO/deploy/prometheus/rules/frameq-alerts.yml"]
scrape_configs:
  - job_name: frameq
    static_configs: [{targets: ["127.0.0.1:19400"]}]
YML
java -jar $REPO/stream-app/target/frameq.jar demo --duration 150s --metrics-port 19400 > $W/demo.log 2>&1 &
DEMO=$!
prometheus --config.file=$W/prometheus.yml --storage.tsdb.path=$W/data --web.listen-address=127.0.0.1:19090 --log.level=warn > $W/prom.log 2>&1 &
PROM=$!
echo "demo $DEMO prom $PROM dir $W"
sleep ${WAIT:-120}
enc() { python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$1"; }
shot() { # name expr range
  local url="http://127.0.0.1:19090/graph?g0.expr=$(enc "$2")&g0.tab=0&g0.stacked=0&g0.range_input=$3"
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir=$(mktemp -d) --hide-scrollbars --virtual-time-budget=8000 \
    --screenshot="$REPO"/docs/img/$1.png --window-size=1400,900 "$url" 2>/dev/null || true
}
shot prometheus-quality-by-stream 'sum by (stream) (rate(frameq_quality_score_sum{job="frameq"}[30s])) / sum by (stream) (rate(frameq_quality_score_count{job="frameq"}[30s]))' 2m
shot prometheus-stage-latency-p95 'histogram_quantile(0.95, sum by (le, stage) (rate(frameq_stage_duration_seconds_bucket{job="frameq"}[30s])))' 2m
kill $PROM; wait $DEMO || true
tail -15 $W/demo.log
ls -la $REPO/docs/img
