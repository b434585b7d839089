#include "storage/store.h"

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/options.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "storage/key_codec.h"

namespace kinesis_emulator::storage {

namespace {

constexpr char kFormatKey[] = "format";
constexpr char kFormatVersion[] = "1";

Error storage_error(const char* what, const rocksdb::Status& s) {
  spdlog::error("storage: {} failed: {}", what, s.ToString());
  return make_error(errc::internal_failure, std::string("Storage error during ") + what);
}

// Each shard appends in key order, so a per-shard insertion hint lets the memtable insert of a
// record start where the shard's last one went instead of searching the whole skip list (about
// 7k of the 11.6k instructions of an insert, callgrind). Only full record keys take part:
// RocksDB 7.8 keeps one hint table for point entries and range tombstones alike, and a hint
// from one skip list used in the other corrupts it (found by a unit test asserting inside
// RocksDB); range deletes therefore start with keys shorter than a record key.
class RecordKeyHint : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "kinesis-emulator.RecordKeyHint"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return {key.data(), kShardPrefixSize};
  }
  bool InDomain(const rocksdb::Slice& key) const override { return key.size() == kRecordKeySize; }
};

rocksdb::WriteOptions write_options(bool sync) {
  rocksdb::WriteOptions w;
  w.sync = sync;
  return w;
}

}  // namespace

// --- RecordBatch ---------------------------------------------------------------------------

RecordBatch::RecordBatch(rocksdb::ColumnFamilyHandle* meta, rocksdb::ColumnFamilyHandle* records)
    : batch_(std::make_unique<rocksdb::WriteBatch>()), meta_(meta), records_(records) {}
RecordBatch::~RecordBatch() = default;
RecordBatch::RecordBatch(RecordBatch&&) noexcept = default;
RecordBatch& RecordBatch::operator=(RecordBatch&&) noexcept = default;

Status RecordBatch::put_record(uint64_t stream_id, uint32_t shard, uint64_t position,
                               std::string_view partition_key, std::string_view data,
                               const DataKey* data_key) {
  char key[kRecordKeySize];
  encode_record_key(key, stream_id, shard, position);
  scratch_.clear();
  encode_record_value(scratch_, partition_key, data);
  if (data_key != nullptr) {
    sealed_.clear();
    if (!seal_record(sealed_, *data_key, std::string_view(key, sizeof key),
                     std::string_view(scratch_).substr(1))) {
      return make_error(errc::internal_failure, "Record encryption failed");
    }
    batch_->Put(records_, rocksdb::Slice(key, sizeof key), sealed_);
    return {};
  }
  batch_->Put(records_, rocksdb::Slice(key, sizeof key), scratch_);
  return {};
}

void RecordBatch::set_high_water(uint64_t stream_id, uint32_t shard, uint64_t position) {
  char value[8];
  put_u64_be(value, position);
  batch_->Put(meta_, Store::high_water_key(stream_id, shard), rocksdb::Slice(value, 8));
}

void RecordBatch::put_meta(std::string_view key, std::string_view value) {
  batch_->Put(meta_, rocksdb::Slice(key.data(), key.size()),
              rocksdb::Slice(value.data(), value.size()));
}

void RecordBatch::delete_meta(std::string_view key) {
  batch_->Delete(meta_, rocksdb::Slice(key.data(), key.size()));
}

std::size_t RecordBatch::count() const {
  return static_cast<std::size_t>(batch_->Count());
}

// --- Store ---------------------------------------------------------------------------------

Result<std::unique_ptr<Store>> Store::open(const StoreOptions& options) {
  std::unique_ptr<Store> store(new Store());
  store->sync_ = options.sync;

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 3;
  db_options.max_total_wal_size = 64 << 20;
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;

  std::string path = options.path;
  if (options.in_memory) {
    store->env_.reset(rocksdb::NewMemEnv(rocksdb::Env::Default()));
    db_options.env = store->env_.get();
    path = "/kinesis-emulator-in-memory";
    store->description_ = "in-memory";
  } else {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) {
      return make_error(errc::internal_failure,
                        "cannot create data directory " + path + ": " + ec.message());
    }
    store->description_ = path;
  }

  // Small caches keep the resident set modest; records are read sequentially and rarely twice.
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(8 << 20);
  rocksdb::ColumnFamilyOptions records_options;
  records_options.write_buffer_size = 16 << 20;
  records_options.max_write_buffer_number = 2;
  records_options.memtable_insert_with_hint_prefix_extractor = std::make_shared<RecordKeyHint>();
  records_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  rocksdb::ColumnFamilyOptions meta_options;
  meta_options.write_buffer_size = 4 << 20;
  meta_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));

  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, meta_options},
      {"records", records_options},
  };
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, path, families, &handles, &raw);
  if (!s.ok()) {
    return make_error(errc::internal_failure,
                      "cannot open database in " + path + ": " + s.ToString());
  }
  store->db_.reset(raw);
  store->meta_ = handles[0];
  store->records_ = handles[1];

  auto format = store->get_meta(kFormatKey);
  if (!format.ok()) return std::move(format).error();
  if (!format->has_value()) {
    if (Status st = store->put_meta(kFormatKey, kFormatVersion); !st.ok())
      return std::move(st).error();
  } else if (**format != kFormatVersion) {
    return make_error(errc::internal_failure, "data directory " + path + " has storage format " +
                                                  **format + "; this build reads format " +
                                                  kFormatVersion);
  }
  return store;
}

Store::~Store() {
  if (db_) {
    db_->DestroyColumnFamilyHandle(meta_);
    db_->DestroyColumnFamilyHandle(records_);
    rocksdb::Status s = db_->Close();
    if (!s.ok()) spdlog::warn("storage: close: {}", s.ToString());
    db_.reset();
  }
}

Status Store::write(RecordBatch& batch) {
  rocksdb::Status s = db_->Write(write_options(sync_), batch.batch_.get());
  if (!s.ok()) return storage_error("write", s);
  return {};
}

Result<std::optional<std::string>> Store::get_meta(std::string_view key) {
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), meta_, rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return storage_error("metadata read", s);
  return std::optional<std::string>(std::move(value));
}

Status Store::put_meta(std::string_view key, std::string_view value) {
  rocksdb::Status s = db_->Put(write_options(sync_), meta_, rocksdb::Slice(key.data(), key.size()),
                               rocksdb::Slice(value.data(), value.size()));
  if (!s.ok()) return storage_error("metadata write", s);
  return {};
}

Status Store::for_each_meta(
    std::string_view prefix,
    const std::function<void(std::string_view key, std::string_view value)>& fn) {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), meta_));
  for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
    const rocksdb::Slice k = it->key();
    if (!k.starts_with(rocksdb::Slice(prefix.data(), prefix.size()))) break;
    fn(std::string_view(k.data(), k.size()),
       std::string_view(it->value().data(), it->value().size()));
  }
  if (!it->status().ok()) return storage_error("metadata scan", it->status());
  return {};
}

Status Store::read_records(uint64_t stream_id, uint32_t shard, uint64_t from_position,
                           const std::function<bool(const RecordView&)>& fn) {
  char start[kRecordKeySize];
  char limit[kShardPrefixSize];
  encode_record_key(start, stream_id, shard, from_position);
  encode_shard_prefix(limit, stream_id, shard + 1);  // shard index is never 2^32-1
  rocksdb::Slice upper(limit, sizeof limit);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, records_));
  std::string plain;  // the decrypted value, for encrypted records
  for (it->Seek(rocksdb::Slice(start, sizeof start)); it->Valid(); it->Next()) {
    RecordView view;
    const rocksdb::Slice k = it->key();
    if (k.size() != kRecordKeySize) continue;
    view.position = get_u64_be(k.data() + kShardPrefixSize);
    const std::string_view v(it->value().data(), it->value().size());
    bool decoded = false;
    if (!v.empty() && (static_cast<uint8_t>(v[0]) & kValueEncrypted) != 0) {
      view.encrypted = true;
      uint32_t number = 0;
      std::shared_lock keys(keys_mu_);
      auto found = record_key_number(v, number) ? keys_.find(number) : keys_.end();
      decoded = found != keys_.end() &&
                open_record(plain, found->second, std::string_view(k.data(), k.size()), v) &&
                decode_record_body(plain, view.partition_key, view.data);
    } else {
      decoded = decode_record_value(v, view.partition_key, view.data);
    }
    if (!decoded) {
      spdlog::error("storage: record {} of stream {} shard {} cannot be decoded", view.position,
                    stream_id, shard);
      return make_error(errc::internal_failure, "Corrupt or undecryptable record in storage");
    }
    if (!fn(view)) break;
  }
  if (!it->status().ok()) return storage_error("record read", it->status());
  return {};
}

Result<std::optional<uint64_t>> Store::first_position(uint64_t stream_id, uint32_t shard) {
  std::optional<uint64_t> found;
  Status s = read_records(stream_id, shard, 0, [&](const RecordView& r) {
    found = r.position;
    return false;
  });
  if (!s.ok()) return std::move(s).error();
  return found;
}

Result<std::optional<uint64_t>> Store::last_position(uint64_t stream_id, uint32_t shard) {
  char lower[kShardPrefixSize];
  char upper[kShardPrefixSize];
  encode_shard_prefix(lower, stream_id, shard);
  encode_shard_prefix(upper, stream_id, shard + 1);
  rocksdb::Slice lower_slice(lower, sizeof lower);
  rocksdb::Slice upper_slice(upper, sizeof upper);
  rocksdb::ReadOptions ro;
  ro.iterate_lower_bound = &lower_slice;
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, records_));
  it->SeekToLast();
  if (!it->status().ok()) return storage_error("record seek", it->status());
  if (!it->Valid() || it->key().size() != kRecordKeySize) return std::optional<uint64_t>();
  return std::optional<uint64_t>(get_u64_be(it->key().data() + kShardPrefixSize));
}

Status Store::delete_records_before(uint64_t stream_id, uint32_t shard, uint64_t position) {
  // The shard's prefix alone sorts before its first record; being shorter than a record key it
  // also stays out of the memtable insertion hints (see RecordKeyHint).
  char begin[kRecordKeySize];
  char end[kRecordKeySize];
  encode_record_key(begin, stream_id, shard, 0);
  encode_record_key(end, stream_id, shard, position);
  rocksdb::Status s =
      db_->DeleteRange(write_options(sync_), records_, rocksdb::Slice(begin, kShardPrefixSize),
                       rocksdb::Slice(end, sizeof end));
  if (!s.ok()) return storage_error("retention trim", s);
  return {};
}

Status Store::delete_stream_records(uint64_t stream_id) {
  char begin[8];
  char end[8];
  put_u64_be(begin, stream_id);
  put_u64_be(end, stream_id + 1);
  rocksdb::Status s = db_->DeleteRange(write_options(sync_), records_, rocksdb::Slice(begin, 8),
                                       rocksdb::Slice(end, 8));
  if (!s.ok()) return storage_error("stream delete", s);
  return {};
}

void Store::add_data_key(const DataKey& key) {
  std::unique_lock lock(keys_mu_);
  keys_[key.number] = key;
}

std::string Store::high_water_key(uint64_t stream_id, uint32_t shard) {
  std::string key = "hwm/";
  char buf[kShardPrefixSize];
  encode_shard_prefix(buf, stream_id, shard);
  key.append(buf, sizeof buf);
  return key;
}

}  // namespace kinesis_emulator::storage
