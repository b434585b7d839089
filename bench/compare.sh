#!/usr/bin/env bash
# Regenerates docs/PERFORMANCE-figures.md on this machine:
#   1. builds Release (kinesis-emulator + kbench) in $BUILD_DIR;
#   2. starts our server (on-disk, --throughput-limits off), two fresh ones (limits on / off)
#      for the limiter comparison, kinesalite and kinesis-mock (npm peers, installed outside the
#      project in $PEERS_DIR) and the nginx ceiling, all on 127.0.0.1;
#   3. runs the shared bench.sh phases (put1 put16 put64 batch1 read) for $ROUNDS rounds,
#      alternating the servers within each phase (nginx: put* only, with wrk directly);
#   4. runs kbench's phases against our server for $ROUNDS rounds, then the startup phase;
#   5. writes the medians into docs/PERFORMANCE-figures.md (bench/figures.py).
# Every server it starts is stopped on exit.
#
# env: ROUNDS (3)  DURATION seconds per timed phase (10)  RECORDS for startup (10000000)
#      DRAIN_RECORDS (1000000)  READ_RECORDS for bench.sh read (200000)
#      QUICK=1      1 round, 3 s phases, 1M startup records, small read/drain phases
#      BUILD_DIR ($ROOT/build-bench)  PEERS_DIR (~/.cache/ke-peers)  SKIP_PEERS=1  SKIP_BUILD=1
#      SHARED_BENCH (../shared/bench next to the project)  OUT (docs/PERFORMANCE-figures.md)
#      KEEP_WORK=1 keep the temporary folder with raw results and server logs
#      LIMITER_RATE aggregate PutRecord/s for the limiter on/off comparison (2000: 500/s per shard)
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED=${SHARED_BENCH:-$(cd "$ROOT/../shared/bench" 2>/dev/null && pwd || echo /work/shared/bench)}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
PEERS_DIR=${PEERS_DIR:-$HOME/.cache/ke-peers}
OUT=${OUT:-$ROOT/docs/PERFORMANCE-figures.md}
if [ "${QUICK:-0}" = 1 ]; then
  ROUNDS=${ROUNDS:-1}; DURATION=${DURATION:-3}; RECORDS=${RECORDS:-1000000}
  DRAIN_RECORDS=${DRAIN_RECORDS:-200000}; READ_RECORDS=${READ_RECORDS:-20000}; READ_LOAD_MAX_S=${READ_LOAD_MAX_S:-30}
fi
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
RECORDS=${RECORDS:-10000000}
DRAIN_RECORDS=${DRAIN_RECORDS:-1000000}
READ_RECORDS=${READ_RECORDS:-200000}
READ_LOAD_MAX_S=${READ_LOAD_MAX_S:-120}
LIMITER_RATE=${LIMITER_RATE:-2000}
OURS_PORT=24567 KL_PORT=24568 KM_PORT=24569 KM_TLS_PORT=24570 NGINX_PORT=24571 LIMITED_PORT=24572
UNLIMITED_PORT=24573

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d /tmp/ke-compare.XXXXXX)
RESULTS=$WORK/shared-results.txt
KB_RESULTS=$WORK/kbench.jsonl
COMMANDS=$WORK/commands.txt
NOTES=$WORK/notes.txt
: >"$RESULTS"; : >"$KB_RESULTS"; : >"$COMMANDS"; : >"$NOTES"
PIDS=()
ours_PID='' limited_PID='' unlimited_PID='' kinesalite_PID='' kinesis_mock_PID=''  # set by start()

log() { echo "[compare $(date +%H:%M:%S)] $*" >&2; }
note() { echo "$*" >>"$NOTES"; log "$*"; }
cmdlog() { echo "$*" >>"$COMMANDS"; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "raw results kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_http PORT SECONDS: until something answers HTTP on 127.0.0.1:PORT.
wait_http() {
  local port=$1 secs=$2 i
  for i in $(seq $((secs * 10))); do
    if curl -s -o /dev/null --max-time 2 -X POST "http://127.0.0.1:$port/" \
        -H 'Content-Type: application/x-amz-json-1.1' -H 'X-Amz-Target: Kinesis_20131202.ListStreams' \
        -H 'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=00' \
        -d '{}'; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

# start NAME PORT WAIT_S COMMAND...: starts a server in the background, records its pid.
start() {
  local name=$1 port=$2 wait_s=$3; shift 3
  cmdlog "$name: $*"
  "$@" >"$WORK/$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  if ! wait_http "$port" "$wait_s"; then
    note "$name did not answer on port $port within ${wait_s}s (log: $(tail -c 300 "$WORK/$name.log" | tr '\n' ' '))"
    return 1
  fi
  eval "${name//-/_}_PID=$pid"
  log "$name up (pid $pid, port $port)"
}

for tool in cmake ninja wrk curl python3; do
  command -v $tool >/dev/null || { echo "compare.sh: $tool not found" >&2; exit 1; }
done

# ---- 1. build ----
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building Release in $BUILD_DIR"
  cmdlog "build: cmake -S $ROOT -B $BUILD_DIR -G Ninja -DCMAKE_BUILD_TYPE=Release -DKE_BUILD_TESTS=OFF && cmake --build $BUILD_DIR --target kinesis-emulator kbench"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKE_BUILD_TESTS=OFF >"$WORK/build.log" 2>&1 &&
    cmake --build "$BUILD_DIR" --target kinesis-emulator kbench >>"$WORK/build.log" 2>&1 ||
    { tail -30 "$WORK/build.log" >&2; echo "compare.sh: build failed" >&2; exit 1; }
fi
SERVER_BIN=$BUILD_DIR/kinesis-emulator
KBENCH=$BUILD_DIR/bench/kbench
if [ ! -x "$SERVER_BIN" ] || [ ! -x "$KBENCH" ]; then
  echo "compare.sh: no binaries in $BUILD_DIR" >&2; exit 1
fi

# ---- 2. servers ----
start ours $OURS_PORT 30 "$SERVER_BIN" --host 127.0.0.1 --port $OURS_PORT --data-dir "$WORK/ours-data" \
  --throughput-limits off --shard-limit 2000 --log-level warn || exit 1
# The limiter comparison uses two fresh servers that see only that traffic (the main one
# carries the data, and the compactions, of every other phase).
start limited $LIMITED_PORT 30 "$SERVER_BIN" --host 127.0.0.1 --port $LIMITED_PORT --data-dir "$WORK/limited-data" \
  --throughput-limits on --shard-limit 2000 --log-level warn || exit 1
start unlimited $UNLIMITED_PORT 30 "$SERVER_BIN" --host 127.0.0.1 --port $UNLIMITED_PORT --data-dir "$WORK/unlimited-data" \
  --throughput-limits off --shard-limit 2000 --log-level warn || exit 1

HAVE_KL=0 HAVE_KM=0 HAVE_NGINX=0
if [ "${SKIP_PEERS:-0}" = 1 ]; then
  note "peers skipped (SKIP_PEERS=1)"
elif ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  note "peers skipped: node/npm not installed"
else
  mkdir -p "$PEERS_DIR"
  have_peer() {  # NAME VERSION: installed in $PEERS_DIR at that version
    python3 -c 'import json, sys; sys.exit(json.load(open(sys.argv[1])).get("version") != sys.argv[2])' \
      "$PEERS_DIR/node_modules/$1/package.json" "$2" 2>/dev/null
  }
  if ! have_peer kinesalite 3.3.3 || ! have_peer kinesis-local 0.6.2; then
    log "installing peers into $PEERS_DIR"
    (cd "$PEERS_DIR" && timeout 300 npm install --no-audit --no-fund --loglevel=error kinesalite@3.3.3 kinesis-local@0.6.2) \
      >"$WORK/npm.log" 2>&1 || note "peers skipped: npm install failed ($(grep -m1 -E 'npm (error|ERR!) code' "$WORK/npm.log" || tail -n 1 "$WORK/npm.log"))"
  fi
  cmdlog "peers: (cd $PEERS_DIR && npm install kinesalite@3.3.3 kinesis-local@0.6.2)"
  PRELOAD=$ROOT/bench/loopback-preload.js
  if have_peer kinesalite 3.3.3; then
    start kinesalite $KL_PORT 60 node --require "$PRELOAD" "$PEERS_DIR/node_modules/kinesalite/cli.js" \
      --port $KL_PORT --shardLimit 1000 && HAVE_KL=1
  fi
  if have_peer kinesis-local 0.6.2; then
    start kinesis-mock $KM_PORT 120 env -C "$PEERS_DIR/node_modules/kinesis-local" KINESIS_MOCK_PLAIN_PORT=$KM_PORT \
      KINESIS_MOCK_TLS_PORT=$KM_TLS_PORT SHARD_LIMIT=1000 LOG_LEVEL=WARN node --require "$PRELOAD" main.js && HAVE_KM=1
  fi
fi
if command -v nginx >/dev/null; then
  start nginx $NGINX_PORT 30 bash "$SHARED/ceiling.sh" $NGINX_PORT 86400 && HAVE_NGINX=1
else
  note "nginx ceiling skipped: nginx not installed"
fi

# ---- 3. shared phases, alternating servers ----
LABELS=(ours)
[ $HAVE_KL = 1 ] && LABELS+=(kinesalite)
[ $HAVE_KM = 1 ] && LABELS+=(kinesis-mock)
[ $HAVE_NGINX = 1 ] && LABELS+=(nginx)
port_of() { case $1 in ours) echo $OURS_PORT ;; kinesalite) echo $KL_PORT ;; kinesis-mock) echo $KM_PORT ;; nginx) echo $NGINX_PORT ;; esac; }
pid_of() { case $1 in ours) echo "$ours_PID" ;; kinesalite) echo "$kinesalite_PID" ;; kinesis-mock) echo "$kinesis_mock_PID" ;; *) echo "" ;; esac; }

# The ceiling answers every POST with one fixed body, so bench.sh's stream setup cannot run
# against it: drive wrk with the same script and write a bench.sh-shaped result line.
nginx_put() {
  local ph=$1 conns=${1#put} out
  out=$(timeout $((DURATION + 40)) wrk -t1 -c"$conns" -d"${DURATION}s" --timeout 10s \
        -s "$SHARED/put_record.lua" "http://127.0.0.1:$NGINX_PORT/" -- ceiling 100 | grep '^RESULT')
  echo "LABEL=nginx phase=$ph ${out:-RESULT failed}" | tee -a "$RESULTS"
}

SHARED_PHASES=(put1 put16 put64 batch1 read)
cmdlog "shared phases: RESULTS=... LABEL=<label> SERVER_PID=<pid> DURATION=$DURATION READ_RECORDS=$READ_RECORDS READ_LOAD_MAX_S=$READ_LOAD_MAX_S $SHARED/bench.sh <port> <phase>   (phases: ${SHARED_PHASES[*]}; labels: ${LABELS[*]}; nginx: wrk -t1 -cN -d${DURATION}s -s put_record.lua)"
for round in $(seq "$ROUNDS"); do
  for ph in "${SHARED_PHASES[@]}"; do
    # Rotate the order of the servers each round so that none always runs first.
    n=${#LABELS[@]}
    for i in $(seq 0 $((n - 1))); do
      label=${LABELS[$(((i + round - 1) % n))]}
      log "round $round/$ROUNDS $ph $label"
      if [ "$label" = nginx ]; then
        [[ $ph == put* ]] && nginx_put "$ph"
        continue
      fi
      RESULTS="$RESULTS" LABEL=$label SERVER_PID=$(pid_of "$label") DURATION=$DURATION \
        READ_RECORDS=$READ_RECORDS READ_LOAD_MAX_S=$READ_LOAD_MAX_S \
        bash "$SHARED/bench.sh" "$(port_of "$label")" "$ph" || note "bench.sh $ph against $label failed in round $round"
    done
  done
done

# ---- 4. kbench against our server ----
# kb LABEL [PID] -- kbench args: one kbench run, its JSON line tagged with LABEL.
kb() {
  local label=$1 pid=$2; shift 3
  log "kbench $label: $*"
  timeout $((DURATION * 4 + 900)) "$KBENCH" --json --label "$label" --server-pid "$pid" "$@" \
    >>"$KB_RESULTS" 2>>"$WORK/kbench.log" || note "kbench $label failed: $(tail -n 2 "$WORK/kbench.log" | tr '\n' ' ')"
}
P="--host 127.0.0.1 --port $OURS_PORT --duration $DURATION"
L="--host 127.0.0.1 --port $LIMITED_PORT --duration $DURATION"
U="--host 127.0.0.1 --port $UNLIMITED_PORT --duration $DURATION"
cmdlog "kbench: $KBENCH --json --label <label> --server-pid <pid> <args below>"
for round in $(seq "$ROUNDS"); do
  pair_a=(
    "streams-1x4|$ours_PID|$P --phase put --connections 16 --streams 1 --shards 4"
    "limiter-off|$unlimited_PID|$U --phase put --connections 16 --rate $LIMITER_RATE"
  )
  pair_b=(
    "streams-100x10|$ours_PID|$P --phase put --connections 16 --streams 100 --shards 10"
    "limiter-on|$limited_PID|$L --phase put --connections 16 --rate $LIMITER_RATE"
  )
  runs=(
    "put-c16|$ours_PID|$P --phase put --connections 16"
    "put-c64|$ours_PID|$P --phase put --connections 64"
    "put-records-c4|$ours_PID|$P --phase put-records --connections 4 --batch 500"
    "drain|$ours_PID|$P --phase drain --records $DRAIN_RECORDS --connections 4"
    "mixed-c16|$ours_PID|$P --phase mixed --connections 16"
  )
  # The two sides of each comparison run back to back, in alternating order from round to round.
  for i in 0 1; do
    if [ $((round % 2)) = 1 ]; then runs+=("${pair_a[$i]}" "${pair_b[$i]}"); else runs+=("${pair_b[$i]}" "${pair_a[$i]}"); fi
  done
  for run in "${runs[@]}"; do
    IFS='|' read -r label pid args <<<"$run"
    [ "$round" = 1 ] && cmdlog "  $label: $args"
    # shellcheck disable=SC2086
    kb "$label" "$pid" -- $args
  done
done
STARTUP_ARGS="--phase startup --server-bin $SERVER_BIN --records $RECORDS --connections 4 --random-payload --shards 4"
cmdlog "  startup: $STARTUP_ARGS"
# shellcheck disable=SC2086
kb startup 0 -- $STARTUP_ARGS

# ---- 5. the figures ----
META=$WORK/meta.json
python3 - "$META" <<EOF
import json, os, platform, subprocess, sys, datetime
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
meta = {
  "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
  "uname": subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip(),
  "nproc": os.cpu_count(), "cpu": cpu, "loadavg_end": open("/proc/loadavg").read().split()[:3],
  "loadavg_start": "$LOAD_START".split(),
  "rounds": $ROUNDS, "duration": $DURATION, "records": $RECORDS, "drain_records": $DRAIN_RECORDS,
  "read_records": $READ_RECORDS, "limiter_rate": $LIMITER_RATE, "quick": "${QUICK:-0}" == "1",
  "labels": "${LABELS[*]}".split(),
  "commands": open("$COMMANDS").read().splitlines(), "notes": open("$NOTES").read().splitlines(),
}
json.dump(meta, open(sys.argv[1], "w"), indent=1)
EOF
python3 "$ROOT/bench/figures.py" --shared "$RESULTS" --kbench "$KB_RESULTS" --meta "$META" \
  --summarize "$SHARED/summarize.py" --out "$OUT" || { echo "compare.sh: figures.py failed" >&2; exit 1; }
log "wrote $OUT"
