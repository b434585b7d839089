#include "storage/record_cipher.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

namespace kinesis_emulator::storage {

namespace {

constexpr std::size_t kNonceSize = 12;
constexpr std::size_t kTagSize = 16;
constexpr std::size_t kHeaderSize = 1 + 4 + kNonceSize;

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

bool seal_record(std::string& out, const DataKey& key, std::string_view associated,
                 std::string_view plain) {
  unsigned char nonce[kNonceSize];
  if (RAND_bytes(nonce, sizeof nonce) != 1) return false;
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.bytes.data(), nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(associated),
                        static_cast<int>(associated.size())) != 1) {
    return false;
  }
  const std::size_t start = out.size();
  out.resize(start + kHeaderSize + plain.size() + kTagSize);
  auto* p = reinterpret_cast<unsigned char*>(out.data() + start);
  p[0] = kValueEncrypted;
  for (int i = 0; i < 4; ++i) p[1 + i] = static_cast<unsigned char>(key.number >> (24 - 8 * i));
  std::copy(nonce, nonce + kNonceSize, p + 5);
  unsigned char* cipher = p + kHeaderSize;
  int written = 0;
  if (EVP_EncryptUpdate(ctx.get(), cipher, &written, bytes(plain),
                        static_cast<int>(plain.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), cipher + written, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, cipher + plain.size()) != 1) {
    out.resize(start);
    return false;
  }
  return true;
}

bool record_key_number(std::string_view value, uint32_t& number) {
  if (value.size() < kHeaderSize + kTagSize) return false;
  number = 0;
  for (int i = 0; i < 4; ++i) number = number << 8 | static_cast<unsigned char>(value[1 + i]);
  return true;
}

bool open_record(std::string& plain, const DataKey& key, std::string_view associated,
                 std::string_view value) {
  if (value.size() < kHeaderSize + kTagSize) return false;
  const auto* nonce = bytes(value.substr(5, kNonceSize));
  const std::string_view cipher = value.substr(kHeaderSize, value.size() - kHeaderSize - kTagSize);
  std::string tag(value.substr(value.size() - kTagSize));
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  plain.resize(cipher.size());
  if (!ctx ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.bytes.data(), nonce) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(associated),
                        static_cast<int>(associated.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len,
                        bytes(cipher), static_cast<int>(cipher.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()) != 1) {
    return false;
  }
  int final_len = 0;
  return EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + len,
                             &final_len) == 1;
}

}  // namespace kinesis_emulator::storage
