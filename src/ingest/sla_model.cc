// SlaModel: opening (default document, organisation, rebuild from the journal), the SLA
// document's versions, and reading open leads. Decisions are in sla_model_decide.cc, sales
// actions in sla_model_actions.cc, the fold of the journal in sla_model_fold.cc.
#include "ingest/sla_model.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <bit>

#include "engine/sla_toml.h"
#include "ingest/lead_model.h"
#include "ingest/sla_model_impl.h"
#include "store/documents.h"
#include "store/journal.h"
#include "store/users.h"

namespace tandem::ingest {
namespace {

constexpr std::array<std::string_view, kSlaClockCount> kClockNames{
    "accept", "first_touch", "attempts", "disposition"};

// The entries the fold reads, in seq order: SLA decisions, sales actions and touches, and
// what closes a lead.
constexpr const char* kRebuildSql =
    "SELECT seq, occurred_at, kind, subject, type, reason FROM journal WHERE kind IN "
    "('sla_activated', 'assigned', 'sla_started', 'action', 'sla_breached', 'escalated', "
    "'stage_changed', 'erased') OR (kind = 'activity' AND type IN ('call_logged', "
    "'sales_email_sent', 'meeting_held')) ORDER BY seq";

OpenLeadView ViewOf(const SlaModel::Impl& impl, PersonId person, const sla::OpenLead& lead) {
  OpenLeadView v{.person = person,
                 .owner = lead.owner,
                 .team = lead.team,
                 .lead_type = impl.LeadTypeId(lead),
                 .sla_version = lead.sla_version,
                 .assigned_at = FromMicros(lead.start_us),
                 .accepted = lead.accepted,
                 .clocks_running = lead.clocks_running,
                 .attempts = lead.attempts,
                 .attempts_required = lead.attempts_required,
                 .channels = std::popcount(lead.channels),
                 .channels_required = lead.channels_required};
  if (!lead.clocks_running) return v;
  for (int c = 0; c < kSlaClockCount; ++c) {
    const sla::Clock& k = lead.clocks[c];
    Timestamp due = impl.DueOf(lead, c);
    v.clocks.push_back({.clock = static_cast<SlaClock>(c),
                        .started = FromMicros(lead.start_us),
                        .due = due,
                        .met = k.met,
                        .breached = k.breached});
    if (!k.met && (!v.next_due || due < *v.next_due)) v.next_due = due;
  }
  return v;
}

}  // namespace

Result<std::unique_ptr<SlaModel>> OpenSlaModel(store::Store& store,
                                               std::string_view default_sla_toml,
                                               const LeadModel& leads) {
  auto rules = engine::SlaContextFor(leads.ActivePolicy()->policy()).stage_rules;
  return SlaModel::Open(store, default_sla_toml, std::move(rules));
}

std::string_view SlaClockName(SlaClock c) { return kClockNames[static_cast<size_t>(c)]; }

SlaModel::SlaModel(store::Store& store)
    : store_(store),
      documents_(store, store::Document::kSla, "sla"),
      impl_(std::make_unique<Impl>()) {}

SlaModel::~SlaModel() { store_.RemoveJournalObserver(this); }

Result<std::unique_ptr<SlaModel>> SlaModel::Open(store::Store& store,
                                                 std::string_view default_sla_toml,
                                                 std::vector<std::string> policy_stage_rules) {
  std::unique_ptr<SlaModel> model(new SlaModel(store));
  model->impl_->policy_stage_rules = std::move(policy_stage_rules);
  TANDEM_RETURN_IF_ERROR(model->InstallDefault(default_sla_toml));
  TANDEM_RETURN_IF_ERROR(model->LoadVersions());
  TANDEM_RETURN_IF_ERROR(model->ReloadOrganisation());
  TANDEM_RETURN_IF_ERROR(model->Rebuild());
  store.AddJournalObserver(model.get());
  return model;
}

Status SlaModel::InstallDefault(std::string_view toml) {
  bool have = false;
  TANDEM_RETURN_IF_ERROR(store_.Read([&](sql::Db& db) {
    have = store::LatestDocumentVersion(db, store::Document::kSla).has_value();
    return Status::Ok();
  }));
  if (have) return Status::Ok();
  auto parsed = engine::ParseSla(toml);
  if (!parsed.ok()) {
    return Status(Code::kInvalidArgument,
                  "the default SLA does not check: " + parsed.status().message(),
                  parsed.status().errors());
  }
  return store_.Write([&](store::WriteTxn& txn) {
    store::JournalEntry e{.recorded_at = txn.now(),
                          .occurred_at = txn.now(),
                          .kind = "sla_activated",
                          .actor = "system",
                          .reason = "{\"sla\":1,\"why\":\"default SLA installed\"}",
                          .digest = store::ContentDigest(toml)};
    auto seq = store::AppendJournal(txn, e);
    if (!seq.ok()) return seq.status();
    return store::InstallDefaultDocument(txn, store::Document::kSla, parsed->name, toml, *seq)
        .status();
  });
}

Status SlaModel::LoadVersions() {
  std::vector<store::DocumentRecord> records;
  TANDEM_RETURN_IF_ERROR(store_.Read([&](sql::Db& db) {
    records = store::ListDocumentVersions(db, store::Document::kSla);
    return Status::Ok();
  }));
  std::lock_guard lock(impl_->mu);
  for (const auto& r : records) {
    if (!r.activated_at) continue;
    auto doc = engine::ParseSla(r.toml);
    if (!doc.ok()) {
      return Status(Code::kInternal, "stored SLA version " + std::to_string(r.version) +
                                         " no longer checks: " + doc.status().message());
    }
    impl_->versions[r.version] = std::make_shared<const SlaDocument>(std::move(*doc));
  }
  return Status::Ok();
}

Status SlaModel::ReloadOrganisation() {
  std::vector<User> users;
  std::vector<Team> teams;
  TANDEM_RETURN_IF_ERROR(store_.Read([&](sql::Db& db) {
    users = store::ListUsers(db);
    teams = store::ListTeams(db);
    return Status::Ok();
  }));
  std::lock_guard lock(impl_->mu);
  impl_->members.clear();
  impl_->managers.clear();
  impl_->calendars.clear();
  impl_->teams = teams;
  for (const User& u : users) {
    impl_->members[u.id.value()] = {.id = u.id,
                                    .team = u.team,
                                    .role = u.role,
                                    .email = u.email,
                                    .name = u.name,
                                    .out_of_office = u.out_of_office};
  }
  if (!impl_->default_calendar) {
    auto c = engine::BusinessCalendar::Parse("UTC", "Mon-Fri 09:00-17:00", {});
    if (!c.ok()) return c.status();
    impl_->default_calendar = std::move(*c);
  }
  for (const Team& t : teams) {
    impl_->managers[t.id.value()] = t.manager;
    auto c = engine::BusinessCalendar::Parse(t.time_zone, t.business_hours, t.holidays);
    if (c.ok()) impl_->calendars.emplace(t.id.value(), std::move(*c));
  }
  impl_->BuildRouter();
  return Status::Ok();
}

Status SlaModel::Rebuild() {
  return store_.Read([&](sql::Db& db) {
    auto st = db.Prepare(kRebuildSql);
    if (!st.ok()) return st.status();
    sql::Stmt& s = **st;
    std::lock_guard lock(impl_->mu);
    while (s.Step()) {
      store::JournalEntry e{.seq = Seq(s.Int(0)),
                            .occurred_at = FromMicros(s.Int(1)),
                            .kind = s.Text(2),
                            .subject = s.Int(3),
                            .reason = s.Text(5),
                            .type = s.Text(4)};
      FoldEntry(*impl_, e, e.seq);
    }
    return s.status();
  });
}

// --- Documents ---

std::vector<DocumentVersion> SlaModel::Versions() const { return documents_.Versions(); }
Result<DocumentVersion> SlaModel::Version(int version) const {
  return documents_.Version(version);
}
DocumentVersion SlaModel::Active() const { return documents_.Active(); }

std::shared_ptr<const SlaDocument> SlaModel::ActiveDocument() const {
  std::lock_guard lock(impl_->mu);
  return impl_->active;
}

Result<DocumentVersion> SlaModel::Propose(std::string_view toml, const User& author,
                                          std::optional<int> if_match) {
  TANDEM_RETURN_IF_ERROR(documents_.CheckMayPropose(author));
  if (toml.size() > engine::kMaxSlaBytes) {
    return Status(Code::kTooLarge, "an SLA document is at most 256 KiB");
  }
  auto doc = engine::ParseSla(toml, Context());
  if (!doc.ok()) return doc.status();
  return documents_.Propose(toml, doc->name, author, if_match);
}

Result<DocumentVersion> SlaModel::Approve(int version, const User& approver) {
  return documents_.Approve(version, approver,
                            [this](store::WriteTxn& txn, const DocumentVersion& v) {
                              return Activate(txn, v);
                            });
}

engine::SlaContext SlaModel::Context() const {
  engine::SlaContext ctx;
  std::lock_guard lock(impl_->mu);
  ctx.stage_rules = impl_->policy_stage_rules;
  for (const Team& t : impl_->teams) ctx.teams.push_back(t.name);
  for (const auto& [id, m] : impl_->members) ctx.users.push_back(m.email);
  return ctx;
}

Result<Seq> SlaModel::Activate(store::WriteTxn& txn, const DocumentVersion& v) {
  auto doc = engine::ParseSla(v.toml);
  if (!doc.ok()) return doc.status();
  {
    std::lock_guard lock(impl_->mu);
    impl_->versions[v.version] = std::make_shared<const SlaDocument>(std::move(*doc));
  }
  store::JournalEntry e{.recorded_at = txn.now(),
                        .occurred_at = txn.now(),
                        .kind = "sla_activated",
                        .actor = "sla",
                        .reason = "{\"sla\":" + std::to_string(v.version) + "}",
                        .digest = store::ContentDigest(v.toml)};
  auto previous = impl_->active_version;
  txn.OnRollback([impl = impl_.get(), previous, version = v.version] {
    std::lock_guard lock(impl->mu);
    impl->versions.erase(version);
    impl->SwitchTo(previous);
  });
  return store::AppendJournal(txn, e);
}

// --- Reading ---

std::vector<OpenLeadView> SlaModel::Queue(UserId owner) const {
  std::vector<OpenLeadView> out;
  {
    std::lock_guard lock(impl_->mu);
    for (const auto& [id, lead] : impl_->leads) {
      if (lead.owner == owner) out.push_back(ViewOf(*impl_, PersonId(id), lead));
    }
  }
  std::sort(out.begin(), out.end(), [](const OpenLeadView& a, const OpenLeadView& b) {
    if (a.next_due.has_value() != b.next_due.has_value()) return a.next_due.has_value();
    if (a.next_due != b.next_due) return *a.next_due < *b.next_due;
    return a.person < b.person;
  });
  return out;
}

std::optional<OpenLeadView> SlaModel::LeadOf(PersonId person) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->leads.find(person.value());
  if (it == impl_->leads.end()) return std::nullopt;
  return ViewOf(*impl_, person, it->second);
}

Status SlaModel::RoutingStatus() const {
  std::lock_guard lock(impl_->mu);
  return impl_->router_status;
}

void SlaModel::OnRoutingChanged(std::function<void(const Status&)> fn) {
  std::lock_guard lock(impl_->mu);
  impl_->on_routing_changed = std::move(fn);
}

size_t SlaModel::OpenLeads() const {
  std::lock_guard lock(impl_->mu);
  return impl_->leads.size();
}

std::optional<Timestamp> SlaModel::NextDue() const {
  std::lock_guard lock(impl_->mu);
  return impl_->timers.NextDue();
}

void SlaModel::OnEarlierDue(std::function<void()> fn) {
  std::lock_guard lock(impl_->mu);
  impl_->on_earlier_due = std::move(fn);
}

}  // namespace tandem::ingest
