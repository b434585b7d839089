// ResourceStore: tags, consumers, policies, enhanced monitoring and account settings, their
// limits and lifecycles (on a ManualClock), and their persistence across restarts.
#include "engine/resource_store.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "unit/engine/engine_fixture.h"

namespace kinesis_emulator::engine {
namespace {

constexpr int64_t kUpdateDelayMs = 100;

class ResourceStoreTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    open_resources();
  }
  void TearDown() override { resources_.reset(); }

  void open_resources() {
    auto opened = ResourceStore::open(*engine_, options_);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    resources_ = std::move(*opened);
  }
  // Closes both and opens them again on the same directory.
  void reopen() {
    resources_.reset();
    restart();
    open_resources();
  }

  // Number of stored "res/" keys (closes and reopens everything around the count).
  std::size_t stored_resource_keys() {
    resources_.reset();
    close_engine();
    std::size_t n = 0;
    {
      auto store = open_store();
      if (store) {
        Status s = store->for_each_meta("res/", [&](std::string_view, std::string_view) { ++n; });
        EXPECT_TRUE(s.ok());
      }
    }
    open_engine();
    open_resources();
    return n;
  }

  StreamKey active_stream(const std::string& name) {
    const StreamKey k = key(name);
    create_active(k);
    return k;
  }

  void delete_and_wait(const StreamKey& k) {
    ASSERT_TRUE(engine_->delete_stream(k).ok());
    clock_.advance_ms(kDeleteDelayMs);
    ASSERT_FALSE(engine_->describe_stream(k).ok());
  }

  std::unique_ptr<ResourceStore> resources_;
};

TagList tags_of(std::initializer_list<std::pair<const char*, const char*>> list) {
  TagList out;
  for (const auto& [k, v] : list) out.emplace_back(k, v);
  return out;
}

TEST(ResourceArnTest, ParsesStreamAndConsumerArns) {
  auto s = parse_resource_arn("arn:aws:kinesis:eu-west-1:123456789012:stream/my.stream-1");
  ASSERT_TRUE(s.has_value());
  EXPECT_FALSE(s->is_consumer());
  EXPECT_EQ(s->stream.region, "eu-west-1");
  EXPECT_EQ(s->stream.account, "123456789012");
  EXPECT_EQ(s->stream.name, "my.stream-1");

  auto c = parse_resource_arn(
      "arn:aws-cn:kinesis:cn-north-1:123456789012:stream/s/consumer/app_1:1700000000");
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->is_consumer());
  EXPECT_EQ(c->stream.name, "s");
  EXPECT_EQ(c->consumer, "app_1");
  EXPECT_EQ(c->consumer_created_s, 1700000000);

  for (const char* bad :
       {"", "arn:aws:kinesis:us-east-1:123456789012:stream/",
        "arn:aws:sqs:us-east-1:123456789012:stream/s", "arn:aws:kinesis:us-east-1:12345:stream/s",
        "arn:aws:kinesis:us-east-1:123456789012:table/s",
        "arn:aws:kinesis:us-east-1:123456789012:stream/a/b",
        "arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c",
        "arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:x1",
        "arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/:1",
        "arn:aws:kinesis::123456789012:stream/s"}) {
    EXPECT_FALSE(parse_resource_arn(bad).has_value()) << bad;
  }
  EXPECT_EQ(consumer_arn(StreamKey{"123456789012", "us-east-1", "s"}, "c", 1'700'000'000'999),
            "arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1700000000");
}

TEST_F(ResourceStoreTest, TagsAddOverwriteRemoveList) {
  const StreamKey k = active_stream("tagged");
  const std::string arn = stream_arn(k);
  auto empty = resources_->list_tags(arn);
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_TRUE(empty->empty());

  ASSERT_TRUE(resources_->add_tags(arn, tags_of({{"b", "2"}, {"a", "1"}})).ok());
  ASSERT_TRUE(resources_->add_tags(arn, tags_of({{"a", "one"}, {"c", ""}})).ok());
  auto tags = resources_->list_tags(arn);
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(*tags, tags_of({{"a", "one"}, {"b", "2"}, {"c", ""}}));

  ASSERT_TRUE(resources_->remove_tags(arn, {"b", "absent"}).ok());
  EXPECT_EQ(*resources_->list_tags(arn), tags_of({{"a", "one"}, {"c", ""}}));
  ASSERT_TRUE(resources_->remove_tags(arn, {"a", "c"}).ok());
  EXPECT_TRUE(resources_->list_tags(arn)->empty());
}

TEST_F(ResourceStoreTest, TagRulesAndLimit) {
  const StreamKey k = active_stream("limits");
  const std::string arn = stream_arn(k);
  TagList fifty;
  for (int i = 0; i < 50; ++i) fifty.emplace_back(numbered("k", i), "v");
  ASSERT_TRUE(resources_->add_tags(arn, fifty).ok());
  ASSERT_TRUE(resources_->add_tags(arn, tags_of({{"k0", "changed"}})).ok());
  Status s = resources_->add_tags(arn, tags_of({{"k50", "v"}}));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, errc::invalid_argument);
  EXPECT_NE(s.error().message.find("50"), std::string::npos) << s.error().message;
  EXPECT_EQ(resources_->list_tags(arn)->size(), 50u);

  const StreamKey other = active_stream("rules");
  const std::string other_arn = stream_arn(other);
  for (const TagList& bad : {tags_of({{"aws:x", "v"}}), tags_of({{"AwS:x", "v"}}),
                             tags_of({{"k#", "v"}}), tags_of({{"k", "100%"}}),
                             tags_of({{"k", "tab\there"}}), tags_of({{"k", "\xF0\x9F\x98\x80"}})}) {
    Status r = resources_->add_tags(other_arn, bad);
    ASSERT_FALSE(r.ok()) << bad[0].first << "=" << bad[0].second;
    EXPECT_EQ(r.error().code, errc::invalid_argument);
  }
  EXPECT_EQ(resources_->remove_tags(other_arn, {"aws:created"}).error().code,
            errc::invalid_argument);
  const TagList ok = tags_of({{"Key_1 .:/=+-@", "V\xC3\xA4lue \xE6\x97\xA5\xE6\x9C\xAC"}});
  ASSERT_TRUE(resources_->add_tags(other_arn, ok).ok());
  EXPECT_EQ(*resources_->list_tags(other_arn), ok);
  EXPECT_TRUE(resources_->add_tags(other_arn, tags_of({{"awsome", "yes"}})).ok());

  // The same checks, for CreateStream's tags.
  EXPECT_TRUE(ResourceStore::check_stream_tags(key("new"), fifty).ok());
  fifty.emplace_back("k50", "v");
  EXPECT_EQ(ResourceStore::check_stream_tags(key("new"), fifty).error().code,
            errc::invalid_argument);
  EXPECT_EQ(ResourceStore::check_stream_tags(key("new"), tags_of({{"aws:k", "v"}})).error().code,
            errc::invalid_argument);
}

TEST_F(ResourceStoreTest, UnknownResources) {
  const std::string missing = stream_arn(key("missing"));
  EXPECT_EQ(resources_->list_tags(missing).error().code, errc::resource_not_found);
  EXPECT_EQ(resources_->add_tags(missing, tags_of({{"a", "b"}})).error().code,
            errc::resource_not_found);
  EXPECT_EQ(resources_->get_policy(missing).error().code, errc::resource_not_found);
  EXPECT_EQ(resources_->list_consumers(key("missing")).error().code, errc::resource_not_found);
  EXPECT_EQ(resources_->enable_metrics(key("missing"), {"IncomingBytes"}).error().code,
            errc::resource_not_found);
  EXPECT_EQ(resources_->list_tags("not an arn").error().code, errc::invalid_argument);

  const StreamKey k = active_stream("present");
  const std::string consumer = stream_arn(k) + "/consumer/nope:1700000000";
  EXPECT_EQ(resources_->list_tags(consumer).error().code, errc::resource_not_found);
  EXPECT_EQ(resources_->describe_consumer(consumer).error().code, errc::resource_not_found);
  EXPECT_EQ(resources_->describe_consumer(k, "nope").error().code, errc::resource_not_found);
  EXPECT_EQ(resources_->describe_consumer(stream_arn(k)).error().code, errc::invalid_argument);
  EXPECT_EQ(resources_->consumer_count(stream_arn(key("missing"))), 0u);
}

TEST_F(ResourceStoreTest, ConsumerLifecycle) {
  const StreamKey k = active_stream("efo");
  auto c = resources_->register_consumer(k, "app");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->status, ConsumerStatus::creating);
  EXPECT_EQ(c->arn, consumer_arn(k, "app", clock_.now_ms()));
  EXPECT_EQ(c->stream_arn, stream_arn(k));
  EXPECT_EQ(c->created_ms, clock_.now_ms());
  EXPECT_EQ(resources_->consumer_count(stream_arn(k)), 1u);
  EXPECT_EQ(resources_->register_consumer(k, "app").error().code, errc::resource_in_use);

  clock_.advance_ms(kUpdateDelayMs - 1);
  EXPECT_EQ(resources_->describe_consumer(c->arn)->status, ConsumerStatus::creating);
  clock_.advance_ms(1);
  auto by_arn = resources_->describe_consumer(c->arn);
  ASSERT_TRUE(by_arn.ok());
  EXPECT_EQ(by_arn->status, ConsumerStatus::active);
  auto by_name = resources_->describe_consumer(k, "app");
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ(by_name->arn, c->arn);

  auto d = resources_->deregister_consumer(k, "app");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->status, ConsumerStatus::deleting);
  EXPECT_EQ(resources_->register_consumer(k, "app").error().code, errc::resource_in_use);
  EXPECT_TRUE(resources_->deregister_consumer(c->arn).ok());  // already DELETING: fine
  EXPECT_EQ(resources_->consumer_count(stream_arn(k)), 1u);
  clock_.advance_ms(kUpdateDelayMs);
  EXPECT_EQ(resources_->describe_consumer(c->arn).error().code, errc::resource_not_found);
  EXPECT_EQ(resources_->deregister_consumer(k, "app").error().code, errc::resource_not_found);
  EXPECT_EQ(resources_->consumer_count(stream_arn(k)), 0u);
  EXPECT_TRUE(resources_->list_consumers(k)->empty());

  // The name is free again; the new consumer has a new ARN.
  clock_.advance_ms(1000);
  auto again = resources_->register_consumer(k, "app");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again->arn, c->arn);
  EXPECT_EQ(resources_->describe_consumer(c->arn).error().code, errc::resource_not_found);
}

TEST_F(ResourceStoreTest, ConsumerLimits) {
  const StreamKey k = active_stream("many");
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(resources_->register_consumer(k, numbered("c", i)).ok());
  EXPECT_EQ(resources_->register_consumer(k, "c5").error().code, errc::limit_exceeded);
  clock_.advance_ms(kUpdateDelayMs);
  for (int i = 5; i < 20; ++i) {
    ASSERT_TRUE(resources_->register_consumer(k, numbered("c", i)).ok()) << i;
    if (i % 5 == 4) clock_.advance_ms(kUpdateDelayMs);
  }
  EXPECT_EQ(resources_->register_consumer(k, "c20").error().code, errc::limit_exceeded);
  EXPECT_EQ(resources_->consumer_count(stream_arn(k)), 20u);
  auto list = resources_->list_consumers(k);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 20u);
  EXPECT_EQ((*list)[0].name, "c0");
  EXPECT_EQ((*list)[1].name, "c1");
  EXPECT_EQ((*list)[2].name, "c10");  // by name

  // Another stream has its own limit; names need only be unique per stream.
  const StreamKey other = active_stream("other");
  EXPECT_TRUE(resources_->register_consumer(other, "c0").ok());

  // A consumer counts until it is gone.
  ASSERT_TRUE(resources_->deregister_consumer(k, "c0").ok());
  EXPECT_EQ(resources_->register_consumer(k, "c20").error().code, errc::limit_exceeded);
  clock_.advance_ms(kUpdateDelayMs);
  EXPECT_TRUE(resources_->register_consumer(k, "c20").ok());
}

TEST_F(ResourceStoreTest, ConsumerNeedsAnActiveStream) {
  const StreamKey k = key("young");
  ASSERT_TRUE(engine_->create_stream(k, 1, StreamMode::provisioned).ok());
  EXPECT_EQ(resources_->register_consumer(k, "c").error().code, errc::resource_in_use);
  clock_.advance_ms(kCreateDelayMs);
  EXPECT_TRUE(resources_->register_consumer(k, "c").ok());
}

TEST_F(ResourceStoreTest, ConsumerTagsAndPolicyAreTheirOwn) {
  const StreamKey k = active_stream("owner");
  auto c = resources_->register_consumer(k, "app", tags_of({{"team", "x"}}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*resources_->list_tags(c->arn), tags_of({{"team", "x"}}));
  EXPECT_TRUE(resources_->list_tags(stream_arn(k))->empty());
  ASSERT_TRUE(resources_->add_tags(c->arn, tags_of({{"b", "y"}})).ok());
  EXPECT_EQ(resources_->list_tags(c->arn)->size(), 2u);
  ASSERT_TRUE(resources_->put_policy(c->arn, R"({"Id": "c"})").ok());
  EXPECT_EQ(**resources_->get_policy(c->arn), R"({"Id": "c"})");
  EXPECT_FALSE(resources_->get_policy(stream_arn(k))->has_value());

  EXPECT_EQ(resources_->register_consumer(k, "bad", tags_of({{"aws:k", "v"}})).error().code,
            errc::invalid_argument);
  EXPECT_EQ(resources_->describe_consumer(k, "bad").error().code, errc::resource_not_found);

  // Gone consumers take their tags and policy with them.
  ASSERT_TRUE(resources_->deregister_consumer(c->arn).ok());
  clock_.advance_ms(kUpdateDelayMs);
  EXPECT_EQ(resources_->list_tags(c->arn).error().code, errc::resource_not_found);
  EXPECT_EQ(stored_resource_keys(), 0u);
}

TEST_F(ResourceStoreTest, Policies) {
  const StreamKey k = active_stream("guarded");
  const std::string arn = stream_arn(k);
  auto none = resources_->get_policy(arn);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(resources_->delete_policy(arn).error().code, errc::resource_not_found);
  for (const char* bad : {"", "not json", "[1]", "\"s\"", "{\"a\":"}) {
    EXPECT_EQ(resources_->put_policy(arn, bad).error().code, errc::invalid_argument) << bad;
  }
  const std::string policy = R"({"Version": "2012-10-17", "Statement": []})";
  ASSERT_TRUE(resources_->put_policy(arn, policy).ok());
  EXPECT_EQ(**resources_->get_policy(arn), policy);  // verbatim
  ASSERT_TRUE(resources_->delete_policy(arn).ok());
  EXPECT_FALSE(resources_->get_policy(arn)->has_value());
}

TEST_F(ResourceStoreTest, EnhancedMonitoring) {
  const StreamKey k = active_stream("watched");
  auto a = resources_->enable_metrics(k, {"OutgoingBytes", "IncomingBytes", "IncomingBytes"});
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->stream_name, "watched");
  EXPECT_EQ(a->stream_arn, stream_arn(k));
  EXPECT_TRUE(a->current.empty());
  EXPECT_EQ(a->desired, (std::vector<std::string>{"IncomingBytes", "OutgoingBytes"}));
  auto b = resources_->disable_metrics(k, {"IncomingBytes", "IteratorAgeMilliseconds"});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->current, a->desired);
  EXPECT_EQ(b->desired, (std::vector<std::string>{"OutgoingBytes"}));
  EXPECT_EQ(resources_->shard_level_metrics(stream_arn(k)), b->desired);
  auto view = engine_->describe_stream(k);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(resources_->shard_level_metrics(*view), b->desired);
  EXPECT_TRUE(resources_->shard_level_metrics(stream_arn(key("missing"))).empty());

  const StreamKey young = key("young");
  ASSERT_TRUE(engine_->create_stream(young, 1, StreamMode::provisioned).ok());
  EXPECT_EQ(resources_->enable_metrics(young, {"IncomingBytes"}).error().code,
            errc::resource_in_use);
}

TEST_F(ResourceStoreTest, BillingCommitment) {
  const char* acct = "123456789012";
  BillingCommitment none = resources_->billing_commitment(acct, "us-east-1");
  EXPECT_EQ(none.status, CommitmentStatus::disabled);
  EXPECT_FALSE(none.started_ms || none.ended_ms || none.earliest_allowed_end_ms);

  const int64_t t0 = clock_.now_ms();
  auto on = resources_->update_billing_commitment(acct, "us-east-1", true);
  ASSERT_TRUE(on.ok());
  EXPECT_EQ(on->status, CommitmentStatus::enabled);
  EXPECT_EQ(on->started_ms, t0);
  EXPECT_EQ(on->earliest_allowed_end_ms, t0 + kBillingCommitmentMinimumMs);
  EXPECT_EQ(resources_->billing_commitment(acct, "eu-west-1").status, CommitmentStatus::disabled);

  clock_.advance_ms(kHourMs);
  auto pending = resources_->update_billing_commitment(acct, "us-east-1", false);
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->status, CommitmentStatus::enabled_until_earliest_allowed_end);
  auto cancelled = resources_->update_billing_commitment(acct, "us-east-1", true);
  EXPECT_EQ(cancelled->status, CommitmentStatus::enabled);
  EXPECT_EQ(cancelled->started_ms, t0);
  ASSERT_TRUE(resources_->update_billing_commitment(acct, "us-east-1", false).ok());

  // The scheduled disable takes effect at the earliest allowed end.
  clock_.advance_ms(23 * kHourMs);
  BillingCommitment ended = resources_->billing_commitment(acct, "us-east-1");
  EXPECT_EQ(ended.status, CommitmentStatus::disabled);
  EXPECT_EQ(ended.started_ms, t0);
  EXPECT_EQ(ended.ended_ms, t0 + kBillingCommitmentMinimumMs);

  // A new commitment, disabled after its window: ends at once.
  auto again = resources_->update_billing_commitment(acct, "us-east-1", true);
  EXPECT_EQ(again->started_ms, clock_.now_ms());
  clock_.advance_ms(25 * kHourMs);
  auto off = resources_->update_billing_commitment(acct, "us-east-1", false);
  EXPECT_EQ(off->status, CommitmentStatus::disabled);
  EXPECT_EQ(off->ended_ms, clock_.now_ms());
}

TEST_F(ResourceStoreTest, EverythingSurvivesRestart) {
  const StreamKey k = active_stream("durable");
  const std::string arn = stream_arn(k);
  ASSERT_TRUE(resources_->add_tags(arn, tags_of({{"a", "1"}})).ok());
  auto c = resources_->register_consumer(k, "reader", tags_of({{"c", "2"}}));
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(resources_->put_policy(arn, "{}").ok());
  ASSERT_TRUE(resources_->put_policy(c->arn, R"({"Id":"c"})").ok());
  ASSERT_TRUE(resources_->enable_metrics(k, {"IncomingRecords"}).ok());
  ASSERT_TRUE(resources_->update_billing_commitment("123456789012", "us-east-1", true).ok());
  auto leaving = resources_->register_consumer(k, "leaving");
  ASSERT_TRUE(leaving.ok());
  ASSERT_TRUE(resources_->deregister_consumer(leaving->arn).ok());

  reopen();

  EXPECT_EQ(*resources_->list_tags(arn), tags_of({{"a", "1"}}));
  EXPECT_EQ(*resources_->list_tags(c->arn), tags_of({{"c", "2"}}));
  EXPECT_EQ(**resources_->get_policy(arn), "{}");
  EXPECT_EQ(**resources_->get_policy(c->arn), R"({"Id":"c"})");
  EXPECT_EQ(resources_->shard_level_metrics(arn), std::vector<std::string>{"IncomingRecords"});
  EXPECT_EQ(resources_->billing_commitment("123456789012", "us-east-1").status,
            CommitmentStatus::enabled);
  auto reader = resources_->describe_consumer(c->arn);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->created_ms, c->created_ms);
  EXPECT_EQ(reader->status, ConsumerStatus::creating);  // computed from the times
  EXPECT_EQ(resources_->describe_consumer(leaving->arn)->status, ConsumerStatus::deleting);
  clock_.advance_ms(kUpdateDelayMs);
  EXPECT_EQ(resources_->describe_consumer(c->arn)->status, ConsumerStatus::active);
  EXPECT_EQ(resources_->describe_consumer(leaving->arn).error().code, errc::resource_not_found);
  EXPECT_EQ(resources_->consumer_count(arn), 1u);
}

TEST_F(ResourceStoreTest, RecreatedStreamStartsClean) {
  const StreamKey k = active_stream("phoenix");
  const std::string arn = stream_arn(k);
  ASSERT_TRUE(resources_->add_tags(arn, tags_of({{"old", "yes"}})).ok());
  ASSERT_TRUE(resources_->register_consumer(k, "old").ok());
  ASSERT_TRUE(resources_->put_policy(arn, "{}").ok());
  ASSERT_TRUE(resources_->enable_metrics(k, {"IncomingBytes"}).ok());
  // Deleted without forget_stream() (as after a crash between the two writes).
  delete_and_wait(k);
  create_active(k);
  EXPECT_TRUE(resources_->shard_level_metrics(arn).empty());
  EXPECT_EQ(resources_->consumer_count(arn), 0u);
  EXPECT_TRUE(resources_->list_tags(arn)->empty());
  EXPECT_TRUE(resources_->list_consumers(k)->empty());
  EXPECT_FALSE(resources_->get_policy(arn)->has_value());
  EXPECT_EQ(stored_resource_keys(), 0u);
}

TEST_F(ResourceStoreTest, DeletedStreamsResourcesAreDroppedAtStartUp) {
  const StreamKey gone = active_stream("gone");
  const StreamKey kept = active_stream("kept");
  ASSERT_TRUE(resources_->add_tags(stream_arn(gone), tags_of({{"a", "b"}})).ok());
  ASSERT_TRUE(resources_->register_consumer(gone, "c", tags_of({{"a", "b"}})).ok());
  ASSERT_TRUE(resources_->add_tags(stream_arn(kept), tags_of({{"a", "b"}})).ok());
  delete_and_wait(gone);
  ASSERT_TRUE(engine_->trim_expired().ok());
  reopen();
  EXPECT_EQ(stored_resource_keys(), 1u);
  EXPECT_EQ(resources_->list_tags(stream_arn(kept))->size(), 1u);
}

TEST_F(ResourceStoreTest, ForgetStreamDropsEverything) {
  const StreamKey k = active_stream("forgotten");
  const std::string arn = stream_arn(k);
  ASSERT_TRUE(resources_->add_tags(arn, tags_of({{"a", "b"}})).ok());
  auto c = resources_->register_consumer(k, "c", tags_of({{"a", "b"}}));
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(resources_->put_policy(c->arn, "{}").ok());
  ASSERT_TRUE(resources_->enable_metrics(k, {"IncomingBytes"}).ok());
  resources_->forget_stream(arn);
  resources_->forget_stream(arn);  // idempotent
  EXPECT_EQ(resources_->consumer_count(arn), 0u);
  EXPECT_TRUE(resources_->list_tags(arn)->empty());
  EXPECT_EQ(stored_resource_keys(), 0u);
}

}  // namespace
}  // namespace kinesis_emulator::engine
