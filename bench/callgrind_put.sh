#!/usr/bin/env bash
# Instructions per PutRecord, counted by callgrind (repeatable, whatever else the machine does):
#   bench/callgrind_put.sh [SERVER_BIN...]      (default: build/kinesis-emulator)
# For each binary: the server under callgrind (--threads 1, in memory, limits off) takes N1 and
# then, in a second run, N2 sequential 100-byte PutRecords over one keep-alive connection from
# kbench; (Ir(N2) - Ir(N1)) / (N2 - N1) is the cost of one request, start-up and set-up excluded.
set -euo pipefail
cd "$(dirname "$0")/.."
kbench=${KBENCH:-build/bench/kbench}
n1=${N1:-1000}
n2=${N2:-4000}
[ $# -gt 0 ] || set -- build/kinesis-emulator
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }

instructions() {  # BIN REQUESTS -> total Ir of the server
  local bin=$1 requests=$2 dir out pid port
  dir=$(mktemp -d)
  valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" "$bin" --threads 1 --in-memory \
    --throughput-limits off --create-stream-ms 0 --port 0 >"$dir/stdout" 2>"$dir/stderr" &
  pid=$!
  for _ in $(seq 600); do
    port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$dir/stdout")
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "server did not start: $(cat "$dir/stderr")" >&2; kill "$pid"; exit 1; }
  "$kbench" --port "$port" --phase put --connections 1 --requests "$requests" --duration 600 \
    --shards 1 >/dev/null 2>&1
  kill -TERM "$pid"
  wait "$pid" || true
  out=$(callgrind_annotate "$dir/cg.out" 2>/dev/null | sed -n 's/^\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p')
  rm -rf "$dir"
  echo "${out//,/}"
}

for bin in "$@"; do
  a=$(instructions "$bin" "$n1")
  b=$(instructions "$bin" "$n2")
  echo "$bin: $(((b - a) / (n2 - n1))) instructions per PutRecord ($n1 -> $n2 requests)"
done
