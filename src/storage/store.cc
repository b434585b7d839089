#include "storage/store.h"

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/options.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "storage/key_codec.h"

namespace kinesis_emulator::storage {

namespace {

constexpr char kFormatKey[] = "format";
constexpr char kFormatVersion[] = "1";

// The one place a RocksDB status becomes an errc (and so, in protocol/aws_error.cc, an AWS
// error). A full disk (or quota) and momentary conditions are ServiceUnavailable (503): RocksDB
// stops writes on such an error and resumes them by itself once space is back, so a retry can
// succeed. Anything else (other I/O errors such as EIO or EFBIG, corruption) is InternalFailure
// (500): it needs an operator. Either way the log names the data directory and RocksDB's status.
Error storage_error(const std::string& where, const char* what, const rocksdb::Status& s) {
  spdlog::error("storage: {} in {} failed: {}", what, where, s.ToString());
  if (s.IsNoSpace() || s.subcode() == rocksdb::Status::kSpaceLimit || s.IsBusy() ||
      s.IsTryAgain() || s.IsTimedOut()) {
    return make_error(errc::service_unavailable, std::string("Storage is unavailable during ") +
                                                     what + " (" + s.ToString() +
                                                     "); retry later.");
  }
  return make_error(errc::internal_failure,
                    std::string("Storage error during ") + what + ": " + s.ToString());
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
    return rocksdb::Slice(key.data(), kShardPrefixSize);
  }
  bool InDomain(const rocksdb::Slice& key) const override { return key.size() == kRecordKeySize; }
};

// RocksDB's own log goes to ours instead of to a LOG file in the data directory: warnings and
// errors (e.g. background flush failures) then reach the operator, and no LOG file can fail on a
// full disk. (Debian's librocksdb is built with assertions, and it aborts when it writes to a
// log file after a failed write to it: SstFileManager's recovery thread did exactly that.)
class SpdlogLogger : public rocksdb::Logger {
 public:
  SpdlogLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {}

  void Logv(const char* format, va_list ap) override {
    Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap);
  }
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel() || level == rocksdb::InfoLogLevel::HEADER_LEVEL) return;
    char buf[1024];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    const int n = std::vsnprintf(buf, sizeof buf, format, ap);
#pragma GCC diagnostic pop
    if (n < 0) return;
    std::string_view text(buf, std::min(static_cast<std::size_t>(n), sizeof buf - 1));
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
    const auto to = level >= rocksdb::InfoLogLevel::ERROR_LEVEL  ? spdlog::level::err
                    : level == rocksdb::InfoLogLevel::WARN_LEVEL ? spdlog::level::warn
                                                                 : spdlog::level::debug;
    spdlog::log(to, "rocksdb: {}", text);
  }
};

// Why a database could not be opened, in words an operator can act on.
std::string open_failure(const std::string& path, const rocksdb::Status& s) {
  const std::string status = s.ToString();
  if (s.IsCorruption() || s.IsPathNotFound() ||
      status.find("No such file or directory") != std::string::npos) {
    return "data directory " + path + " is damaged: " + status +
           ". It was left as it is; restore it from a copy, or move it aside to start with an "
           "empty one.";
  }
  if (status.find("Permission denied") != std::string::npos ||
      status.find("Read-only file system") != std::string::npos ||
      status.find("Operation not permitted") != std::string::npos) {
    return "cannot open data directory " + path + ": " + status +
           ". The directory and its files must be writable by the user running the emulator.";
  }
  if (s.IsNoSpace()) {
    return "cannot open data directory " + path + ": " + status + ". Free some space and restart.";
  }
  return "cannot open database in " + path + ": " + status;
}

// True if the directory holds a table file or a non-empty write-ahead log: data a database
// opened in it must show.
bool holds_data(const std::string& path) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
    const std::string ext = entry.path().extension().string();
    std::error_code size_ec;
    if (ext == ".sst" || (ext == ".log" && entry.file_size(size_ec) > 0 && !size_ec)) return true;
  }
  return false;
}

// Checks an existing data directory before anything writes to it, so that a directory this
// build refuses is left exactly as it was (a read-write open already rewrites the MANIFEST,
// flushes the write-ahead log and deletes files it finds unreferenced). Read-only, it runs
// RocksDB's recovery (which refuses a damaged CURRENT or MANIFEST, a missing or damaged table
// file, and a write-ahead log damaged anywhere but in a torn last record), verifies the checksum
// of every table block, and reads the format marker.
Status verify_existing(rocksdb::DBOptions options, const std::string& path,
                       const std::vector<rocksdb::ColumnFamilyDescriptor>& wanted,
                       bool verify_checksums) {
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(options, path, &names);
  if (!s.ok()) return make_error(errc::internal_failure, open_failure(path, s));
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& family : wanted) {
    if (std::find(names.begin(), names.end(), family.name) != names.end())
      families.push_back(family);
  }
  options.create_if_missing = false;
  auto logger = std::make_shared<SpdlogLogger>();  // its own, so the level can change below
  options.info_log = logger;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  const auto started = std::chrono::steady_clock::now();
  s = rocksdb::DB::OpenForReadOnly(options, path, families, &handles, &raw);
  if (!s.ok()) return make_error(errc::internal_failure, open_failure(path, s));
  std::unique_ptr<rocksdb::DB> db(raw);
  struct Closer {
    rocksdb::DB* db;
    std::vector<rocksdb::ColumnFamilyHandle*>& handles;
    ~Closer() {
      for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
      db->Close().PermitUncheckedError();
    }
  } closer{db.get(), handles};

  if (verify_checksums) {
    rocksdb::ReadOptions verify;
    verify.readahead_size = 2 << 20;
    verify.fill_cache = false;
    // VerifyChecksum opens each table again under a made-up name and warns, for every start-up,
    // that "0.sst" has no unique id to verify: only its errors are worth showing.
    logger->SetInfoLogLevel(rocksdb::InfoLogLevel::ERROR_LEVEL);
    s = db->VerifyChecksum(verify);
    logger->SetInfoLogLevel(rocksdb::InfoLogLevel::WARN_LEVEL);
    if (!s.ok()) return make_error(errc::internal_failure, open_failure(path, s));
  }
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  spdlog::log(took.count() >= 1000 ? spdlog::level::info : spdlog::level::debug,
              "storage: checked {} in {} ms", path, took.count());

  std::string format;
  s = db->Get(rocksdb::ReadOptions(), handles[0], kFormatKey, &format);
  if (s.IsNotFound()) {
    if (!holds_data(path)) return {};  // created, then stopped before its first write
    return make_error(errc::internal_failure,
                      "data directory " + path +
                          " holds a RocksDB database without the kinesis-emulator format marker: "
                          "it is not an emulator data directory, or it is damaged (e.g. a "
                          "truncated MANIFEST). It was left as it is.");
  }
  if (!s.ok()) return make_error(errc::internal_failure, open_failure(path, s));
  if (format != kFormatVersion) {
    return make_error(errc::internal_failure,
                      "data directory " + path + " has storage format " + format +
                          "; this build reads format " + kFormatVersion +
                          " (was it written by a newer kinesis-emulator?). It was left as it is.");
  }
  return {};
}

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
  db_options.info_log = std::make_shared<SpdlogLogger>();
  // A torn last record (a kill during a write) is tolerated, as RocksDB's default does; damage
  // anywhere else refuses the open, where the default would silently drop the rest of the log.
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;

  std::string path = options.path;
  if (options.in_memory) {
    store->env_.reset(rocksdb::NewMemEnv(rocksdb::Env::Default()));
    db_options.env = store->env_.get();
    path = "/kinesis-emulator-in-memory";
    store->description_ = "in-memory";
    // Made first, so that RocksDB does not log an error about listing a missing directory.
    store->env_->CreateDirIfMissing(path).PermitUncheckedError();
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
  // Index blocks live in that cache too, instead of in memory per open table file, so memory
  // stays flat however much is stored.
  table.cache_index_and_filter_blocks = true;
  rocksdb::ColumnFamilyOptions records_options;
  records_options.write_buffer_size = 8 << 20;  // two of them at most: RSS stays under 50 MB
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
  std::error_code exists_ec;  // (an unreadable directory is left to RocksDB to report)
  if (!options.in_memory &&
      std::filesystem::exists(std::filesystem::path(path) / "CURRENT", exists_ec)) {
    if (Status st = verify_existing(db_options, path, families, options.verify_checksums); !st.ok())
      return st.error();
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, path, families, &handles, &raw);
  if (!s.ok()) return make_error(errc::internal_failure, open_failure(path, s));
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
                                                  kFormatVersion +
                                                  " (was it written by a newer kinesis-emulator?)");
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
  if (!s.ok()) return storage_error(description_, "write", s);
  return {};
}

Result<std::optional<std::string>> Store::get_meta(std::string_view key) {
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), meta_, rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return storage_error(description_, "metadata read", s);
  return std::optional<std::string>(std::move(value));
}

Status Store::put_meta(std::string_view key, std::string_view value) {
  rocksdb::Status s = db_->Put(write_options(sync_), meta_, rocksdb::Slice(key.data(), key.size()),
                               rocksdb::Slice(value.data(), value.size()));
  if (!s.ok()) return storage_error(description_, "metadata write", s);
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
  if (!it->status().ok()) return storage_error(description_, "metadata scan", it->status());
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
      spdlog::error("storage: record {} of stream {} shard {} in {} cannot be decoded",
                    view.position, stream_id, shard, description_);
      return make_error(errc::internal_failure, "Corrupt or undecryptable record in storage");
    }
    if (!fn(view)) break;
  }
  if (!it->status().ok()) return storage_error(description_, "record read", it->status());
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
  if (!it->status().ok()) return storage_error(description_, "record seek", it->status());
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
  if (!s.ok()) return storage_error(description_, "retention trim", s);
  return {};
}

Status Store::delete_stream_records(uint64_t stream_id) {
  char begin[8];
  char end[8];
  put_u64_be(begin, stream_id);
  put_u64_be(end, stream_id + 1);
  rocksdb::Status s = db_->DeleteRange(write_options(sync_), records_, rocksdb::Slice(begin, 8),
                                       rocksdb::Slice(end, 8));
  if (!s.ok()) return storage_error(description_, "stream delete", s);
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

uint64_t Store::last_write() const {
  return db_->GetLatestSequenceNumber();
}

Status Store::sync_wal() {
  rocksdb::Status s = db_->SyncWAL();
  if (!s.ok()) return make_error(errc::internal_failure, "WAL sync failed: " + s.ToString());
  return {};
}

}  // namespace kinesis_emulator::storage
