// The demo's history written in time order: people's activities in batches of an hour at most,
// the SLA's escalation steps at their due times and the sales desk's steps at theirs, with the
// store's clock following, so the engine sees the history as it would have happened.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/demo_desk.h"
#include "ingest/activities.h"

namespace tandem::app::demo {
namespace {

// "demo-0000042": numbered per source in the order stored.
std::string ClientId(int64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "demo-%07lld", static_cast<long long>(n));
  return buf;
}

bool IsRequest(std::string_view type) {
  return type == "demo_request" || type == "callback_request";
}

struct LaterPlaced {
  bool operator()(const Placed& a, const Placed& b) const { return Earlier(b, a); }
};

// Invariants: every planned activity at or before cut_ is stored; the clock only moves
// forward, to the time of each thing written (a batch: its latest activity).
class History {
 public:
  History(DemoClock& clock, ingest::SlaModel& sla, Desk& desk, Watch& watch, ActivityWriter& writer,
          std::vector<Placed> planned, Timestamp end)
      : clock_(clock),
        sla_(sla),
        desk_(desk),
        watch_(watch),
        writer_(writer),
        planned_(std::move(planned)),
        cut_(clock.Now()),
        end_(end) {
    for (const Placed& p : planned_) {
      if (IsRequest(p.draft.type)) requests_.push_back(p.draft.at);
    }
  }

  Status Run();

 private:
  Timestamp NextCut();
  Status WriteUpTo(Timestamp cut);
  Status Fire(Timestamp at);
  void Drain();

  DemoClock& clock_;
  ingest::SlaModel& sla_;
  Desk& desk_;
  Watch& watch_;
  ActivityWriter& writer_;
  std::vector<Placed> planned_;
  size_t next_ = 0;
  std::vector<Timestamp> requests_;  // demo and call-back requests, by time
  size_t next_request_ = 0;
  std::priority_queue<Placed, std::vector<Placed>, LaterPlaced> later_;
  Timestamp cut_, end_;
};

// Whatever comes first: an escalation step due, a sales step, or the end of the next batch.
Status History::Run() {
  for (;;) {
    Timestamp cut = NextCut();
    std::optional<Timestamp> due = sla_.NextDue();
    std::optional<Timestamp> step = desk_.NextStep();
    if (due && *due <= cut && (!step || *due <= *step)) {
      TANDEM_RETURN_IF_ERROR(Fire(*due));
    } else if (step && *step <= cut) {
      clock_.Set(*step);
      TANDEM_RETURN_IF_ERROR(desk_.RunNext());
      Drain();
    } else {
      TANDEM_RETURN_IF_ERROR(WriteUpTo(cut));
      if (cut >= end_) break;
    }
  }
  clock_.Set(end_);
  return Status::Ok();
}

// The next hour, or the next request before it, or the end.
Timestamp History::NextCut() {
  while (next_request_ < requests_.size() && requests_[next_request_] <= cut_) ++next_request_;
  Timestamp cut = std::min<Timestamp>(
      std::chrono::floor<std::chrono::hours>(cut_) + std::chrono::hours(1), end_);
  if (next_request_ < requests_.size()) cut = std::min(cut, requests_[next_request_]);
  return cut;
}

// Stores every activity at or before cut in one transaction, stamped with the latest one's
// time: a new MQL's clocks start within the hour (at once for a request).
Status History::WriteUpTo(Timestamp cut) {
  cut_ = cut;
  std::vector<Placed> batch;
  while (next_ < planned_.size() && planned_[next_].draft.at <= cut) {
    batch.push_back(std::move(planned_[next_++]));
  }
  bool merged = false;
  while (!later_.empty() && later_.top().draft.at <= cut) {
    batch.push_back(later_.top());
    later_.pop();
    merged = true;
  }
  if (batch.empty()) return Status::Ok();
  if (merged) std::sort(batch.begin(), batch.end(), Earlier);
  clock_.Set(batch.back().draft.at);
  TANDEM_RETURN_IF_ERROR(writer_.Write(std::move(batch)));
  Drain();
  return Status::Ok();
}

Status History::Fire(Timestamp at) {
  clock_.Set(at);
  auto fired = sla_.FireDue(at);
  if (!fired.ok()) return fired.status();
  std::optional<Timestamp> next = sla_.NextDue();
  if (next && *next <= at) {
    return Internal("the SLA model left a step due at " + FormatTimestamp(*next) + " unfired");
  }
  Drain();
  return Status::Ok();
}

// Hands what the journal told the watch to the desk, and the desk's later activities to the
// batches to come.
void History::Drain() {
  for (const auto& a : watch_.TakeAssignments()) desk_.OnAssigned(a.person, a.owner);
  for (PersonId p : watch_.TakePurchases()) desk_.OnPurchase(p);
  for (Placed& p : desk_.TakeLater()) {
    if (p.draft.at <= end_) later_.push(std::move(p));
  }
}

}  // namespace

bool Earlier(const Placed& a, const Placed& b) {
  if (a.draft.at != b.draft.at) return a.draft.at < b.draft.at;
  return a.person != b.person ? a.person < b.person : a.order < b.order;
}

Status ActivityWriter::Write(std::vector<Placed> drafts) {
  if (drafts.empty()) return Status::Ok();
  std::vector<ingest::PendingActivity> batch;
  batch.reserve(drafts.size());
  for (size_t i = 0; i < drafts.size(); ++i) {
    Draft& d = drafts[i].draft;
    Activity a{.client_id = ClientId(++per_source_[d.source]),
               .source = std::string(d.source),
               .type = std::string(d.type),
               .person = {.person_id = pop_.people[drafts[i].person].id},
               .occurred_at = d.at,
               .properties = std::move(d.properties)};
    batch.push_back({.index = i, .activity = std::move(a)});
  }
  auto report = ingest::StoreActivities(store_, std::move(batch), {}, {.actor = "demo"});
  if (!report.ok()) return report.status();
  if (!report->rejected.empty()) {
    return Internal("the demo made an activity the store refused: " +
                    report->rejected.front().reason);
  }
  stored_ += report->accepted;
  return Status::Ok();
}

Status Watch::OnAppended(store::WriteTxn& txn, const store::JournalEntry& e, Seq) {
  if (e.kind == "activity") {
    if (e.type != "purchase") return Status::Ok();
    SaveForUndo(txn);
    purchases_.push_back(PersonId(e.subject));
  } else if (e.kind == "assigned") {
    SaveForUndo(txn);
    auto reason = nlohmann::json::parse(e.reason, nullptr, /*allow_exceptions=*/false);
    int64_t owner = reason.is_object() ? reason.value("owner", int64_t{0}) : 0;
    assignments_.push_back({PersonId(e.subject), UserId(owner)});
    ++(e.actor.starts_with("routing@") ? counts_.routed : counts_.rerouted);
  } else if (e.kind == "sla_breached") {
    SaveForUndo(txn);
    ++counts_.breaches;
  } else if (e.kind == "escalated") {
    SaveForUndo(txn);
    ++counts_.escalations;
  }
  return Status::Ok();
}

// Once per write: what to restore if it rolls back.
void Watch::SaveForUndo(store::WriteTxn& txn) {
  if (saved_serial_ == txn.serial()) return;
  saved_serial_ = txn.serial();
  txn.OnRollback([this, counts = counts_, a = assignments_.size(), p = purchases_.size()] {
    assignments_.resize(std::min(a, assignments_.size()));
    purchases_.resize(std::min(p, purchases_.size()));
    counts_ = counts;
  });
}

Status RunHistory(DemoClock& clock, ingest::SlaModel& sla, Desk& desk, Watch& watch,
                  ActivityWriter& writer, std::vector<Placed> planned, Timestamp end) {
  return History(clock, sla, desk, watch, writer, std::move(planned), end).Run();
}

}  // namespace tandem::app::demo
