// Server-side encryption: records written while it is on are not plaintext on disk, read back
// intact (also after a restart), and say EncryptionType KMS; stopping it affects new records only.
#include <filesystem>
#include <fstream>
#include <iterator>

#include "engine_fixture.h"

namespace kinesis_emulator::engine {
namespace {

class EngineEncryptionTest : public EngineTest {
 protected:
  // Whether any file of the data directory (WAL, SST, ...) holds `needle`.
  bool on_disk(const std::string& needle) {
    close_engine();  // flushes nothing, but makes sure the WAL is written out
    bool found = false;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.sub("data"))) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
      if (bytes.find(needle) != std::string::npos) found = true;
    }
    open_engine();
    return found;
  }

  std::vector<RecordOut> read_out(const StreamKey& k) {
    std::vector<RecordOut> out;
    auto r = engine_->get_records(iterator(k, 0), 100, [&](const RecordOut& o) {
      RecordOut copy = o;
      copy.partition_key = {};
      copy.data = {};
      out.push_back(copy);
    });
    EXPECT_TRUE(r.ok());
    return out;
  }
};

TEST_F(EngineEncryptionTest, RecordsAtRestAreNotPlaintextButReadBack) {
  const StreamKey plain = key("plain");
  const StreamKey secret = key("secret");
  create_active(plain, 1);
  create_active(secret, 1);
  ASSERT_TRUE(engine_->start_encryption(secret, "alias/aws/kinesis").ok());
  EXPECT_EQ(engine_->describe_stream(secret)->status, StreamStatus::updating);
  EXPECT_EQ(engine_->describe_stream(secret)->meta.encryption_key_id, "alias/aws/kinesis");

  const PutResult p = put(plain, "pk-plain", "PLAINTEXT-MARKER-0001");
  const PutResult e = put(secret, "pk-secret-key", "SECRET-MARKER-0002");
  EXPECT_FALSE(p.encrypted);
  EXPECT_TRUE(e.encrypted);

  EXPECT_TRUE(on_disk("PLAINTEXT-MARKER-0001"));  // the control: the search does find data
  EXPECT_FALSE(on_disk("SECRET-MARKER-0002"));
  EXPECT_FALSE(on_disk("pk-secret-key"));

  const auto records = read_shard(secret, 0);  // after a restart (on_disk reopened)
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].data, "SECRET-MARKER-0002");
  EXPECT_EQ(records[0].partition_key, "pk-secret-key");
  EXPECT_EQ(records[0].sequence_number, e.sequence_number);
  EXPECT_TRUE(read_out(secret)[0].encrypted);
  EXPECT_FALSE(read_out(plain)[0].encrypted);
}

TEST_F(EngineEncryptionTest, StoppingAffectsNewRecordsOnly) {
  const StreamKey s = key("toggle");
  create_active(s, 1);
  ASSERT_TRUE(engine_->start_encryption(s, "arn:aws:kms:us-east-1:123456789012:key/abc").ok());
  clock_.advance_ms(options_.update_delay_ms);
  put(s, "k", "one");
  ASSERT_TRUE(engine_->stop_encryption(s).ok());
  clock_.advance_ms(options_.update_delay_ms);
  put(s, "k", "two");
  const auto out = read_out(s);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[0].encrypted);
  EXPECT_FALSE(out[1].encrypted);
  EXPECT_TRUE(engine_->describe_stream(s)->meta.encryption_key_id.empty());
  restart();
  EXPECT_EQ(read_shard(s, 0).size(), 2u);
}

TEST_F(EngineEncryptionTest, MalformedKeyIdIsRefusedAndChangesNothing) {
  const StreamKey s = key("bad-key");
  create_active(s, 1);
  Status st = engine_->start_encryption(s, "not a key");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, errc::invalid_argument);
  EXPECT_EQ(engine_->describe_stream(s)->status, StreamStatus::active);
  EXPECT_FALSE(put(s, "k", "v").encrypted);
}

TEST(RecordCipher, TamperedCiphertextOrMovedRecordDoesNotOpen) {
  storage::DataKey key;
  key.number = 7;
  key.bytes.fill(0x42);
  std::string sealed;
  ASSERT_TRUE(storage::seal_record(sealed, key, "position-1", "payload"));
  std::string plain;
  ASSERT_TRUE(storage::open_record(plain, key, "position-1", sealed));
  EXPECT_EQ(plain, "payload");
  EXPECT_FALSE(storage::open_record(plain, key, "position-2", sealed));
  std::string flipped = sealed;
  flipped[20] ^= 1;
  EXPECT_FALSE(storage::open_record(plain, key, "position-1", flipped));
  uint32_t number = 0;
  ASSERT_TRUE(storage::record_key_number(sealed, number));
  EXPECT_EQ(number, 7u);
}

}  // namespace
}  // namespace kinesis_emulator::engine
