# Sanitizer and fuzzing builds; both off by default, so the normal build is unchanged.
#
#   -DKE_SANITIZE=ON  every target (libraries, server, unit tests) with AddressSanitizer and
#                     UndefinedBehaviorSanitizer; any UB report aborts. CI builds it with clang.
#   -DKE_FUZZ=ON      the libFuzzer targets of tests/fuzz (clang only); implies KE_SANITIZE and
#                     adds libFuzzer's coverage instrumentation to everything.
# tools/dev.sh and tools/fuzz.sh show how they are used (ASAN_OPTIONS and the like).
option(KE_SANITIZE "Build with AddressSanitizer + UndefinedBehaviorSanitizer" OFF)
option(KE_FUZZ "Build the libFuzzer targets in tests/fuzz (clang; implies KE_SANITIZE)" OFF)

if(KE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "KE_FUZZ needs clang for libFuzzer: configure a fresh build directory "
                        "with CXX=clang++ (tools/fuzz.sh does)")
  endif()
  if(NOT KE_BUILD_TESTS)
    message(FATAL_ERROR "KE_FUZZ needs KE_BUILD_TESTS=ON (the targets live in tests/fuzz)")
  endif()
  set(KE_SANITIZE ON)
  # Coverage feedback for the fuzzer in every library; only the fuzz targets link libFuzzer.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(KE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # Clang 14's -fsanitize=function (part of "undefined") fails to compile C++20 coroutines
    # (bench/'s Asio awaitables) with "Cannot represent a difference across sections".
    add_compile_options(-fno-sanitize=function)
  endif()
endif()
