#!/usr/bin/env bash
# Installs the Debian 12 packages kinesis-emulator needs to build and test, only those missing.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config
  libboost1.81-dev          # Asio + Beast (1.81: http::message_generator, C++20-clean awaitable)
  librocksdb-dev            # record and metadata storage
  nlohmann-json3-dev        # JSON (and later CBOR) bodies, the service model
  libspdlog-dev             # logging
  libssl-dev                # TLS; MD5 routing hashes, HMAC for shard iterators, randomness
  libnghttp2-dev            # HTTP/2 framing, HPACK and flow control
  libcli11-dev              # command line and environment variables
  libgtest-dev              # unit tests
  # ASan + UBSan builds and the libFuzzer targets (.ci/run, tools/fuzz.sh): clang 14, its
  # compiler-rt (libclang_rt.asan/ubsan/fuzzer: only Recommended by clang-14, so named here) and
  # llvm-symbolizer for readable sanitizer stack traces.
  clang libclang-rt-14-dev llvm
  curl                      # the README's health example, which tests/e2e/test_readme.py runs
  nghttp2-client            # nghttp and h2load: HTTP/2 e2e tests and benchmarks
)
# End-to-end tests drive the server with boto3 and the AWS CLI.
if ! python3 -c 'import boto3' >/dev/null 2>&1; then packages+=(python3 python3-boto3); fi
if ! command -v aws >/dev/null 2>&1; then packages+=(awscli); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
