#!/bin/bash
# Paired A/B of two webhook builds: both servers run at the same time on core 0, each under its own
# wrk on core 1, and each one's CPU time per request is read from /proc. Both sides share whatever
# else the machine is doing, so the difference holds where single runs moved by 2x.
#
# usage: bash bench/paired-webhook.sh DIST_A DIST_B [rounds=3] [connections=16] [seconds=8] [typical|large]
#   DIST_A, DIST_B: built trees (a copy of dist/ from another commit, or dist itself).
# Needs wrk and taskset, and the certificate, Services and review bodies that `npm run bench`
# leaves in bench/out/scratch (run the webhook part once first: npm run bench -- --only webhook --quick).
set -euo pipefail
cd "$(dirname "$0")/.."
S=bench/out/scratch
A_DIST=$1; B_DIST=$2; R=${3:-3}; C=${4:-16}; D=${5:-8}; W=${6:-typical}
B=$S/bodies-typical.json; [ "$W" = large ] && B=$S/bodies-1000-endpoint-UPDATE.json
for f in "$S/tls.crt" "$S/tls.key" "$S/services.yaml" "$B.lines" "$B.lua"; do
  [ -f "$f" ] || { echo "missing $f: run npm run bench -- --only webhook --quick first" >&2; exit 2; }
done

# The project's own Node (a devDependency), as `npm run` would use it.
NODE=node_modules/.bin/node; [ -x "$NODE" ] || NODE=node
start() { # dist port
  taskset -c 0 "$NODE" "$1/cli/main.js" serve --cert $S/tls.crt --key $S/tls.key --port "$2" --host 127.0.0.1 \
    --services $S/services.yaml --no-service-cache >/dev/null 2>&1 &
  echo $!
}
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; } # clock ticks (1/100 s)
load() { # port connections seconds
  SG_BODIES_LUA=$B.lines taskset -c 1 wrk -t1 -c"$2" -d"$3"s -s $B.lua "https://127.0.0.1:$1/validate"
}

for r in $(seq "$R"); do
  PA=$((20000 + RANDOM % 10000)); PB=$((30000 + RANDOM % 10000))
  A=$(start "$A_DIST" $PA); BP=$(start "$B_DIST" $PB)
  for p in $PA $PB; do
    for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$p) 2>/dev/null && break; sleep 0.1; done
    (echo > /dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "a server did not start on port $p" >&2; kill "$A" "$BP" 2>/dev/null; exit 1; }
  done
  load $PA 8 2 >/dev/null & load $PB 8 2 >/dev/null & wait # warm-up
  TA=$(cpu "$A"); TB=$(cpu "$BP")
  load $PA "$C" "$D" > /tmp/paired-a.$$ & load $PB "$C" "$D" > /tmp/paired-b.$$ & wait
  TA=$(( $(cpu "$A") - TA )); TB=$(( $(cpu "$BP") - TB ))
  NA=$(grep -o '"requests":[0-9]*' /tmp/paired-a.$$ | cut -d: -f2); NB=$(grep -o '"requests":[0-9]*' /tmp/paired-b.$$ | cut -d: -f2)
  echo "round $r: A $(( TA * 10000 / NA )) µs/request ($NA requests)   B $(( TB * 10000 / NB )) µs/request ($NB requests)"
  kill -TERM "$A" "$BP"; wait "$A" "$BP" 2>/dev/null || true
  rm -f /tmp/paired-a.$$ /tmp/paired-b.$$
done
