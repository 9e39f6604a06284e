#include "ingest/activities.h"

#include <simdjson.h>

#include <algorithm>
#include <optional>
#include <unordered_set>

#include "domain/activity_type.h"
#include "ingest/normalise.h"
#include "ingest/records.h"
#include "store/journal.h"
#include "store/people.h"

namespace tandem::ingest {
namespace {

namespace dom = simdjson::dom;

constexpr size_t kMaxIdBytes = 256;
constexpr size_t kMaxPropertiesBytes = 16 * 1024;
const Timestamp kEarliest = *ParseTimestamp("1990-01-01");

struct ItemError {
  std::string code, reason;
};

std::optional<ItemError> StringField(dom::element v, const char* name, std::string& out,
                                     size_t max_bytes) {
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) {
    return ItemError{"invalid_field", std::string(name) + " must be a string"};
  }
  if (s.empty() || s.size() > max_bytes) {
    return ItemError{"invalid_field",
                     std::string(name) + " must be 1-" + std::to_string(max_bytes) + " bytes"};
  }
  out = s;
  return std::nullopt;
}

std::optional<ItemError> ParseField(std::string_view key, dom::element v, Activity& a,
                                    Timestamp now, const IngestOptions& opt) {
  if (key == "id") return StringField(v, "id", a.client_id, kMaxIdBytes);
  if (key == "source") return StringField(v, "source", a.source, 64);
  if (key == "type") return StringField(v, "type", a.type, 64);
  if (key == "external_id") return StringField(v, "external_id", a.person.external_id, 256);
  if (key == "email") {
    std::string raw;
    if (auto e = StringField(v, "email", raw, 254)) return e;
    auto n = NormaliseEmail(raw);
    if (!n.ok()) return ItemError{"invalid_field", "email: " + n.status().message()};
    a.person.email = *n;
    return std::nullopt;
  }
  if (key == "person_id") {
    int64_t id;
    if (v.get_int64().get(id) != simdjson::SUCCESS || id <= 0) {
      return ItemError{"invalid_field", "person_id must be a positive integer"};
    }
    a.person.person_id = PersonId(id);
    return std::nullopt;
  }
  if (key == "occurred_at") {
    std::string raw;
    if (auto e = StringField(v, "occurred_at", raw, 64)) return e;
    auto t = ParseTimestamp(raw);
    if (!t)
      return ItemError{"invalid_field",
                       "occurred_at must be an RFC 3339 time, e.g. "
                       "2026-11-02T09:14:00Z"};
    if (*t > now + opt.max_future) {
      return ItemError{"future_timestamp", "occurred_at " + raw + " is in the future"};
    }
    if (*t < kEarliest) return ItemError{"invalid_field", "occurred_at is before 1990"};
    a.occurred_at = *t;
    return std::nullopt;
  }
  if (key == "properties") {
    if (!v.is_object()) return ItemError{"invalid_field", "properties must be a JSON object"};
    a.properties = simdjson::minify(v);
    if (a.properties.size() > kMaxPropertiesBytes) {
      return ItemError{"invalid_field", "properties are larger than 16 KiB"};
    }
    return std::nullopt;
  }
  return ItemError{"unknown_field", "unknown field '" + std::string(key) + "'"};
}

std::optional<ItemError> ParseItem(dom::element item, Activity& a, Timestamp now,
                                   const IngestOptions& opt) {
  dom::object obj;
  if (item.get_object().get(obj) != simdjson::SUCCESS) {
    return ItemError{"invalid_item", "each activity must be a JSON object"};
  }
  bool has_time = false;
  for (auto [key, value] : obj) {
    if (auto e = ParseField(key, value, a, now, opt)) return e;
    has_time = has_time || key == "occurred_at";
  }
  if (a.client_id.empty()) return ItemError{"missing_field", "id is required"};
  if (a.type.empty()) return ItemError{"missing_field", "type is required"};
  if (!has_time) return ItemError{"missing_field", "occurred_at is required"};
  if (!a.person.person_id.valid() && a.person.email.empty() && a.person.external_id.empty()) {
    return ItemError{"missing_field", "one of person_id, email or external_id is required"};
  }
  if (!a.person.external_id.empty()) {
    auto colon = a.person.external_id.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == a.person.external_id.size()) {
      return ItemError{"invalid_field", "external_id must be system:id, e.g. hubspot:123"};
    }
  }
  if (!IsValidActivityTypeName(a.type)) {
    return ItemError{"unknown_type", "type '" + a.type + "' is not a valid type name"};
  }
  return std::nullopt;
}

std::unordered_set<std::string> CustomTypes(sql::Db& db) {
  std::unordered_set<std::string> out;
  auto& s = db.Cached("SELECT name FROM activity_types");
  while (s.Step()) out.insert(s.Text(0));
  return out;
}

bool PersonExists(sql::Db& db, PersonId id) {
  auto& s = db.Cached("SELECT 1 FROM people WHERE id = ? AND erased_at IS NULL");
  s.Bind(1, id.value());
  return s.Step();
}

// The person an activity names, looked up without changing anything. link_external: the
// external id is new but the e-mail names a person, who should get the external id.
struct Lookup {
  std::optional<PersonId> id;
  bool link_external = false;
};

Lookup FindPerson(sql::Db& db, const PersonRef& ref, std::optional<ItemError>& err) {
  std::optional<PersonId> by_email;
  if (!ref.email.empty()) by_email = store::FindPersonByEmail(db, ref.email);
  if (ref.person_id.valid()) {
    if (!PersonExists(db, ref.person_id)) {
      err =
          ItemError{"unknown_person", "no person with id " + std::to_string(ref.person_id.value())};
    } else if (by_email && *by_email != ref.person_id) {
      err = ItemError{"person_mismatch", "email " + ref.email + " belongs to person " +
                                             std::to_string(by_email->value())};
    }
    return {ref.person_id, false};
  }
  if (!ref.external_id.empty()) {
    if (auto id = store::FindPersonByExternalId(db, ref.external_id)) return {*id, false};
    return {by_email, by_email.has_value()};
  }
  return {by_email, false};
}

// Creates the person an activity names, or links a new external id to the e-mail's person.
Result<PersonId> CreateOrLinkPerson(store::WriteTxn& txn, const PersonRef& ref, Lookup found,
                                    const IngestOptions& opt, IngestReport& report) {
  RecordOptions ro{
      .actor = opt.actor, .phone_region = opt.phone_region, .reason = "linked from activity"};
  if (found.link_external) {
    auto p = store::LoadPerson(txn.db(), *found.id);
    if (!p.ok()) return p.status();
    auto ids = p->external_ids;
    ids.push_back(ref.external_id);
    auto ch = UpdatePerson(txn, *found.id, {.external_ids = ids}, ro);
    if (!ch.ok()) return ch.status();
    return *found.id;
  }
  PersonFields f;
  if (!ref.email.empty()) f.emails = std::vector<std::string>{ref.email};
  if (!ref.external_id.empty()) f.external_ids = std::vector<std::string>{ref.external_id};
  ro.reason = "created from activity";
  auto created = CreatePerson(txn, f, ro);
  if (!created.ok()) return created.status();
  ++report.people_created;
  return created->person.id;
}

// Counts an item whose key was seen before: a duplicate, or a reuse with other content.
Status SeenBefore(const std::string& seen_digest, const std::string& digest, size_t index,
                  IngestReport& report) {
  if (seen_digest == digest) {
    ++report.duplicates;
  } else {
    report.rejected.push_back({index, "id_reused", "id reused with different content"});
  }
  return Status::Ok();
}

// Stores one item: its person, its journal entry, and any consent it implies.
// The common case (known person, new key) costs two index probes and one insert.
Status StoreOne(store::WriteTxn& txn, const PendingActivity& item, const IngestOptions& opt,
                const std::unordered_set<std::string>& custom, IngestReport& report) {
  const Activity& a = item.activity;
  auto reject = [&](std::string code, std::string reason) {
    report.rejected.push_back({item.index, std::move(code), std::move(reason)});
    return Status::Ok();
  };
  if (!FindBuiltinActivityType(a.type) && !custom.contains(a.type)) {
    return reject("unknown_type", "type '" + a.type + "' is not in the activity catalogue");
  }
  std::string digest = store::ContentDigest(CanonicalContent(a));
  std::optional<ItemError> err;
  Lookup found = FindPerson(txn.db(), a.person, err);
  if (err) return reject(err->code, err->reason);
  if (!found.id || found.link_external) {
    // Check the key before creating anyone, so a refused item changes nothing.
    if (auto seen = store::FindActivityDigest(txn.db(), a.source, a.client_id)) {
      return SeenBefore(*seen, digest, item.index, report);
    }
    auto id = CreateOrLinkPerson(txn, a.person, found, opt, report);
    if (!id.ok()) return reject("invalid_item", id.status().ToString());
    found.id = *id;
  }
  store::JournalEntry e{.recorded_at = txn.now(),
                        .occurred_at = a.occurred_at,
                        .kind = "activity",
                        .subject = found.id->value(),
                        .actor = opt.actor,
                        .type = a.type,
                        .source = a.source,
                        .client_id = a.client_id,
                        .digest = digest,
                        .payload = a.properties};
  auto seq = store::AppendActivity(txn, e);
  if (!seq.ok()) return seq.status();
  if (!*seq) {
    auto seen = store::FindActivityDigest(txn.db(), a.source, a.client_id);
    return SeenBefore(seen.value_or(""), digest, item.index, report);
  }
  ++report.accepted;
  if (a.type != "unsubscribe") return Status::Ok();
  auto p = store::LoadPerson(txn.db(), *found.id);
  if (!p.ok()) return p.status();
  RecordOptions ro{.actor = opt.actor, .reason = "unsubscribe activity"};
  return SetConsent(txn, *p, "email", {ConsentState::kOptedOut, a.source, a.occurred_at}, ro,
                    **seq);
}

}  // namespace

std::string CanonicalContent(const Activity& a) {
  std::string s;
  s.reserve(96 + a.properties.size());
  s += a.type;
  s += '\x1f';
  s += std::to_string(a.person.person_id.value());
  s += '\x1f';
  s += a.person.email;
  s += '\x1f';
  s += a.person.external_id;
  s += '\x1f';
  s += std::to_string(ToMicros(a.occurred_at));
  s += '\x1f';
  s += a.properties;
  return s;
}

Result<ParsedBatch> ParseActivities(std::string_view body, Timestamp now,
                                    const IngestOptions& opt) {
  thread_local dom::parser parser;
  simdjson::padded_string padded(body);
  dom::element doc;
  if (auto err = parser.parse(padded).get(doc); err != simdjson::SUCCESS) {
    std::string why = err == simdjson::UTF8_ERROR ? "the body is not valid UTF-8"
                                                  : std::string("the body is not valid JSON: ") +
                                                        simdjson::error_message(err);
    return InvalidArgument(why, {{"body", why}});
  }
  dom::array arr;
  if (doc.get_array().get(arr) != simdjson::SUCCESS) {
    return InvalidArgument("the body must be a JSON array of activities",
                           {{"body", "expected a JSON array"}});
  }
  if (arr.size() > kMaxBatchItems) {
    return Status(Code::kTooLarge, "a batch holds at most 10000 activities",
                  {{"body", std::to_string(arr.size()) + " items"}});
  }
  ParsedBatch out;
  out.items.reserve(arr.size());
  size_t index = 0;
  for (dom::element item : arr) {
    PendingActivity p{.index = index};
    if (auto e = ParseItem(item, p.activity, now, opt)) {
      out.rejected.push_back({index, e->code, e->reason});
    } else {
      out.items.push_back(std::move(p));
    }
    ++index;
  }
  return out;
}

Result<IngestReport> StoreActivities(store::WriteTxn& txn, std::vector<PendingActivity> items,
                                     std::vector<ItemRejection> rejected,
                                     const IngestOptions& opt) {
  IngestReport report;
  report.rejected = std::move(rejected);
  auto custom = CustomTypes(txn.db());
  for (const auto& item : items) {
    TANDEM_RETURN_IF_ERROR(StoreOne(txn, item, opt, custom, report));
  }
  std::sort(report.rejected.begin(), report.rejected.end(),
            [](const auto& a, const auto& b) { return a.index < b.index; });
  return report;
}

Result<IngestReport> StoreActivities(store::Store& store, std::vector<PendingActivity> items,
                                     std::vector<ItemRejection> rejected,
                                     const IngestOptions& opt) {
  std::optional<IngestReport> report;
  Status st = store.Write([&](store::WriteTxn& txn) {
    auto r = StoreActivities(txn, std::move(items), std::move(rejected), opt);
    if (!r.ok()) return r.status();
    report = std::move(*r);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return std::move(*report);
}

}  // namespace tandem::ingest
