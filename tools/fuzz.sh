#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang, ASan and UBSan, and fuzzes each for a
# while, starting from a copy of its seed corpus (tests/fuzz/corpus/<target>, never written to).
#
#   tools/fuzz.sh [seconds-per-target] [target...]     default: 60 s, every target
#
# Env: BUILD_DIR (default build-fuzz), BUILD_TYPE (default RelWithDebInfo), CXX (default
# clang++), CMAKE_ARGS (more -D flags), FUZZ_ARGS (more libFuzzer flags), FUZZ_OUT (where each
# run's corpus, log and crash files go; default $BUILD_DIR/fuzz-out, emptied per target).
# Fails if any target crashes, leaks, times out or runs out of memory; the input that did it is
# left in $FUZZ_OUT/<target>/ (replay: $BUILD_DIR/tests/fuzz/<target> FILE).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
all=(fuzz_http_request fuzz_json_request fuzz_cbor_request fuzz_shard_iterator
     fuzz_sequence_number fuzz_http2_connection)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=("${all[@]}"); fi
build_dir="${BUILD_DIR:-build-fuzz}"
out_root="${FUZZ_OUT:-$build_dir/fuzz-out}"

tools/install-deps.sh

started=$SECONDS
generator=()
if command -v ninja >/dev/null 2>&1 && [ ! -f "$build_dir/Makefile" ]; then generator=(-G Ninja); fi
CXX="${CXX:-clang++}" cmake -S . -B "$build_dir" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" -DKE_FUZZ=ON ${CMAKE_ARGS:-} >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)" --target "${targets[@]}"

# Leaks fail a run too; reports are symbolized by llvm-symbolizer (Debian's llvm package).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

dict_of() {
  case "$1" in
    fuzz_http_request) echo tests/fuzz/http.dict ;;
    fuzz_json_request) echo tests/fuzz/json.dict ;;
    fuzz_cbor_request) echo tests/fuzz/cbor.dict ;;
  esac
}

built=$SECONDS
passed=0
failed=0
failures=()
for t in "${targets[@]}"; do
  out="$out_root/$t"
  rm -rf "$out"
  mkdir -p "$out/corpus" "$out/artifacts"
  cp -R "tests/fuzz/corpus/$t/." "$out/corpus/"
  args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096
        -print_final_stats=1 -artifact_prefix="$out/artifacts/")
  dict="$(dict_of "$t")"
  if [ -n "$dict" ]; then args+=(-dict="$dict"); fi
  echo "== $t: fuzzing for ${seconds}s (log: $out/log)"
  rc=0
  # libFuzzer stops itself after max_total_time; `timeout` is the backstop for a hang in it.
  timeout --signal=KILL $((seconds + 120)) "$build_dir/tests/fuzz/$t" "${args[@]}" \
    ${FUZZ_ARGS:-} "$out/corpus" >"$out/log" 2>&1 || rc=$?
  # The last status line: "#N NEW cov: 1234 ft: 5678 corp: 90/12Kb ..." -> "cov: ... corp: ...".
  cov="$(grep -aoE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' "$out/log" | tail -1 || true)"
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/log")"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/log")"
  rss="$(sed -n 's/^stat::peak_rss_mb: *//p' "$out/log")"
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    echo "   ok: ${execs:-?} runs, ${rate:-?} exec/s, peak ${rss:-?} MB; ${cov}"
  else
    failed=$((failed + 1))
    failures+=("$t")
    echo "   FAILED (exit $rc); inputs in $out/artifacts/:" >&2
    ls -1 "$out/artifacts" >&2 || true
    grep -E -A40 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$out/log" \
      | head -60 >&2 || tail -40 "$out/log" >&2
  fi
done

echo "fuzz: build $((built - started))s, fuzzing $((SECONDS - built))s"
echo "fuzz: $passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then
  echo "crashing targets: ${failures[*]}" >&2
  exit 1
fi
