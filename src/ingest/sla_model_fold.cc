// SlaModel's state as a fold of the journal: the entries it decides (assigned, sla_started,
// sla_breached, escalated, sla_activated) and those it reacts to (sales actions, sales
// touches arriving as activities, stage changes past the SLA, erasures). The live path and
// the rebuild at start-up both go through FoldEntry.
#include <nlohmann/json.hpp>

#include <bit>

#include "domain/activity_type.h"
#include "ingest/sla_model_impl.h"
#include "store/journal.h"

namespace tandem::ingest {
namespace {

using nlohmann::json;
using sla::OpenLead;

std::optional<json> ParseReason(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  return j;
}

int64_t Micros(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return 0;
  auto t = ParseTimestamp(j[key].get<std::string>());
  return t ? ToMicros(*t) : 0;
}

int ClockIndex(const json& j) {
  if (!j.contains("clock") || !j["clock"].is_string()) return -1;
  std::string name = j["clock"].get<std::string>();
  for (int c = 0; c < kSlaClockCount; ++c) {
    if (SlaClockName(static_cast<SlaClock>(c)) == name) return c;
  }
  return -1;
}

void FoldAssigned(SlaModel::Impl& impl, PersonId person, const json& r, Timestamp at) {
  OpenLead lead;
  if (auto it = impl.leads.find(person.value()); it != impl.leads.end()) {
    lead.attempts = it->second.attempts;  // contact made so far stays with the lead
    lead.channels = it->second.channels;
    impl.Close(person);
  }
  lead.owner = UserId(r.value("owner", int64_t{0}));
  lead.team = TeamId(r.value("team", int64_t{0}));
  lead.sla_version = r.value("sla", 0);
  lead.lead_type = r.value("lead_type", std::string());
  lead.attempts_required = static_cast<int16_t>(r.value("attempts_required", 0));
  lead.channels_required = static_cast<int16_t>(r.value("channels_required", 0));
  lead.assigned_at_us = ToMicros(at);
  if (impl.router) impl.router->OnAssigned(lead.owner);
  impl.leads[person.value()] = lead;
}

void FoldStarted(SlaModel::Impl& impl, PersonId person, const json& r, Seq seq) {
  auto it = impl.leads.find(person.value());
  if (it == impl.leads.end() || !r.contains("clocks") || !r["clocks"].is_array()) return;
  OpenLead& lead = it->second;
  for (const json& c : r["clocks"]) {
    int i = ClockIndex(c);
    if (i < 0) continue;
    sla::Clock& clock = lead.clocks[i];
    clock = sla::Clock{};
    clock.start_us = Micros(c, "start");
    clock.due_us = Micros(c, "due");
    clock.allowed_us = c.value("allowed_us", int64_t{0});
  }
  lead.clocks_running = true;
  lead.started_seq = seq;
  // Contact made before the clocks started (a reassignment) counts towards them.
  if (lead.attempts > 0) lead.clocks[static_cast<int>(SlaClock::kFirstTouch)].met = true;
  if (lead.attempts >= lead.attempts_required &&
      std::popcount(lead.channels) >= lead.channels_required) {
    lead.clocks[static_cast<int>(SlaClock::kAttempts)].met = true;
  }
  impl.ArmAll(person, lead);
}

void Meet(SlaModel::Impl& impl, PersonId person, OpenLead& lead, SlaClock c) {
  lead.clocks[static_cast<int>(c)].met = true;
  impl.ArmNext(person, lead, static_cast<int>(c));
}

void FoldAttempt(SlaModel::Impl& impl, PersonId person, std::optional<ContactChannel> channel) {
  auto it = impl.leads.find(person.value());
  if (it == impl.leads.end()) return;
  OpenLead& lead = it->second;
  ++lead.attempts;
  if (channel) lead.channels |= static_cast<uint8_t>(1u << static_cast<int>(*channel));
  Meet(impl, person, lead, SlaClock::kFirstTouch);
  if (lead.attempts >= lead.attempts_required &&
      std::popcount(lead.channels) >= lead.channels_required) {
    Meet(impl, person, lead, SlaClock::kAttempts);
  }
}

void FoldAction(SlaModel::Impl& impl, PersonId person, const json& r) {
  auto kind = ParseSalesAction(r.value("action", std::string()));
  auto it = impl.leads.find(person.value());
  if (!kind || it == impl.leads.end()) return;
  switch (*kind) {
    case SalesActionKind::kAccept:
      it->second.accepted = true;
      return Meet(impl, person, it->second, SlaClock::kAccept);
    case SalesActionKind::kAttempt:
    case SalesActionKind::kConnect:
      return FoldAttempt(impl, person, ParseContactChannel(r.value("channel", std::string())));
    case SalesActionKind::kQualify:
    case SalesActionKind::kRecycle:
    case SalesActionKind::kDisqualify:
      return impl.Close(person);
    case SalesActionKind::kReject:
    case SalesActionKind::kReassign:
      return;  // the assigned entry that follows moves the lead
  }
}

void FoldStep(SlaModel::Impl& impl, PersonId person, const json& r, bool breach) {
  auto it = impl.leads.find(person.value());
  int c = ClockIndex(r);
  if (it == impl.leads.end() || c < 0) return;
  sla::Clock& clock = it->second.clocks[c];
  clock.next_step = static_cast<uint8_t>(r.value("step", 0) + 1);
  if (breach) clock.breached = true;
  impl.ArmNext(person, it->second, c);
}

// Sales touches logged in a CRM count as contact attempts (DESIGN.md, "Stages").
std::optional<ContactChannel> ChannelOfTouch(std::string_view type) {
  if (type == "call_logged") return ContactChannel::kCall;
  if (type == "sales_email_sent") return ContactChannel::kEmail;
  if (type == "meeting_held") return ContactChannel::kMeeting;
  return std::nullopt;
}

bool ClosesLead(const json& r) {
  std::string to = r.value("to", std::string());
  return to == "opportunity" || to == "customer" || to == "lapsed";
}

}  // namespace

void FoldEntry(SlaModel::Impl& impl, const store::JournalEntry& e, Seq seq) {
  PersonId person(e.subject);
  if (e.kind == "activity") {
    if (auto channel = ChannelOfTouch(e.type)) FoldAttempt(impl, person, channel);
    return;
  }
  if (e.kind == "erased") return impl.Close(person);
  auto r = ParseReason(e.reason);
  if (!r) return;
  if (e.kind == "assigned") return FoldAssigned(impl, person, *r, e.occurred_at);
  if (e.kind == "sla_activated") return impl.SwitchTo(r->value("sla", 0));
  if (e.kind == "sla_started") return FoldStarted(impl, person, *r, seq);
  if (e.kind == "action") return FoldAction(impl, person, *r);
  if (e.kind == "sla_breached") return FoldStep(impl, person, *r, true);
  if (e.kind == "escalated") return FoldStep(impl, person, *r, false);
  if (e.kind == "stage_changed" && ClosesLead(*r)) return impl.Close(person);
}

// --- Impl: clocks and timers ---

const engine::BusinessCalendar& SlaModel::Impl::CalendarOf(TeamId team) const {
  auto it = calendars.find(team.value());
  return it != calendars.end() ? it->second : *default_calendar;
}

void SlaModel::Impl::ArmNext(PersonId person, const OpenLead& lead, int c) {
  const sla::Clock& clock = lead.clocks[c];
  engine::ClockKey key = sla::KeyOf(person, c);
  if (!lead.clocks_running || clock.met || clock.next_step >= steps.at.size()) {
    timers.Cancel(key);
    return;
  }
  double at = steps.at[clock.next_step];
  Timestamp due = at == 1.0 ? FromMicros(clock.due_us)
                            : CalendarOf(lead.team).AddBusinessTime(
                                  FromMicros(clock.start_us),
                                  Duration(static_cast<int64_t>(clock.allowed_us * at)));
  std::optional<Timestamp> before = timers.NextDue();
  timers.Arm(key, due);
  if (on_earlier_due && (!before || due < *before)) on_earlier_due();
}

void SlaModel::Impl::ArmAll(PersonId person, const OpenLead& lead) {
  for (int c = 0; c < kSlaClockCount; ++c) ArmNext(person, lead, c);
}

void SlaModel::Impl::DisarmAll(PersonId person) {
  for (int c = 0; c < kSlaClockCount; ++c) timers.Cancel(sla::KeyOf(person, c));
}

void SlaModel::Impl::Close(PersonId person) {
  auto it = leads.find(person.value());
  if (it == leads.end()) return;
  if (router) router->OnReleased(it->second.owner);
  DisarmAll(person);
  leads.erase(it);
}

void SlaModel::Impl::SwitchTo(int version) {
  auto it = versions.find(version);
  active = it == versions.end() ? nullptr : it->second;
  active_version = active ? version : 0;
  steps = active ? sla::StepsOf(*active) : sla::Steps{};
  BuildRouter();
  for (const auto& [id, lead] : leads) ArmAll(PersonId(id), lead);
}

sla::Steps sla::StepsOf(const SlaDocument& doc) {
  Steps s;
  s.at.push_back(1.0);
  for (const auto& e : doc.escalation) s.at.push_back(e.at);
  std::sort(s.at.begin(), s.at.end());
  s.at.erase(std::unique(s.at.begin(), s.at.end()), s.at.end());
  s.escalations.resize(s.at.size());
  for (const auto& e : doc.escalation) {
    auto i = std::lower_bound(s.at.begin(), s.at.end(), e.at) - s.at.begin();
    s.escalations[i].push_back(&e);
  }
  return s;
}

}  // namespace tandem::ingest
