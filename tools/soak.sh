#!/usr/bin/env bash
# Short soak of the demo (issue 22): runs `frameq demo` for DURATION and samples, every INTERVAL seconds,
# the JVM's resident set (ps), its heap after the last GC (jcmd GC.heap_info) and its thread and file
# descriptor counts, into a CSV. Usage (repository root, after `mvn -o -B -q -DskipTests package`):
#   tools/soak.sh [duration=10m] [interval_s=10] [out=target/soak.csv] [extra demo args...]
set -euo pipefail
DURATION=${1:-10m}
INTERVAL=${2:-10}
OUT=${3:-target/soak.csv}
shift $(( $# < 3 ? $# : 3 ))
mkdir -p "$(dirname "$OUT")"
java -XX:NativeMemoryTracking=summary -jar stream-app/target/frameq.jar demo --duration "$DURATION" --metrics-port -1 "$@" \
    > "${OUT%.csv}.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
echo "elapsed_s,rss_kb,heap_used_kb,nmt_committed_kb,threads,fds" > "$OUT"
START=$(date +%s)
while kill -0 $PID 2>/dev/null; do
    sleep "$INTERVAL"
    kill -0 $PID 2>/dev/null || break
    RSS=$(ps -o rss= -p $PID | tr -d ' ')
    HEAP=$(jcmd $PID GC.heap_info 2>/dev/null | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1)
    NMT=$(jcmd $PID VM.native_memory summary 2>/dev/null | sed -n 's/^Total: reserved=[0-9]*KB, committed=\([0-9]*\)KB.*/\1/p' | head -1)
    THREADS=$(ls /proc/$PID/task | wc -l)
    FDS=$(ls /proc/$PID/fd | wc -l)
    echo "$(( $(date +%s) - START )),$RSS,${HEAP:-},${NMT:-},$THREADS,$FDS" >> "$OUT"
done
wait $PID || true
trap - EXIT
echo "samples in $OUT, demo output in ${OUT%.csv}.log"
