#!/usr/bin/env bash
# PutRecord throughput and latency by way in, side by side in one run, with h2load (Debian's
# nghttp2-client): HTTP/1.1 (h2load --h1, one request at a time per connection), h2c with prior
# knowledge and h2 over TLS (ALPN), each with C connections and M concurrent streams each.
#   bench/h2load_put.sh [SERVER_BIN]        (default: build/kinesis-emulator)
#   env: REQUESTS (default 200000), CONNECTIONS (16), STREAMS (10), THREADS (h2load's, 2)
# The server runs with limits off, on a fresh data directory, 100-byte records into a 4-shard
# stream; the server's CPU time per request (utime + stime over the run) and its peak RSS
# (VmHWM) after each run are printed too. Loopback only; every run is
# bounded by REQUESTS.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/kinesis-emulator}
requests=${REQUESTS:-200000}
connections=${CONNECTIONS:-16}
streams=${STREAMS:-10}
threads=${THREADS:-2}
command -v h2load >/dev/null || { echo "needs h2load (apt-get install nghttp2-client)" >&2; exit 2; }

dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
"$bin" --port 0 --data-dir "$dir/data" --tls --throughput-limits off --create-stream-ms 0 \
  --initialize-streams bench:4 >"$dir/stdout" 2>"$dir/stderr" &
pid=$!
port=
for _ in $(seq 300); do
  port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$dir/stdout")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "server did not start: $(cat "$dir/stderr")" >&2; exit 1; }

data=$(head -c 75 /dev/zero | tr '\0' 'x' | base64 -w0)  # 75 bytes -> 100 characters
printf '{"StreamName":"bench","PartitionKey":"%s","Data":"%s"}' "$RANDOM" "$data" >"$dir/body"
headers=(-H "x-amz-target: Kinesis_20131202.PutRecord"
  -H "content-type: application/x-amz-json-1.1"
  -H "x-amz-date: 20261203T000000Z"
  -H "authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=0")

cpu_ticks() {  # the server's utime + stime, in clock ticks
  awk '{print $14 + $15}' /proc/"$pid"/stat
}

run() {  # LABEL URL h2load-args...
  local label=$1 url=$2
  shift 2
  local before
  before=$(cpu_ticks)
  local out t=$threads
  # h2load wants no more threads than connections.
  [[ " $* " =~ " -c 1 " ]] && t=1
  out=$(h2load -n "$requests" -t "$t" -d "$dir/body" "${headers[@]}" "$@" "$url" 2>&1) ||
    { echo "$label: h2load failed: $out" >&2; return 1; }
  local rps ok lat
  rps=$(sed -n 's/^finished in [^,]*, \([0-9.]*\) req\/s.*/\1/p' <<<"$out")
  ok=$(sed -n 's/.*status codes: \([0-9]*\) 2xx.*/\1/p' <<<"$out")
  lat=$(awk '/^time for request:/ {print $4" min, "$5" max, "$6" mean, "$7" sd"}' <<<"$out")
  local cpu_us
  cpu_us=$(awk -v t=$(($(cpu_ticks) - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
    'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
  printf '%-34s %10s req/s  %8s of %s answered 2xx  request time: %s  server CPU %s us/request  server VmHWM %s\n' \
    "$label" "${rps:-?}" "${ok:-0}" "$requests" "$lat" "$cpu_us" \
    "$(awk '/VmHWM/ {print $2" "$3}' /proc/"$pid"/status)"
}

echo "kinesis-emulator $("$bin" --version 2>/dev/null | head -1), $(nproc) cores, h2load $(h2load --version | head -1 | awk '{print $2}')"
run "HTTP/1.1  ${connections} conns" "http://127.0.0.1:$port/" --h1 -c "$connections" -m 1
run "HTTP/1.1  $((connections * streams)) conns" "http://127.0.0.1:$port/" --h1 -c "$((connections * streams))" -m 1
run "h2c       ${connections} conns x ${streams} streams" "http://127.0.0.1:$port/" -c "$connections" -m "$streams"
run "h2 (TLS)  ${connections} conns x ${streams} streams" "https://127.0.0.1:$port/" -c "$connections" -m "$streams"
run "h2c       1 conn x 100 streams" "http://127.0.0.1:$port/" -c 1 -m 100
