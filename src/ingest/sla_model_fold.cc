// SlaModel's state as a fold of the journal: the entries it decides (assigned, sla_started,
// sla_breached, escalated, sla_activated) and those it reacts to (sales actions, sales
// touches arriving as activities, stage changes past the SLA, erasures). The live path and
// the rebuild at start-up both go through FoldEntry.
#include <nlohmann/json.hpp>

#include <algorithm>
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
  lead.sla_version = static_cast<uint16_t>(r.value("sla", 0));
  if (auto v = impl.versions.find(lead.sla_version); v != impl.versions.end()) {
    std::string id = r.value("lead_type", std::string());
    const auto& types = v->second->lead_types;
    for (size_t i = 0; i < types.size(); ++i) {
      if (types[i].id == id) lead.lead_type = static_cast<uint8_t>(i);
    }
  }
  lead.attempts_required = static_cast<uint8_t>(std::clamp(r.value("attempts_required", 0), 0, 255));
  lead.channels_required = static_cast<uint8_t>(std::clamp(r.value("channels_required", 0), 0, 255));
  lead.start_us = ToMicros(at);
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
    lead.clocks[i] = sla::Clock{.allowed_us = c.value("allowed_us", int64_t{0})};
    if (int64_t start = Micros(c, "start")) lead.start_us = start;
  }
  lead.clocks_running = true;
  lead.started_seq = seq;
  // Contact made before the clocks started (a reassignment) counts towards them.
  if (lead.attempts > 0) lead.clocks[static_cast<int>(SlaClock::kFirstTouch)].met = true;
  if (lead.attempts >= lead.attempts_required &&
      std::popcount(lead.channels) >= lead.channels_required) {
    lead.clocks[static_cast<int>(SlaClock::kAttempts)].met = true;
  }
  impl.Arm(person, lead);
}

void Meet(SlaModel::Impl& impl, PersonId person, OpenLead& lead, SlaClock c) {
  lead.clocks[static_cast<int>(c)].met = true;
  impl.Arm(person, lead);
}

void FoldAttempt(SlaModel::Impl& impl, PersonId person, std::optional<ContactChannel> channel) {
  auto it = impl.leads.find(person.value());
  if (it == impl.leads.end()) return;
  OpenLead& lead = it->second;
  if (lead.attempts < 255) ++lead.attempts;
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
  impl.Arm(person, it->second);
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

Timestamp SlaModel::Impl::StepTime(const OpenLead& lead, int c, double at) const {
  auto allowed = static_cast<int64_t>(static_cast<double>(lead.clocks[c].allowed_us) * at);
  return CalendarOf(lead.team).AddBusinessTime(FromMicros(lead.start_us), Duration(allowed));
}

std::optional<std::pair<Timestamp, int>> SlaModel::Impl::NextStep(const OpenLead& lead) const {
  std::optional<std::pair<Timestamp, int>> best;
  if (!lead.clocks_running) return best;
  for (int c = 0; c < kSlaClockCount; ++c) {
    const sla::Clock& k = lead.clocks[c];
    if (k.met || k.next_step >= steps.at.size()) continue;
    Timestamp t = StepTime(lead, c, steps.at[k.next_step]);
    if (!best || t < best->first) best = {t, c};
  }
  return best;
}

void SlaModel::Impl::Arm(PersonId person, const OpenLead& lead) {
  auto next = NextStep(lead);
  if (!next) {
    timers.Cancel(sla::KeyOf(person));
    return;
  }
  std::optional<Timestamp> before = timers.NextDue();
  timers.Arm(sla::KeyOf(person), next->first);
  if (on_earlier_due && (!before || next->first < *before)) on_earlier_due();
}

void SlaModel::Impl::Disarm(PersonId person) { timers.Cancel(sla::KeyOf(person)); }

std::string SlaModel::Impl::LeadTypeId(const OpenLead& lead) const {
  auto v = versions.find(lead.sla_version);
  if (v == versions.end() || lead.lead_type >= v->second->lead_types.size()) return {};
  return v->second->lead_types[lead.lead_type].id;
}

size_t SlaModel::Impl::MemoryBytes() const {
  // An unordered_map node holds the key, the value and a next pointer; one bucket pointer
  // per bucket.
  size_t node = sizeof(void*) + sizeof(std::pair<const int64_t, OpenLead>);
  return leads.size() * node + leads.bucket_count() * sizeof(void*) + timers.MemoryBytes();
}

void SlaModel::Impl::Close(PersonId person) {
  auto it = leads.find(person.value());
  if (it == leads.end()) return;
  if (router) router->OnReleased(it->second.owner);
  Disarm(person);
  leads.erase(it);
}

void SlaModel::Impl::SwitchTo(int version) {
  auto it = versions.find(version);
  active = it == versions.end() ? nullptr : it->second;
  active_version = active ? version : 0;
  steps = active ? sla::StepsOf(*active) : sla::Steps{};
  BuildRouter();
  for (const auto& [id, lead] : leads) Arm(PersonId(id), lead);
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
