// Activity rows: cells checked as they are read (unknown columns become properties, a row
// without an id gets one derived from its content), and each batch stored through
// StoreActivities inside the run's write (for a dry run, a savepoint of the transaction that
// is rolled back), so that a dry run reports exactly what an import would.
#include <charconv>
#include <nlohmann/json.hpp>

#include "domain/activity_type.h"
#include "ingest/activities.h"
#include "ingest/import_internal.h"
#include "ingest/normalise.h"
#include "store/journal.h"

namespace tandem::ingest::import_internal {
namespace {

using nlohmann::json;

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) out += {kDigits[c >> 4], kDigits[c & 15]};
  return out;
}

class ActivitiesImporter : public RowImporter {
 public:
  explicit ActivitiesImporter(ImportContext& ctx) : ctx_(ctx), now_(ctx.store.clock().Now()) {}

  void Add(const CsvRecord& rec) override {
    PendingActivity item{.index = queue_.size()};
    if (auto bad = Check(rec, item.activity)) return ctx_.Reject(std::move(*bad), rec);
    queue_.push_back({rec, std::move(item)});
  }

  Status Flush() override {
    Status st = queue_.empty() ? Status::Ok() : Store();
    queue_.clear();
    return st;
  }

 private:
  struct Queued {
    CsvRecord rec;
    PendingActivity item;
  };

  std::optional<RowProblem> Check(const CsvRecord& rec, Activity& a) const {
    a.source = ctx_.opt.source;
    json props = json::object();
    bool has_time = false;
    for (size_t i = 0; i < ctx_.cols.size(); ++i) {
      std::string_view v = Trim(rec.fields[i]);
      if (v.empty()) continue;
      has_time = has_time || ctx_.cols[i].field == Field::kOccurredAt;
      if (auto bad = CheckCell(ctx_.cols[i], v, rec.row, a, props)) return bad;
    }
    auto missing = [&](Field f, const char* what) {
      return Problem(rec.row, ctx_.ColumnOf(f),
                     std::string("is empty; every activity needs ") + what);
    };
    if (a.type.empty()) return missing(Field::kType, "a type");
    if (!has_time) return missing(Field::kOccurredAt, "a time");
    if (!a.person.person_id.valid() && a.person.email.empty() && a.person.external_id.empty()) {
      return Problem(rec.row, nullptr, "no email, person_id or external_id names the person");
    }
    a.properties = props.dump();
    if (a.properties.size() > 16 * 1024) {
      return Problem(rec.row, nullptr, "the property columns hold more than 16 KiB");
    }
    if (a.client_id.empty()) {  // the same row always gets the same id
      a.client_id = "row-" + Hex(store::ContentDigest(a.source + '\x1f' + CanonicalContent(a)));
    }
    return std::nullopt;
  }

  std::optional<RowProblem> CheckCell(const Column& c, std::string_view v, int64_t row, Activity& a,
                                      json& props) const {
    static const Timestamp kEarliest = *ParseTimestamp("1990-01-01");
    std::string s(v);
    auto bad = [&](const std::string& why) { return Problem(row, &c, "'" + s + "' " + why); };
    switch (c.field) {
      case Field::kId:
        if (s.size() > 256) return bad("is longer than 256 bytes");
        a.client_id = s;
        break;
      case Field::kType:
        if (!IsValidActivityTypeName(s)) {
          return bad("is not a type name (a-z, 0-9 and _, starting with a letter)");
        }
        a.type = s;
        break;
      case Field::kEmail: {
        auto e = NormaliseEmail(v);
        if (!e.ok()) return Problem(row, &c, e.status().message());
        a.person.email = *e;
        break;
      }
      case Field::kPersonId: {
        int64_t id = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
        if (ec != std::errc() || end != s.data() + s.size() || id <= 0) {
          return bad("is not a person id (a positive whole number)");
        }
        a.person.person_id = PersonId(id);
        break;
      }
      case Field::kExternalId:
        if (!IsExternalId(s)) return bad("is not system:id, e.g. hubspot:123");
        a.person.external_id = s;
        break;
      case Field::kOccurredAt: {
        auto t = ParseTimestamp(s);
        if (!t) return bad("is not an RFC 3339 time, e.g. 2026-11-02T09:14:00Z");
        if (*t > now_ + ctx_.opt.max_future) return bad("is in the future");
        if (*t < kEarliest) return bad("is before 1990");
        a.occurred_at = *t;
        break;
      }
      case Field::kSource:
        if (s.size() > 64) return bad("is longer than 64 bytes");
        a.source = s;
        break;
      case Field::kExtra:
        props[c.extra] = s;
        break;
      default:
        break;
    }
    return std::nullopt;
  }

  RowProblem Rejection(const Queued& q, const std::string& code, const std::string& why) const {
    Field f = code == "id_reused"        ? Field::kId
              : code == "unknown_type"   ? Field::kType
              : code == "unknown_person" ? Field::kPersonId
                                         : Field::kSkip;
    return Problem(q.rec.row, ctx_.ColumnOf(f), why);
  }

  void Count(const IngestReport& r) {
    ctx_.report.imported += r.accepted;
    ctx_.report.unchanged += r.duplicates;
    ctx_.report.people_created += r.people_created;
    for (const auto& rej : r.rejected) {
      const Queued& q = queue_[rej.index];
      ctx_.Reject(Rejection(q, rej.code, rej.reason), q.rec);
    }
  }

  // Stores items in one write of the run; see StoreActivities for the report.
  Result<IngestReport> StoreItems(std::vector<PendingActivity> items, const IngestOptions& io) {
    std::optional<IngestReport> report;
    Status st = ctx_.write([&](store::WriteTxn& txn) {
      auto r = StoreActivities(txn, std::move(items), {}, io);
      if (!r.ok()) return r.status();
      report = std::move(*r);
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return std::move(*report);
  }

  Status Store() {
    IngestOptions io{.actor = ctx_.actor,
                     .phone_region = ctx_.opt.phone_region,
                     .max_future = ctx_.opt.max_future};
    std::vector<PendingActivity> items;
    for (const auto& q : queue_) items.push_back(q.item);
    auto all = StoreItems(std::move(items), io);
    if (all.ok()) {
      Count(*all);
      return Status::Ok();
    }
    bool store_failed = true;
    for (const auto& q : queue_) {  // the batch failed as a whole: find the bad rows
      auto one = StoreItems({q.item}, io);
      store_failed = store_failed && !one.ok() && one.status().message() == all.status().message();
      if (one.ok()) {
        Count(*one);
      } else {
        ctx_.Reject(FromStatus(q.rec.row, one.status()), q.rec);
      }
    }
    return store_failed ? all.status() : Status::Ok();
  }

  ImportContext& ctx_;
  Timestamp now_;
  std::vector<Queued> queue_;
};

}  // namespace

std::unique_ptr<RowImporter> MakeActivitiesImporter(ImportContext& ctx) {
  return std::make_unique<ActivitiesImporter>(ctx);
}

}  // namespace tandem::ingest::import_internal
