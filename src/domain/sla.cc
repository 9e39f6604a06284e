#include "domain/sla.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace tandem {
namespace {

constexpr std::array<std::pair<CommitmentPeriod, std::string_view>, 2> kPeriods{{
    {CommitmentPeriod::kMonth, "month"},
    {CommitmentPeriod::kQuarter, "quarter"},
}};

constexpr std::array<std::pair<ContactChannel, std::string_view>, kContactChannelCount>
    kContactChannels{{
        {ContactChannel::kCall, "call"},
        {ContactChannel::kEmail, "email"},
        {ContactChannel::kSocial, "social"},
        {ContactChannel::kMeeting, "meeting"},
    }};

constexpr std::array<std::pair<EscalationAction, std::string_view>, 3> kActions{{
    {EscalationAction::kRemindOwner, "remind_owner"},
    {EscalationAction::kAlertManager, "alert_manager"},
    {EscalationAction::kReassign, "reassign"},
}};

constexpr std::array<std::pair<NotifyChannel, std::string_view>, 2> kNotifyChannels{{
    {NotifyChannel::kEmail, "email"},
    {NotifyChannel::kWebhook, "webhook"},
}};

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E v) {
  for (const auto& [e, name] : table) {
    if (e == v) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& table,
                       std::string_view name) {
  for (const auto& [e, n] : table) {
    if (n == name) return e;
  }
  return std::nullopt;
}

// The lead type's longest deadline in business days, hours rounded up to whole days.
double LongestDeadlineDays(const LeadType& t) {
  auto hours = std::max(t.accept_within, t.first_touch_within);
  double from_hours = std::ceil(static_cast<double>(hours.count()) /
                                static_cast<double>(kNominalBusinessDay.count()));
  double days = static_cast<double>(std::max(t.attempts.within, t.disposition_within).count());
  return std::max(from_hours, days);
}

}  // namespace

std::string_view CommitmentPeriodName(CommitmentPeriod p) { return NameOf(kPeriods, p); }
std::optional<CommitmentPeriod> ParseCommitmentPeriod(std::string_view name) {
  return Parse(kPeriods, name);
}

std::string_view ContactChannelName(ContactChannel c) { return NameOf(kContactChannels, c); }
std::optional<ContactChannel> ParseContactChannel(std::string_view name) {
  return Parse(kContactChannels, name);
}

std::string_view EscalationActionName(EscalationAction a) { return NameOf(kActions, a); }
std::optional<EscalationAction> ParseEscalationAction(std::string_view name) {
  return Parse(kActions, name);
}

std::string_view NotifyChannelName(NotifyChannel c) { return NameOf(kNotifyChannels, c); }
std::optional<NotifyChannel> ParseNotifyChannel(std::string_view name) {
  return Parse(kNotifyChannels, name);
}

const LeadType& LeadTypeFor(const SlaDocument& doc, std::string_view stage_rule) {
  const LeadType* fallback = &doc.lead_types.front();
  for (const LeadType& t : doc.lead_types) {
    if (std::find(t.stage_rules.begin(), t.stage_rules.end(), stage_rule) != t.stage_rules.end()) {
      return t;
    }
    if (t.is_default) fallback = &t;
  }
  return *fallback;
}

const RecycleReason* FindRecycleReason(const SlaDocument& doc, std::string_view id) {
  for (const RecycleReason& r : doc.recycle_reasons) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

const DisqualifyReason* FindDisqualifyReason(const SlaDocument& doc, std::string_view id) {
  for (const DisqualifyReason& r : doc.disqualify_reasons) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

std::chrono::days LongestClock(const SlaDocument& doc) {
  double business_days = 0;
  for (const LeadType& t : doc.lead_types) {
    business_days = std::max(business_days, LongestDeadlineDays(t));
  }
  double factor = 1;
  for (const EscalationStep& s : doc.escalation) factor = std::max(factor, s.at);
  double calendar = std::ceil(std::ceil(business_days * factor) * 7 / 5);
  return std::chrono::days(static_cast<int64_t>(calendar));
}

}  // namespace tandem
