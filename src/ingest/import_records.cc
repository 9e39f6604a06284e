// What importing people and importing companies share: batches applied in one transaction
// with tainted rows retried out, records.h errors named by column, and the owner column.
#include <sqlite3.h>

#include <algorithm>

#include "ingest/import_internal.h"
#include "ingest/normalise.h"
#include "store/users.h"

namespace tandem::ingest::import_internal {

void CheckOwnerEmail(int64_t row, const Column& c, std::string_view v, std::string& out,
                     std::vector<RowProblem>& warnings) {
  auto e = NormaliseEmail(v);
  if (e.ok()) {
    out = *e;
  } else {
    warnings.push_back(Problem(row, &c,
                               "'" + std::string(v) + "' is not an e-mail (" +
                                   e.status().message() + "); owner left unset"));
  }
}

std::optional<UserId> ResolveOwner(sql::Db& db, const Column* col, const std::string& email,
                                   int64_t row, std::vector<RowProblem>& warnings) {
  if (email.empty()) return std::nullopt;
  if (auto u = store::FindUserByEmail(db, email)) return u->id;
  warnings.push_back(Problem(row, col, "no user has the e-mail " + email + "; owner left unset"));
  return std::nullopt;
}

Status RecordImporter::Flush() {
  std::vector<Done> done(queue_.size());
  std::vector<bool> excluded(queue_.size(), false);
  Status batch;
  std::optional<size_t> tainted;
  do {
    tainted.reset();
    batch = ApplyBatch(done, excluded, tainted);
    if (tainted) excluded[*tainted] = true;
  } while (tainted);
  if (!batch.ok()) {
    ApplyOneByOne(done);  // so that only the bad rows are lost
    bool store_failed = std::all_of(done.begin(), done.end(), [&](const Done& d) {
      return !d.status.ok() && d.status.message() == batch.message();
    });
    if (store_failed) return batch;  // the store refuses every write, not these rows
  }
  Count(done);
  queue_.clear();
  return Status::Ok();
}

Status RecordImporter::Explain(const Status& st, int64_t row) const {
  if (st.errors().empty()) return st;
  const FieldError& e = st.errors()[0];
  const Column* col = ColumnForRecordField(e.field);
  return RejectStatus(Problem(row, col, col ? e.reason : e.field + ": " + e.reason));
}

const Column* RecordImporter::ColumnForRecordField(std::string_view field) const {
  std::string_view base = field.substr(0, field.find('['));
  if (StartsWith(base, "custom.")) {
    for (const auto& c : ctx_.cols) {
      if (c.field == Field::kExtra && c.extra == base.substr(7)) return &c;
    }
    return nullptr;
  }
  // records.h names list fields in the plural, and the company and owner by their ids.
  static constexpr FieldSpec kRecordFields[] = {{Field::kEmail, "emails"},
                                                {Field::kPhone, "phones"},
                                                {Field::kExternalId, "external_ids"},
                                                {Field::kCompany, "company_id"},
                                                {Field::kOwnerEmail, "owner"}};
  std::optional<Field> f = FieldNamed(ctx_.kind, base);
  for (const auto& l : kRecordFields) {
    if (!f && l.name() == base) f = l.field;
  }
  return f ? ctx_.ColumnOf(*f) : nullptr;
}

Status RecordImporter::ApplyBatch(std::vector<Done>& done, const std::vector<bool>& excluded,
                                  std::optional<size_t>& tainted) {
  return ctx_.write([&](store::WriteTxn& txn) {
    for (size_t i = 0; i < queue_.size(); ++i) {
      if (excluded[i]) continue;
      Done& d = done[i];
      d = Done{};
      int before = sqlite3_total_changes(txn.db().raw());
      d.status = queue_[i].apply(txn, d.outcome, d.warnings);
      if (!d.status.ok() && sqlite3_total_changes(txn.db().raw()) != before) {
        tainted = i;
        return d.status;
      }
    }
    return Status::Ok();
  });
}

void RecordImporter::ApplyOneByOne(std::vector<Done>& done) {
  for (size_t i = 0; i < queue_.size(); ++i) {
    Done& d = done[i];
    d = Done{};
    d.status = ctx_.write([&](store::WriteTxn& txn) {
      d.warnings.clear();
      return queue_[i].apply(txn, d.outcome, d.warnings);
    });
  }
}

void RecordImporter::Count(std::vector<Done>& done) {
  ImportReport& r = ctx_.report;
  for (size_t i = 0; i < queue_.size(); ++i) {
    QueuedRow& q = queue_[i];
    if (!done[i].status.ok()) {
      ctx_.Reject(FromStatus(q.rec.row, done[i].status), q.rec);
      continue;
    }
    switch (done[i].outcome) {
      case Outcome::kCreated:
        ++r.imported;
        break;
      case Outcome::kUpdated:
        ++r.updated;
        break;
      case Outcome::kUnchanged:
        ++r.unchanged;
        break;
    }
    for (auto* w : {&q.warnings, &done[i].warnings}) {
      r.warnings.insert(r.warnings.end(), w->begin(), w->end());
    }
  }
}

}  // namespace tandem::ingest::import_internal
