#pragma once

#include <cstdint>
#include <string>

namespace kinesis_emulator {

// A random UUID-shaped string (version 4 layout), for x-amzn-RequestId.
std::string random_request_id();

// Cryptographically random bytes from OpenSSL.
std::string random_bytes(std::size_t count);

}  // namespace kinesis_emulator
