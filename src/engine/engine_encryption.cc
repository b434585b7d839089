// Engine: server-side encryption. Stands in for KMS with one random 256-bit data key per KMS
// key id, kept in the metadata column family; records written while a stream's encryption is
// on are sealed under it (storage/record_cipher.h), so their bytes at rest are not plaintext.
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>

#include "engine/engine.h"
#include "storage/key_codec.h"

namespace kinesis_emulator::engine {

namespace {

constexpr char kDataKeyPrefix[] = "kms-key/";

// A key id as AWS accepts it: a key id (UUID), a key ARN, an alias name or an alias ARN.
bool plausible_key_id(std::string_view id) {
  if (id.starts_with("alias/") && id.size() > 6) return true;
  if (id.starts_with("arn:aws") && id.find(":kms:") != std::string_view::npos &&
      (id.find(":key/") != std::string_view::npos ||
       id.find(":alias/") != std::string_view::npos)) {
    return true;
  }
  if (id.size() == 36) {
    for (std::size_t i = 0; i < id.size(); ++i) {
      const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? id[i] != '-' : !std::isxdigit(static_cast<unsigned char>(id[i]))) return false;
    }
    return true;
  }
  return false;
}

}  // namespace

Status Engine::load_data_keys() {
  std::lock_guard lock(keys_mu_);
  bool corrupt = false;
  Status s = store_->for_each_meta(kDataKeyPrefix, [&](std::string_view k, std::string_view v) {
    if (v.size() != 4 + 32) {
      corrupt = true;
      return;
    }
    auto key = std::make_unique<storage::DataKey>();
    for (int i = 0; i < 4; ++i) key->number = key->number << 8 | static_cast<unsigned char>(v[i]);
    std::copy(v.begin() + 4, v.end(), key->bytes.begin());
    next_key_number_ = std::max(next_key_number_, key->number + 1);
    store_->add_data_key(*key);
    data_keys_[std::string(k.substr(sizeof kDataKeyPrefix - 1))] = std::move(key);
  });
  if (!s.ok()) return s;
  if (corrupt) return make_error(errc::internal_failure, "corrupt data key in the data directory");
  return {};
}

Result<const storage::DataKey*> Engine::data_key_for(std::string_view key_id) {
  std::lock_guard lock(keys_mu_);
  if (auto it = data_keys_.find(key_id); it != data_keys_.end()) return it->second.get();
  auto key = std::make_unique<storage::DataKey>();
  key->number = next_key_number_;
  if (RAND_bytes(key->bytes.data(), static_cast<int>(key->bytes.size())) != 1) {
    return make_error(errc::internal_failure, "Could not generate a data key");
  }
  std::string value(4, '\0');
  for (int i = 0; i < 4; ++i) value[i] = static_cast<char>(key->number >> (24 - 8 * i));
  value.append(reinterpret_cast<const char*>(key->bytes.data()), key->bytes.size());
  if (Status s = store_->put_meta(kDataKeyPrefix + std::string(key_id), value); !s.ok()) {
    return std::move(s).error();
  }
  ++next_key_number_;
  store_->add_data_key(*key);
  const storage::DataKey* raw = key.get();
  data_keys_[std::string(key_id)] = std::move(key);
  return raw;
}

Status Engine::start_encryption(const StreamKey& key, std::string_view key_id) {
  if (!plausible_key_id(key_id)) {
    return make_error(errc::invalid_argument,
                      "Invalid KeyId " + std::string(key_id) +
                          ": expected a key id, a key ARN, an alias name (alias/...) or an alias "
                          "ARN.");
  }
  auto data_key = data_key_for(key_id);
  if (!data_key.ok()) return std::move(data_key).error();
  Status s = reshard(key, [&](StreamMeta& draft, int64_t) -> Status {
    draft.encryption_key_id = std::string(key_id);
    return {};
  });
  if (!s.ok()) return s;
  auto stream = find(key);
  if (stream.ok()) (*stream)->set_encryption_key(*data_key);
  return {};
}

Status Engine::stop_encryption(const StreamKey& key) {
  Status s = reshard(key, [&](StreamMeta& draft, int64_t) -> Status {
    draft.encryption_key_id.clear();
    return {};
  });
  if (!s.ok()) return s;
  auto stream = find(key);
  if (stream.ok()) (*stream)->set_encryption_key(nullptr);
  return {};
}

}  // namespace kinesis_emulator::engine
