#pragma once
// The only user of RocksDB. Two column families:
//   meta     small keys: format version, iterator key, stream id counter, stream metadata and
//            per-shard sequence high-water marks
//   records  key = stream id (8, big-endian) | shard index (4) | position (8), so one shard's
//            records are contiguous and ordered; value = flags (1) | key length (varint) |
//            partition key | data
// A RecordBatch is one atomic RocksDB write; acknowledged means it reached the WAL.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "storage/record_cipher.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class WriteBatch;
class Env;
}  // namespace rocksdb

namespace kinesis_emulator::storage {

struct StoreOptions {
  std::string path;        // directory; ignored when in_memory
  bool in_memory = false;  // RocksDB on an in-memory Env: nothing survives the process
  bool sync = false;       // fsync the WAL before a write returns
  // Read every table block at start-up to check its checksum (time grows with the data; reads
  // check the blocks they touch anyway).
  bool verify_checksums = false;
};

struct RecordView {
  uint64_t position = 0;
  bool encrypted = false;  // stored encrypted; the views hold the decrypted bytes
  std::string_view partition_key;
  std::string_view data;
};

// Created by Store::make_batch(); written with Store::write().
class RecordBatch {
 public:
  ~RecordBatch();
  RecordBatch(RecordBatch&&) noexcept;
  RecordBatch& operator=(RecordBatch&&) noexcept;

  // With `key`, the record is stored encrypted under it (see record_cipher.h).
  Status put_record(uint64_t stream_id, uint32_t shard, uint64_t position,
                    std::string_view partition_key, std::string_view data,
                    const DataKey* key = nullptr);
  void set_high_water(uint64_t stream_id, uint32_t shard, uint64_t position);
  void put_meta(std::string_view key, std::string_view value);
  void delete_meta(std::string_view key);
  std::size_t count() const;

 private:
  friend class Store;
  RecordBatch(rocksdb::ColumnFamilyHandle* meta, rocksdb::ColumnFamilyHandle* records);
  std::unique_ptr<rocksdb::WriteBatch> batch_;
  rocksdb::ColumnFamilyHandle* meta_;
  rocksdb::ColumnFamilyHandle* records_;
  std::string scratch_;
  std::string sealed_;
};

class Store {
 public:
  static Result<std::unique_ptr<Store>> open(const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& description() const { return description_; }  // path or "in-memory"

  RecordBatch make_batch() const { return RecordBatch(meta_, records_); }
  Status write(RecordBatch& batch);

  // For --sync (storage/wal_syncer.h): how far writes have gone (RocksDB's latest sequence
  // number), and an fsync of the WAL covering every write that has returned.
  uint64_t last_write() const;
  Status sync_wal();

  // Metadata.
  Result<std::optional<std::string>> get_meta(std::string_view key);
  Status put_meta(std::string_view key, std::string_view value);
  Status for_each_meta(std::string_view prefix,
                       const std::function<void(std::string_view key, std::string_view value)>& fn);

  // Reads a shard's records from `from_position` on, in order, until `fn` returns false or the
  // shard ends. Views are valid only inside the callback.
  Status read_records(uint64_t stream_id, uint32_t shard, uint64_t from_position,
                      const std::function<bool(const RecordView&)>& fn);
  Result<std::optional<uint64_t>> first_position(uint64_t stream_id, uint32_t shard);
  Result<std::optional<uint64_t>> last_position(uint64_t stream_id, uint32_t shard);

  // Range deletes; cheap, they never rewrite data in place.
  Status delete_records_before(uint64_t stream_id, uint32_t shard, uint64_t position);
  Status delete_stream_records(uint64_t stream_id);

  // Keys used by the engine for its metadata.
  static std::string high_water_key(uint64_t stream_id, uint32_t shard);

  // Data keys that encrypted records name by number; the engine registers them at start-up
  // and whenever it makes a new one.
  void add_data_key(const DataKey& key);

 private:
  Store() = default;

  std::unique_ptr<rocksdb::Env> env_;  // only for in-memory mode; must outlive db_
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::ColumnFamilyHandle* meta_ = nullptr;
  rocksdb::ColumnFamilyHandle* records_ = nullptr;
  bool sync_ = false;
  std::string description_;
  mutable std::shared_mutex keys_mu_;
  std::map<uint32_t, DataKey> keys_;
};

}  // namespace kinesis_emulator::storage
