#pragma once
// Encryption at rest for streams with server-side encryption on: AES-256-GCM under a data key
// per KMS key id, with a fresh random nonce per record and the record's key as associated data
// (a ciphertext moved to another position does not decrypt).
//
// Encrypted value layout (flags bit 0 set):
//   flags (1) | key number (4, big-endian) | nonce (12) | ciphertext | tag (16)
// where the plaintext is the unencrypted value without its flags byte.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace kinesis_emulator::storage {

inline constexpr uint8_t kValueEncrypted = 0x01;

struct DataKey {
  uint32_t number = 0;  // what records store to name their key
  std::array<unsigned char, 32> bytes{};
};

// Appends the encrypted form of `plain` (an unencrypted value without its flags byte).
bool seal_record(std::string& out, const DataKey& key, std::string_view associated,
                 std::string_view plain);

// Decrypts `value` (a full encrypted value) into `plain`; false if the tag does not verify.
bool open_record(std::string& plain, const DataKey& key, std::string_view associated,
                 std::string_view value);

// The key number an encrypted value names; false if the value is too short.
bool record_key_number(std::string_view value, uint32_t& number);

}  // namespace kinesis_emulator::storage
