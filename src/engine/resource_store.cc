// ResourceStore: tags, consumers, resource policies, enhanced monitoring and account settings.
#include "engine/resource_store.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace kinesis_emulator::engine {

using nlohmann::json;

namespace {

// Stored under the meta column family, beside the engine's own keys ("stream/", "hwm/", ...).
constexpr std::string_view kPrefix = "res/";
constexpr std::string_view kTagsPrefix = "res/tags/";
constexpr std::string_view kConsumerPrefix = "res/consumer/";
constexpr std::string_view kPolicyPrefix = "res/policy/";
constexpr std::string_view kMetricsPrefix = "res/metrics/";
constexpr std::string_view kAccountPrefix = "res/account-settings/";

std::string key_of(std::string_view prefix, std::string_view a, std::string_view b = {}) {
  std::string k(prefix);
  k.append(a);
  if (!b.empty()) k.append("/").append(b);
  return k;
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string account_region(std::string_view account, std::string_view region) {
  std::string k(account);
  k.append("/").append(region);
  return k;
}

std::string stream_not_active(const StreamView& view) {
  return "Stream " + view.meta.key.name + " under account " + view.meta.key.account +
         " not ACTIVE, instead in state " + to_string(view.status);
}

Error invalid_arn(std::string_view arn) {
  return make_error(errc::invalid_argument,
                    "Invalid ARN " + std::string(arn) + ": not a stream or consumer ARN.");
}

Error consumer_arn_not_found(std::string_view arn, const StreamKey& stream) {
  return make_error(errc::resource_not_found,
                    "Consumer " + std::string(arn) + ", account " + stream.account + " not found.");
}

// Decodes one UTF-8 code point at `i`, advancing it; nullopt on a malformed sequence.
std::optional<char32_t> next_code_point(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  std::size_t len = 0;
  char32_t cp = 0;
  if (b0 < 0x80) {
    ++i;
    return b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1Fu;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0Fu;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07u;
  } else {
    return std::nullopt;
  }
  if (i + len > s.size()) return std::nullopt;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  i += len;
  return cp;
}

// The characters AWS accepts in tags: Unicode letters, digits, white space, _ . / = + - @ : and
// (refused later, with its own message) %. "Letters" are approximated by the ranges AWS-checked
// emulators use.
bool tag_text_ok(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    auto cp = next_code_point(text, i);
    if (!cp) return false;
    const char32_t c = *cp;
    if (c < 0x80) {
      const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!alnum &&
          std::string_view("_./=+-@:% ").find(static_cast<char>(c)) == std::string_view::npos)
        return false;
    } else if (!((c >= 0xC0 && c <= 0x1FFF) || (c >= 0x2C00 && c <= 0xD7FF))) {
      return false;
    }
  }
  return true;
}

bool reserved_tag_key(std::string_view key) {
  if (key.size() < 4) return false;
  for (std::size_t i = 0; i < 3; ++i) {
    const char c = static_cast<char>(key[i] | 0x20);  // ASCII lower case
    if (c != "aws"[i]) return false;
  }
  return key[3] == ':';
}

// `what`: "add tags to stream s under account 1234" (or "remove tags from ...").
Status check_tag_text(const std::vector<std::string_view>& texts, const std::string& what) {
  for (std::string_view t : texts) {
    if (!tag_text_ok(t)) {
      return make_error(errc::invalid_argument,
                        "Some tags contain invalid characters. Valid characters: Unicode letters, "
                        "digits, white space, _ . / = + - % @ :.");
    }
  }
  for (std::string_view t : texts) {
    if (t.find('%') != std::string_view::npos) {
      return make_error(errc::invalid_argument,
                        "Failed to " + what +
                            " because some tags contained illegal characters. The allowed "
                            "characters are Unicode letters, white-spaces, '_',',','/','=','+',"
                            "'-','@',':'.");
    }
  }
  return {};
}

Status check_tag_keys(const std::vector<std::string_view>& keys, const std::string& what) {
  for (std::string_view k : keys) {
    if (reserved_tag_key(k)) {
      return make_error(errc::invalid_argument,
                        "Failed to " + what + " because tag key " + std::string(k) +
                            " uses the prefix 'aws:', which is reserved for AWS use.");
    }
  }
  return {};
}

Status check_tags(const TagList& tags, const std::string& what) {
  std::vector<std::string_view> keys, texts;
  for (const auto& [k, v] : tags) {
    keys.push_back(k);
    texts.push_back(k);
    texts.push_back(v);
  }
  if (Status s = check_tag_keys(keys, what); !s.ok()) return s;
  return check_tag_text(texts, what);
}

std::string too_many_tags(const std::string& what, bool consumer) {
  return "Failed to " + what + " because a given " + (consumer ? "consumer" : "stream") +
         " cannot have more than " + std::to_string(kMaxTagsPerResource) +
         " tags associated with it.";
}

std::optional<int64_t> opt_i64(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

void put_opt(json& j, const char* name, const std::optional<int64_t>& v) {
  if (v) j[name] = *v;
}

}  // namespace

const char* to_string(ConsumerStatus status) {
  switch (status) {
    case ConsumerStatus::creating:
      return "CREATING";
    case ConsumerStatus::active:
      return "ACTIVE";
    case ConsumerStatus::deleting:
      return "DELETING";
  }
  return "ACTIVE";
}

const char* to_string(CommitmentStatus status) {
  switch (status) {
    case CommitmentStatus::enabled:
      return "ENABLED";
    case CommitmentStatus::disabled:
      return "DISABLED";
    case CommitmentStatus::enabled_until_earliest_allowed_end:
      return "ENABLED_UNTIL_EARLIEST_ALLOWED_END";
  }
  return "DISABLED";
}

std::string consumer_arn(const StreamKey& stream, std::string_view name, int64_t created_ms) {
  std::string arn = stream_arn(stream);
  arn.append("/consumer/").append(name).append(":").append(std::to_string(created_ms / 1000));
  return arn;
}

std::optional<ResourceName> parse_resource_arn(std::string_view arn) {
  // arn:<partition>:kinesis:<region>:<account>:stream/<name>[/consumer/<name>:<seconds>]
  std::string_view parts[5];
  std::string_view rest = arn;
  for (auto& part : parts) {
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    part = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
  }
  if (parts[0] != "arn" || !parts[1].starts_with("aws") || parts[2] != "kinesis" ||
      parts[3].empty() || parts[4].size() != 12 ||
      !std::all_of(parts[4].begin(), parts[4].end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  constexpr std::string_view kStream = "stream/";
  if (!rest.starts_with(kStream)) return std::nullopt;
  rest.remove_prefix(kStream.size());
  const auto name_ok = [](std::string_view n) {
    return !n.empty() && n.size() <= 128 && std::all_of(n.begin(), n.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '_' || c == '.' || c == '-';
    });
  };
  ResourceName out;
  out.stream.region = parts[3];
  out.stream.account = parts[4];
  constexpr std::string_view kConsumer = "/consumer/";
  const auto c = rest.find(kConsumer);
  if (c == std::string_view::npos) {
    if (!name_ok(rest)) return std::nullopt;
    out.stream.name = rest;
    return out;
  }
  out.stream.name = rest.substr(0, c);
  std::string_view consumer = rest.substr(c + kConsumer.size());
  const auto colon = consumer.rfind(':');
  if (colon == std::string_view::npos || !name_ok(out.stream.name)) return std::nullopt;
  const std::string_view seconds = consumer.substr(colon + 1);
  consumer = consumer.substr(0, colon);
  if (!name_ok(consumer) || seconds.empty() || seconds.size() > 12) return std::nullopt;
  int64_t s = 0;
  for (char ch : seconds) {
    if (ch < '0' || ch > '9') return std::nullopt;
    s = s * 10 + (ch - '0');
  }
  out.consumer = consumer;
  out.consumer_created_s = s;
  return out;
}

ResourceStore::ResourceStore(Engine& engine, const EngineOptions& options)
    : engine_(engine), store_(engine.store()), clock_(engine.clock()), options_(options) {}

ResourceStore::~ResourceStore() = default;

Result<std::unique_ptr<ResourceStore>> ResourceStore::open(Engine& engine,
                                                           const EngineOptions& options) {
  std::unique_ptr<ResourceStore> rs(new ResourceStore(engine, options));
  if (Status s = rs->load(); !s.ok()) return std::move(s).error();
  return rs;
}

Status ResourceStore::load() {
  struct Rec {
    std::string key;
    json value;
  };
  std::vector<Rec> records;
  storage::RecordBatch drop = store_.make_batch();
  Status scan = store_.for_each_meta(kPrefix, [&](std::string_view k, std::string_view v) {
    json j = json::parse(v, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      spdlog::warn("resources: dropping unreadable record {}", k);
      drop.delete_meta(k);
      return;
    }
    records.push_back(Rec{std::string(k), std::move(j)});
  });
  if (!scan.ok()) return scan;

  // The id of the live stream behind each stream ARN (nullopt: no such stream any more).
  std::map<std::string, std::optional<StreamView>> live;
  const auto live_view = [&](const std::string& arn) -> const std::optional<StreamView>& {
    auto it = live.find(arn);
    if (it != live.end()) return it->second;
    std::optional<StreamView> view;
    if (auto name = parse_resource_arn(arn); name && !name->is_consumer()) {
      if (auto found = engine_.describe_stream(name->stream); found.ok()) view = std::move(*found);
    }
    return live.emplace(arn, std::move(view)).first->second;
  };

  std::vector<const Rec*> consumer_owned;  // tags and policies of consumers: after consumers
  for (const Rec& rec : records) {
    try {
      if (rec.key.starts_with(kAccountPrefix)) {
        Commitment c;
        c.started_ms = opt_i64(rec.value, "started_ms");
        c.earliest_end_ms = opt_i64(rec.value, "earliest_end_ms");
        c.ended_ms = opt_i64(rec.value, "ended_ms");
        c.pending_disable = rec.value.value("pending_disable", false);
        accounts_[rec.key.substr(kAccountPrefix.size())] = c;
        continue;
      }
      const std::string stream_arn = rec.value.at("stream_arn").get<std::string>();
      const uint64_t stream_id = rec.value.at("stream_id").get<uint64_t>();
      const std::optional<StreamView>& view = live_view(stream_arn);
      if (!view || view->meta.id != stream_id) {
        drop.delete_meta(rec.key);  // belonged to a stream that is gone
        continue;
      }
      Entry& e = entries_[stream_arn];
      e.stream_id = stream_id;
      e.key = view->meta.key;
      e.stream_arn = stream_arn;
      const std::string resource_arn = rec.value.value("resource_arn", stream_arn);
      if (rec.key.starts_with(kConsumerPrefix)) {
        Consumer c;
        c.name = rec.value.at("name").get<std::string>();
        c.arn = rec.value.at("arn").get<std::string>();
        c.created_ms = rec.value.at("created_ms").get<int64_t>();
        c.deleting_since_ms = opt_i64(rec.value, "deleting_since_ms");
        e.consumers[c.name] = std::move(c);
      } else if (rec.key.starts_with(kMetricsPrefix)) {
        e.metrics = rec.value.at("metrics").get<std::vector<std::string>>();
      } else if (resource_arn != stream_arn) {
        consumer_owned.push_back(&rec);
      } else if (rec.key.starts_with(kTagsPrefix)) {
        e.tags = rec.value.at("tags").get<std::map<std::string, std::string>>();
      } else if (rec.key.starts_with(kPolicyPrefix)) {
        e.policy = rec.value.at("policy").get<std::string>();
      } else {
        drop.delete_meta(rec.key);
      }
    } catch (const json::exception& ex) {
      spdlog::warn("resources: dropping malformed record {}: {}", rec.key, ex.what());
      drop.delete_meta(rec.key);
    }
  }
  for (const Rec* rec : consumer_owned) {
    try {
      Entry& e = entries_[rec->value.at("stream_arn").get<std::string>()];
      const std::string arn = rec->value.at("resource_arn").get<std::string>();
      auto c = std::find_if(e.consumers.begin(), e.consumers.end(),
                            [&](const auto& kv) { return kv.second.arn == arn; });
      if (c == e.consumers.end()) {
        drop.delete_meta(rec->key);
      } else if (rec->key.starts_with(kTagsPrefix)) {
        c->second.tags = rec->value.at("tags").get<std::map<std::string, std::string>>();
      } else {
        c->second.policy = rec->value.at("policy").get<std::string>();
      }
    } catch (const json::exception& ex) {
      spdlog::warn("resources: dropping malformed record {}: {}", rec->key, ex.what());
      drop.delete_meta(rec->key);
    }
  }
  if (drop.count() > 0) {
    if (Status s = store_.write(drop); !s.ok()) return s;
  }
  spdlog::debug("resources: loaded {} streams' resources, {} records dropped", entries_.size(),
                drop.count());
  return {};
}

// ----------------------------------------------------------------------------------- helpers

Result<StreamView> ResourceStore::find_stream(const StreamKey& key) {
  return engine_.describe_stream(key);
}

ResourceStore::Phase ResourceStore::phase(const Consumer& consumer, int64_t now) const {
  if (consumer.deleting_since_ms) {
    return now >= *consumer.deleting_since_ms + options_.update_delay_ms ? Phase::gone
                                                                         : Phase::deleting;
  }
  return now < consumer.created_ms + options_.update_delay_ms ? Phase::creating : Phase::active;
}

ConsumerView ResourceStore::view_of(const Entry& entry, const Consumer& consumer,
                                    int64_t now) const {
  ConsumerView v;
  v.name = consumer.name;
  v.arn = consumer.arn;
  v.stream_arn = entry.stream_arn;
  v.created_ms = consumer.created_ms;
  switch (phase(consumer, now)) {
    case Phase::creating:
      v.status = ConsumerStatus::creating;
      break;
    case Phase::active:
      v.status = ConsumerStatus::active;
      break;
    case Phase::deleting:
    case Phase::gone:
      v.status = ConsumerStatus::deleting;
      break;
  }
  return v;
}

void ResourceStore::delete_entry_keys(const Entry& entry, storage::RecordBatch& batch) const {
  batch.delete_meta(key_of(kTagsPrefix, entry.stream_arn));
  batch.delete_meta(key_of(kPolicyPrefix, entry.stream_arn));
  batch.delete_meta(key_of(kMetricsPrefix, entry.stream_arn));
  for (const auto& [name, c] : entry.consumers) {
    batch.delete_meta(key_of(kConsumerPrefix, entry.stream_arn, name));
    batch.delete_meta(key_of(kTagsPrefix, c.arn));
    batch.delete_meta(key_of(kPolicyPrefix, c.arn));
  }
}

Status ResourceStore::purge_gone_locked(Entry& entry, int64_t now) {
  std::vector<std::string> gone;
  storage::RecordBatch batch = store_.make_batch();
  for (const auto& [name, c] : entry.consumers) {
    if (phase(c, now) != Phase::gone) continue;
    gone.push_back(name);
    batch.delete_meta(key_of(kConsumerPrefix, entry.stream_arn, name));
    batch.delete_meta(key_of(kTagsPrefix, c.arn));
    batch.delete_meta(key_of(kPolicyPrefix, c.arn));
  }
  if (gone.empty()) return {};
  if (Status s = store_.write(batch); !s.ok()) return s;
  for (const std::string& name : gone) entry.consumers.erase(name);
  return {};
}

Result<ResourceStore::Entry*> ResourceStore::entry_locked(const StreamView& view) {
  auto it = entries_.find(view.arn);
  if (it != entries_.end() && it->second.stream_id != view.meta.id) {
    // Left over from an older stream of the same name.
    storage::RecordBatch batch = store_.make_batch();
    delete_entry_keys(it->second, batch);
    if (Status s = store_.write(batch); !s.ok()) return std::move(s).error();
    entries_.erase(it);
    it = entries_.end();
  }
  if (it == entries_.end()) {
    Entry e;
    e.stream_id = view.meta.id;
    e.key = view.meta.key;
    e.stream_arn = view.arn;
    it = entries_.emplace(view.arn, std::move(e)).first;
  }
  if (Status s = purge_gone_locked(it->second, clock_.now_ms()); !s.ok()) {
    return std::move(s).error();
  }
  return &it->second;
}

Result<ResourceStore::Target> ResourceStore::target_locked(const ResourceName& name,
                                                           const StreamView& view,
                                                           std::string_view arn_text) {
  auto entry = entry_locked(view);
  if (!entry.ok()) return std::move(entry).error();
  Target t{*entry, nullptr};
  if (name.is_consumer()) {
    auto it = t.entry->consumers.find(name.consumer);
    if (it == t.entry->consumers.end() || it->second.created_ms / 1000 != name.consumer_created_s) {
      return consumer_arn_not_found(arn_text, name.stream);
    }
    t.consumer = &it->second;
  }
  return t;
}

template <class Fn>
auto ResourceStore::with_target(std::string_view resource_arn, const ResourceName& name,
                                bool writing, Fn&& fn) -> decltype(fn(std::declval<Target&>())) {
  auto view = find_stream(name.stream);
  if (!view.ok()) {
    if (name.is_consumer()) return consumer_arn_not_found(resource_arn, name.stream);
    return std::move(view).error();
  }
  if (writing && view->status == StreamStatus::deleting) {
    return make_error(errc::resource_in_use, stream_not_active(*view));
  }
  std::lock_guard lock(mu_);
  auto t = target_locked(name, *view, resource_arn);
  if (!t.ok()) return std::move(t).error();
  return fn(*t);
}

Result<ResourceStore::Consumer*> ResourceStore::consumer_locked(Entry& entry,
                                                                std::string_view name) {
  auto it = entry.consumers.find(std::string(name));
  if (it == entry.consumers.end()) {
    return make_error(errc::resource_not_found, "Consumer " + std::string(name) + " under stream " +
                                                    entry.key.name + " under account " +
                                                    entry.key.account + " not found.");
  }
  return &it->second;
}

namespace {
json tags_record(const std::string& stream_arn, uint64_t stream_id, const std::string& resource_arn,
                 const std::map<std::string, std::string>& tags) {
  return {{"stream_arn", stream_arn},
          {"stream_id", stream_id},
          {"resource_arn", resource_arn},
          {"tags", tags}};
}

std::string describe_target(const StreamKey& stream, std::string_view consumer) {
  if (consumer.empty()) return "stream " + stream.name + " under account " + stream.account;
  return "consumer " + std::string(consumer) + " of stream " + stream.name + " under account " +
         stream.account;
}
}  // namespace

// -------------------------------------------------------------------------------------- tags

Status ResourceStore::check_stream_tags(const StreamKey& stream, const TagList& tags) {
  const std::string what = "add tags to " + describe_target(stream, {});
  if (Status s = check_tags(tags, what); !s.ok()) return s;
  std::map<std::string, std::string> unique(tags.begin(), tags.end());
  if (unique.size() > kMaxTagsPerResource) {
    return make_error(errc::invalid_argument, too_many_tags(what, false));
  }
  return {};
}

Result<TagList> ResourceStore::list_tags(std::string_view resource_arn) {
  auto name = parse_resource_arn(resource_arn);
  if (!name) return invalid_arn(resource_arn);
  return with_target(resource_arn, *name, false, [](Target& t) -> Result<TagList> {
    const auto& tags = t.consumer != nullptr ? t.consumer->tags : t.entry->tags;
    return TagList(tags.begin(), tags.end());
  });
}

Status ResourceStore::add_tags(std::string_view resource_arn, const TagList& tags) {
  return edit_tags(
      resource_arn, "add tags to ",
      [&](TagMap& updated, const ResourceName& name, const std::string& what) -> Status {
        if (Status s = check_tags(tags, what); !s.ok()) return s;
        for (const auto& [k, v] : tags) updated[k] = v;
        if (updated.size() > kMaxTagsPerResource) {
          return make_error(errc::invalid_argument, too_many_tags(what, name.is_consumer()));
        }
        return {};
      });
}

Status ResourceStore::remove_tags(std::string_view resource_arn,
                                  const std::vector<std::string>& keys) {
  return edit_tags(resource_arn, "remove tags from ",
                   [&](TagMap& updated, const ResourceName&, const std::string& what) -> Status {
                     const std::vector<std::string_view> key_views(keys.begin(), keys.end());
                     if (Status s = check_tag_keys(key_views, what); !s.ok()) return s;
                     if (Status s = check_tag_text(key_views, what); !s.ok()) return s;
                     for (const std::string& k : keys) updated.erase(k);
                     return {};
                   });
}

Status ResourceStore::edit_tags(std::string_view resource_arn, const char* verb,
                                const TagEdit& edit) {
  auto name = parse_resource_arn(resource_arn);
  if (!name) return invalid_arn(resource_arn);
  const std::string what = verb + describe_target(name->stream, name->consumer);
  // The edit validates its input first: bad tags are refused before the stream is looked up.
  TagMap probe;
  if (Status s = edit(probe, *name, what); !s.ok()) return s;
  return with_target(resource_arn, *name, true, [&](Target& t) -> Status {
    auto& current = t.consumer != nullptr ? t.consumer->tags : t.entry->tags;
    TagMap updated = current;
    if (Status s = edit(updated, *name, what); !s.ok()) return s;
    if (updated == current) return {};
    const std::string& arn = t.consumer != nullptr ? t.consumer->arn : t.entry->stream_arn;
    Status s;
    if (updated.empty()) {
      storage::RecordBatch batch = store_.make_batch();
      batch.delete_meta(key_of(kTagsPrefix, arn));
      s = store_.write(batch);
    } else {
      s = store_.put_meta(key_of(kTagsPrefix, arn),
                          dump(tags_record(t.entry->stream_arn, t.entry->stream_id, arn, updated)));
    }
    if (!s.ok()) return s;
    current = std::move(updated);
    return {};
  });
}

// --------------------------------------------------------------------------------- consumers

namespace {
json consumer_record(const std::string& stream_arn, uint64_t stream_id, const std::string& name,
                     const std::string& arn, int64_t created_ms,
                     const std::optional<int64_t>& deleting_since_ms) {
  json j = {{"stream_arn", stream_arn},
            {"stream_id", stream_id},
            {"name", name},
            {"arn", arn},
            {"created_ms", created_ms}};
  put_opt(j, "deleting_since_ms", deleting_since_ms);
  return j;
}
}  // namespace

Result<ConsumerView> ResourceStore::register_consumer(const StreamKey& stream,
                                                      std::string_view name, const TagList& tags) {
  if (!tags.empty()) {
    const std::string what = "add tags to " + describe_target(stream, name);
    if (Status s = check_tags(tags, what); !s.ok()) return std::move(s).error();
    std::map<std::string, std::string> unique(tags.begin(), tags.end());
    if (unique.size() > kMaxTagsPerResource) {
      return make_error(errc::invalid_argument, too_many_tags(what, true));
    }
  }
  auto view = find_stream(stream);
  if (!view.ok()) return std::move(view).error();
  if (view->status != StreamStatus::active && view->status != StreamStatus::updating) {
    return make_error(errc::resource_in_use, stream_not_active(*view));
  }
  std::lock_guard lock(mu_);
  auto entry = entry_locked(*view);
  if (!entry.ok()) return std::move(entry).error();
  Entry& e = **entry;
  const int64_t now = clock_.now_ms();
  if (e.consumers.contains(std::string(name))) {
    return make_error(errc::resource_in_use, "Consumer " + std::string(name) +
                                                 " already exists for stream " + e.stream_arn +
                                                 " under account " + e.key.account + ".");
  }
  if (e.consumers.size() >= kMaxConsumersPerStream) {
    return make_error(errc::limit_exceeded, "This request would exceed the limit of " +
                                                std::to_string(kMaxConsumersPerStream) +
                                                " consumers registered with stream " +
                                                e.stream_arn + ".");
  }
  const auto creating = std::count_if(e.consumers.begin(), e.consumers.end(), [&](const auto& kv) {
    return phase(kv.second, now) == Phase::creating;
  });
  if (static_cast<std::size_t>(creating) >= kMaxCreatingConsumers) {
    return make_error(errc::limit_exceeded,
                      "Only " + std::to_string(kMaxCreatingConsumers) +
                          " consumers can be in the CREATING state at the same time; wait for "
                          "one of them to become ACTIVE.");
  }
  Consumer c;
  c.name = name;
  c.arn = consumer_arn(e.key, name, now);
  c.created_ms = now;
  c.tags = std::map<std::string, std::string>(tags.begin(), tags.end());
  storage::RecordBatch batch = store_.make_batch();
  batch.put_meta(
      key_of(kConsumerPrefix, e.stream_arn, c.name),
      dump(consumer_record(e.stream_arn, e.stream_id, c.name, c.arn, c.created_ms, std::nullopt)));
  // A consumer of the same name deregistered within the same second had the same ARN: make sure
  // none of its tags or policy survive into this one.
  batch.delete_meta(key_of(kPolicyPrefix, c.arn));
  if (c.tags.empty()) {
    batch.delete_meta(key_of(kTagsPrefix, c.arn));
  } else {
    batch.put_meta(key_of(kTagsPrefix, c.arn),
                   dump(tags_record(e.stream_arn, e.stream_id, c.arn, c.tags)));
  }
  if (Status s = store_.write(batch); !s.ok()) return std::move(s).error();
  const std::string key = c.name;
  Consumer& stored = e.consumers[key];
  stored = std::move(c);
  return view_of(e, stored, now);
}

Result<ConsumerView> ResourceStore::with_consumer(const StreamKey& stream, std::string_view name,
                                                  const ConsumerAction& action) {
  auto view = find_stream(stream);
  if (!view.ok()) return std::move(view).error();
  std::lock_guard lock(mu_);
  auto entry = entry_locked(*view);
  if (!entry.ok()) return std::move(entry).error();
  auto c = consumer_locked(**entry, name);
  if (!c.ok()) return std::move(c).error();
  return action(**entry, **c);
}

Result<ConsumerView> ResourceStore::describe_consumer(const StreamKey& stream,
                                                      std::string_view name) {
  return with_consumer(stream, name, [&](Entry& entry, Consumer& consumer) {
    return Result<ConsumerView>(view_of(entry, consumer, clock_.now_ms()));
  });
}

Result<ConsumerView> ResourceStore::describe_consumer(std::string_view arn) {
  auto name = parse_resource_arn(arn);
  if (!name || !name->is_consumer()) {
    return make_error(errc::invalid_argument, "Invalid ConsumerARN " + std::string(arn) + ".");
  }
  return with_target(arn, *name, false, [&](Target& t) -> Result<ConsumerView> {
    return view_of(*t.entry, *t.consumer, clock_.now_ms());
  });
}

Result<ConsumerView> ResourceStore::deregister_locked(Entry& entry, Consumer& consumer) {
  const int64_t now = clock_.now_ms();
  if (!consumer.deleting_since_ms) {
    const json record = consumer_record(entry.stream_arn, entry.stream_id, consumer.name,
                                        consumer.arn, consumer.created_ms, now);
    if (Status s =
            store_.put_meta(key_of(kConsumerPrefix, entry.stream_arn, consumer.name), dump(record));
        !s.ok()) {
      return std::move(s).error();
    }
    consumer.deleting_since_ms = now;
  }
  return view_of(entry, consumer, now);
}

Result<ConsumerView> ResourceStore::deregister_consumer(const StreamKey& stream,
                                                        std::string_view name) {
  return with_consumer(stream, name, [&](Entry& entry, Consumer& consumer) {
    return deregister_locked(entry, consumer);
  });
}

Result<ConsumerView> ResourceStore::deregister_consumer(std::string_view arn) {
  auto name = parse_resource_arn(arn);
  if (!name || !name->is_consumer()) {
    return make_error(errc::invalid_argument, "Invalid ConsumerARN " + std::string(arn) + ".");
  }
  return with_target(arn, *name, false,
                     [&](Target& t) { return deregister_locked(*t.entry, *t.consumer); });
}

Result<std::vector<ConsumerView>> ResourceStore::list_consumers(const StreamKey& stream) {
  auto view = find_stream(stream);
  if (!view.ok()) return std::move(view).error();
  std::lock_guard lock(mu_);
  auto entry = entry_locked(*view);
  if (!entry.ok()) return std::move(entry).error();
  const int64_t now = clock_.now_ms();
  std::vector<ConsumerView> out;
  for (const auto& [name, c] : (*entry)->consumers) out.push_back(view_of(**entry, c, now));
  return out;
}

// ---------------------------------------------------------------------------------- policies

Status ResourceStore::put_policy(std::string_view resource_arn, std::string_view policy) {
  auto name = parse_resource_arn(resource_arn);
  if (!name) return invalid_arn(resource_arn);
  const json doc = json::parse(policy, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return make_error(errc::invalid_argument, "Invalid resource policy for " +
                                                  std::string(resource_arn) +
                                                  ": the policy must be a JSON object.");
  }
  return with_target(resource_arn, *name, true, [&](Target& t) -> Status {
    const std::string& arn = t.consumer != nullptr ? t.consumer->arn : t.entry->stream_arn;
    const json record = {{"stream_arn", t.entry->stream_arn},
                         {"stream_id", t.entry->stream_id},
                         {"resource_arn", arn},
                         {"policy", policy}};
    if (Status s = store_.put_meta(key_of(kPolicyPrefix, arn), dump(record)); !s.ok()) return s;
    (t.consumer != nullptr ? t.consumer->policy : t.entry->policy) = std::string(policy);
    return {};
  });
}

Result<std::optional<std::string>> ResourceStore::get_policy(std::string_view resource_arn) {
  auto name = parse_resource_arn(resource_arn);
  if (!name) return invalid_arn(resource_arn);
  return with_target(resource_arn, *name, false,
                     [](Target& t) -> Result<std::optional<std::string>> {
                       return t.consumer != nullptr ? t.consumer->policy : t.entry->policy;
                     });
}

Status ResourceStore::delete_policy(std::string_view resource_arn) {
  auto name = parse_resource_arn(resource_arn);
  if (!name) return invalid_arn(resource_arn);
  return with_target(resource_arn, *name, false, [&](Target& t) -> Status {
    auto& policy = t.consumer != nullptr ? t.consumer->policy : t.entry->policy;
    if (!policy) {
      return make_error(errc::resource_not_found, "No resource policy found for resource ARN " +
                                                      std::string(resource_arn) + ".");
    }
    const std::string& arn = t.consumer != nullptr ? t.consumer->arn : t.entry->stream_arn;
    storage::RecordBatch batch = store_.make_batch();
    batch.delete_meta(key_of(kPolicyPrefix, arn));
    if (Status s = store_.write(batch); !s.ok()) return s;
    policy.reset();
    return {};
  });
}

// ------------------------------------------------------------------------ enhanced monitoring

Result<MetricsChange> ResourceStore::enable_metrics(const StreamKey& stream,
                                                    const std::vector<std::string>& metrics) {
  return change_metrics(stream, metrics, true);
}

Result<MetricsChange> ResourceStore::disable_metrics(const StreamKey& stream,
                                                     const std::vector<std::string>& metrics) {
  return change_metrics(stream, metrics, false);
}

Result<MetricsChange> ResourceStore::change_metrics(const StreamKey& stream,
                                                    const std::vector<std::string>& metrics,
                                                    bool enable) {
  auto view = find_stream(stream);
  if (!view.ok()) return std::move(view).error();
  if (view->status != StreamStatus::active) {
    return make_error(errc::resource_in_use, stream_not_active(*view));
  }
  std::lock_guard lock(mu_);
  auto entry = entry_locked(*view);
  if (!entry.ok()) return std::move(entry).error();
  Entry& e = **entry;
  std::vector<std::string> desired = e.metrics;
  if (enable) {
    desired.insert(desired.end(), metrics.begin(), metrics.end());
  } else {
    std::erase_if(desired, [&](const std::string& m) {
      return std::find(metrics.begin(), metrics.end(), m) != metrics.end();
    });
  }
  std::sort(desired.begin(), desired.end());
  desired.erase(std::unique(desired.begin(), desired.end()), desired.end());
  if (desired != e.metrics) {
    storage::RecordBatch batch = store_.make_batch();
    if (desired.empty()) {
      batch.delete_meta(key_of(kMetricsPrefix, e.stream_arn));
    } else {
      const json record = {
          {"stream_arn", e.stream_arn}, {"stream_id", e.stream_id}, {"metrics", desired}};
      batch.put_meta(key_of(kMetricsPrefix, e.stream_arn), dump(record));
    }
    if (Status s = store_.write(batch); !s.ok()) return std::move(s).error();
  }
  MetricsChange change;
  change.stream_name = e.key.name;
  change.stream_arn = e.stream_arn;
  change.current = e.metrics;
  change.desired = desired;
  e.metrics = std::move(desired);
  return change;
}

// -------------------------------------------------------------------------- account settings

BillingCommitment ResourceStore::commitment_view(const Commitment& c, int64_t now) const {
  BillingCommitment out;
  out.started_ms = c.started_ms;
  if (!c.started_ms) return out;  // never enabled
  if (c.ended_ms) {
    out.ended_ms = c.ended_ms;
    return out;
  }
  out.earliest_allowed_end_ms = c.earliest_end_ms;
  if (!c.pending_disable) {
    out.status = CommitmentStatus::enabled;
  } else if (c.earliest_end_ms && now >= *c.earliest_end_ms) {
    out.status = CommitmentStatus::disabled;  // the scheduled disable took effect
    out.ended_ms = c.earliest_end_ms;
    out.earliest_allowed_end_ms.reset();
  } else {
    out.status = CommitmentStatus::enabled_until_earliest_allowed_end;
  }
  return out;
}

BillingCommitment ResourceStore::billing_commitment(std::string_view account,
                                                    std::string_view region) {
  std::lock_guard lock(mu_);
  auto it = accounts_.find(account_region(account, region));
  return commitment_view(it == accounts_.end() ? Commitment{} : it->second, clock_.now_ms());
}

Result<BillingCommitment> ResourceStore::update_billing_commitment(std::string_view account,
                                                                   std::string_view region,
                                                                   bool enable) {
  const int64_t now = clock_.now_ms();
  const std::string key = account_region(account, region);
  std::lock_guard lock(mu_);
  auto it = accounts_.find(key);
  Commitment c = it == accounts_.end() ? Commitment{} : it->second;
  // Settle a scheduled disable whose time has come.
  if (c.started_ms && !c.ended_ms && c.pending_disable && c.earliest_end_ms &&
      now >= *c.earliest_end_ms) {
    c.ended_ms = c.earliest_end_ms;
    c.pending_disable = false;
  }
  const bool running = c.started_ms && !c.ended_ms;
  if (enable) {
    if (running) {
      c.pending_disable = false;  // cancels a scheduled disable, if any
    } else {
      c = Commitment{now, now + kBillingCommitmentMinimumMs, std::nullopt, false};
    }
  } else if (running) {
    if (c.earliest_end_ms && now < *c.earliest_end_ms) {
      c.pending_disable = true;  // takes effect at the earliest allowed end
    } else {
      c.ended_ms = now;
      c.pending_disable = false;
    }
  }
  json record = json::object();
  put_opt(record, "started_ms", c.started_ms);
  put_opt(record, "earliest_end_ms", c.earliest_end_ms);
  put_opt(record, "ended_ms", c.ended_ms);
  record["pending_disable"] = c.pending_disable;
  if (Status s = store_.put_meta(key_of(kAccountPrefix, key), dump(record)); !s.ok()) {
    return std::move(s).error();
  }
  accounts_[key] = c;
  return commitment_view(c, now);
}

// -------------------------------------------------------------------- for the stream handlers

uint32_t ResourceStore::consumer_count(const std::string& stream_arn) {
  auto name = parse_resource_arn(stream_arn);
  if (!name || name->is_consumer()) return 0;
  auto view = find_stream(name->stream);
  return view.ok() ? consumer_count(*view) : 0;
}

uint32_t ResourceStore::consumer_count(const StreamView& stream) {
  const int64_t now = clock_.now_ms();
  std::lock_guard lock(mu_);
  auto it = entries_.find(stream.arn);
  if (it == entries_.end() || it->second.stream_id != stream.meta.id) return 0;
  return static_cast<uint32_t>(
      std::count_if(it->second.consumers.begin(), it->second.consumers.end(),
                    [&](const auto& kv) { return phase(kv.second, now) != Phase::gone; }));
}

std::vector<std::string> ResourceStore::shard_level_metrics(const std::string& stream_arn) {
  auto name = parse_resource_arn(stream_arn);
  if (!name || name->is_consumer()) return {};
  auto view = find_stream(name->stream);
  return view.ok() ? shard_level_metrics(*view) : std::vector<std::string>{};
}

std::vector<std::string> ResourceStore::shard_level_metrics(const StreamView& stream) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(stream.arn);
  if (it == entries_.end() || it->second.stream_id != stream.meta.id) return {};
  return it->second.metrics;
}

void ResourceStore::forget_stream(const std::string& stream_arn) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(stream_arn);
  if (it == entries_.end()) return;
  storage::RecordBatch batch = store_.make_batch();
  delete_entry_keys(it->second, batch);
  if (Status s = store_.write(batch); !s.ok()) {
    // Harmless: leftovers carry the old stream id and are dropped when next noticed.
    spdlog::warn("resources: could not drop the resources of {}: {}", stream_arn,
                 s.error().message);
  }
  entries_.erase(it);
}

}  // namespace kinesis_emulator::engine
