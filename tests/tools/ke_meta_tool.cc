// ke-meta-tool: writes one key of a stopped kinesis-emulator data directory's metadata (the
// default column family), straight through RocksDB. The e2e tests use it to make a directory
// that claims a newer storage format (ke-meta-tool DIR format 2), or, given an empty
// directory, a RocksDB database that is not an emulator's.
#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s DATA_DIR KEY VALUE\n", argv[0]);
    return 2;
  }
  const std::string path = argv[1];
  rocksdb::DBOptions options;
  options.create_if_missing = true;  // in an empty directory: a database that is not the emulator's
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(options, path, &names);
  if (!s.ok()) names = {rocksdb::kDefaultColumnFamilyName};
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::Open(options, path, families, &handles, &raw);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions sync;
  sync.sync = true;
  s = db->Put(sync, db->DefaultColumnFamily(), argv[2], argv[3]);
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  rocksdb::Status closed = db->Close();
  if (!s.ok() || !closed.ok()) {
    std::fprintf(stderr, "%s\n", (s.ok() ? closed : s).ToString().c_str());
    return 1;
  }
  return 0;
}
