#!/usr/bin/env bash
# One entry point for people and CI:
#   tools/dev.sh run [server flags...]   install what is missing, build, start the server
#   tools/dev.sh test                    install what is missing, build, run unit + e2e tests
#   tools/dev.sh build                   install what is missing, build
# Env: BUILD_DIR (default build), BUILD_TYPE (default Release), CMAKE_ARGS (more -D flags), CXX
# (the compiler of a new build directory). ASan + UBSan over the whole suite, as .ci/run does it:
#   BUILD_DIR=build-asan CXX=clang++ CMAKE_ARGS=-DKE_SANITIZE=ON tools/dev.sh test
set -euo pipefail
cd "$(dirname "$0")/.."

cmd="${1:-run}"
shift || true
build_dir="${BUILD_DIR:-build}"

tools/install-deps.sh

# The e2e tests need a python3 that has boto3: the user's if it has it, else Debian's.
python=python3
if ! python3 -c 'import boto3' >/dev/null 2>&1; then python=/usr/bin/python3; fi

# A sanitized build's reports: a leak makes the server's exit code non-zero, which the e2e tests
# check; any UBSan finding aborts. No effect on an ordinary build.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# CMake takes CXX when it first configures a directory, and keeps that compiler after.
if [ -n "${CXX:-}" ] && [ -f "$build_dir/CMakeCache.txt" ]; then
  cached="$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build_dir/CMakeCache.txt")"
  wanted="$(command -v "$CXX" || echo "$CXX")"
  if [ -n "$cached" ] && [ "$(readlink -f "$cached")" != "$(readlink -f "$wanted")" ]; then
    echo "$build_dir was configured with $cached, not CXX=$CXX: use another BUILD_DIR" >&2
    exit 2
  fi
fi
generator=()
if command -v ninja >/dev/null 2>&1 && [ ! -f "$build_dir/Makefile" ]; then generator=(-G Ninja); fi
cmake -S . -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" \
  -DKE_PYTHON="$python" ${CMAKE_ARGS:-} >/dev/null
target=()
if [ "$cmd" = run ]; then target=(--target kinesis-emulator); fi
cmake --build "$build_dir" --parallel "$(nproc)" "${target[@]}"

case "$cmd" in
  run) exec "$build_dir/kinesis-emulator" "$@" ;;
  test) exec ctest --test-dir "$build_dir" --output-on-failure --timeout 900 "$@" ;;
  build) ;;
  *) echo "usage: tools/dev.sh run|test|build" >&2; exit 2 ;;
esac
