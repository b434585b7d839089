// Store::open on damaged, foreign and half-created data directories: it refuses what it cannot
// trust with a message naming the directory, and leaves such a directory byte for byte alone.
#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storage/store.h"
#include "support/temp_dir.h"

namespace kinesis_emulator::storage {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string> snapshot(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    out[entry.path().filename().string()] =
        std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return out;
}

void flip_bytes(const fs::path& file, std::uintmax_t offset) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  ASSERT_TRUE(f.good()) << file;
  char buf[16];
  f.seekg(static_cast<std::streamoff>(offset));
  f.read(buf, sizeof buf);
  for (char& c : buf) c = static_cast<char>(c ^ 0x5a);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(buf, sizeof buf);
}

// The largest file of `dir` whose name ends in `suffix`.
fs::path largest(const std::string& dir, const std::string& suffix) {
  fs::path best;
  std::uintmax_t best_size = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(suffix) && entry.file_size() >= best_size) {
      best = entry.path();
      best_size = entry.file_size();
    }
  }
  return best;
}

class StoreOpenTest : public ::testing::Test {
 protected:
  StoreOptions options() const {
    StoreOptions o;
    o.path = dir_.sub("db");
    return o;
  }

  // Writes `batches` batches of 100 records of 200 bytes to stream 1, shard 0.
  void write_records(int batches, uint64_t first_position = 1) {
    auto store = Store::open(options());
    ASSERT_TRUE(store.ok()) << store.error().message;
    uint64_t position = first_position;
    for (int b = 0; b < batches; ++b) {
      RecordBatch batch = (*store)->make_batch();
      for (int i = 0; i < 100; ++i) {
        ASSERT_TRUE(batch.put_record(1, 0, position++, "pk", std::string(200, 'x')).ok());
      }
      ASSERT_TRUE((*store)->write(batch).ok());
    }
  }

  std::size_t count_records() {
    auto store = Store::open(options());
    EXPECT_TRUE(store.ok()) << store.error().message;
    if (!store.ok()) return 0;
    std::size_t n = 0;
    EXPECT_TRUE((*store)
                    ->read_records(1, 0, 0,
                                   [&](const RecordView&) {
                                     ++n;
                                     return true;
                                   })
                    .ok());
    return n;
  }

  // Store::open must fail, mention `expected` and the directory, and change nothing.
  void expect_refused(const std::string& expected, bool verify_checksums = false) {
    const auto before = snapshot(dir_.sub("db"));
    StoreOptions o = options();
    o.verify_checksums = verify_checksums;
    auto store = Store::open(o);
    ASSERT_FALSE(store.ok()) << "opened a directory it should refuse";
    const std::string& message = store.error().message;
    EXPECT_NE(message.find(expected), std::string::npos) << message;
    EXPECT_NE(message.find(dir_.sub("db")), std::string::npos) << message;
    EXPECT_EQ(snapshot(dir_.sub("db")), before) << "a refused directory was modified";
  }

  testing_support::TempDir dir_;
};

TEST_F(StoreOpenTest, GarbageCurrentFileIsRefused) {
  write_records(1);
  std::ofstream(dir_.sub("db") + "/CURRENT", std::ios::trunc) << "garbage";
  expect_refused("is damaged");
}

TEST_F(StoreOpenTest, WriteAheadLogDamagedInTheMiddleIsRefused) {
  write_records(20);  // about 400 KB, all in the write-ahead log
  const fs::path wal = largest(dir_.sub("db"), ".log");
  ASSERT_GT(fs::file_size(wal), 100000u);
  flip_bytes(wal, fs::file_size(wal) / 2);
  expect_refused("is damaged");
}

TEST_F(StoreOpenTest, TornLastRecordOfTheWriteAheadLogIsTolerated) {
  write_records(20);
  const fs::path wal = largest(dir_.sub("db"), ".log");
  fs::resize_file(wal, fs::file_size(wal) - 100);  // a kill in the middle of the last write
  EXPECT_EQ(count_records(), 1900u);
}

TEST_F(StoreOpenTest, TableFileDamagedInADataBlockIsRefusedAtOpenWhenVerifying) {
  write_records(20);
  EXPECT_EQ(count_records(), 2000u);  // this open flushed the log into table files
  const fs::path sst = largest(dir_.sub("db"), ".sst");
  ASSERT_FALSE(sst.empty());
  flip_bytes(sst, fs::file_size(sst) / 3);
  expect_refused("checksum mismatch", /*verify_checksums=*/true);
  // Without the full check the store opens, and the read that meets the block fails cleanly.
  auto store = Store::open(options());
  ASSERT_TRUE(store.ok()) << store.error().message;
  bool failed = false;
  for (uint32_t shard = 0; shard < 4 && !failed; ++shard) {
    failed = !(*store)->read_records(1, shard, 0, [](const RecordView&) { return true; }).ok();
  }
  EXPECT_TRUE(failed) << "no read met the damaged block";
}

TEST_F(StoreOpenTest, ADatabaseWithoutTheFormatMarkerIsRefused) {
  rocksdb::Options o;
  o.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(o, dir_.sub("db"), &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "hello", "world").ok());
  ASSERT_TRUE(db->Close().ok());
  db.reset();
  expect_refused("without the kinesis-emulator format marker");
}

TEST_F(StoreOpenTest, ADatabaseCreatedButNeverWrittenIsTakenAsNew) {
  // A crash between creating the database and writing its format marker.
  rocksdb::DBOptions o;
  o.create_if_missing = true;
  o.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {{rocksdb::kDefaultColumnFamilyName, {}},
                                                           {"records", {}}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(o, dir_.sub("db"), families, &handles, &raw).ok());
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  ASSERT_TRUE(raw->Close().ok());
  delete raw;

  auto store = Store::open(options());
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto format = (*store)->get_meta("format");
  ASSERT_TRUE(format.ok());
  EXPECT_EQ(format->value_or(""), "1");
}

TEST_F(StoreOpenTest, NewerFormatIsRefusedBeforeAnythingIsWritten) {
  {
    auto store = Store::open(options());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->put_meta("format", "2").ok());
  }
  expect_refused("has storage format 2");
}

TEST_F(StoreOpenTest, NoLogFileInTheDataDirectory) {
  write_records(1);
  count_records();
  for (const auto& entry : fs::directory_iterator(dir_.sub("db"))) {
    EXPECT_FALSE(entry.path().filename().string().starts_with("LOG"))
        << "RocksDB's log goes to spdlog, not to " << entry.path();
  }
}

}  // namespace
}  // namespace kinesis_emulator::storage
