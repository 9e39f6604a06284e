// The SLA: the agreed, versioned contract between marketing and sales. What marketing
// delivers (volume, quality, conversion), what sales does with each lead (accept, first touch,
// contact attempts, disposition) and how breaches escalate; also the controlled lists of
// recycle and disqualify reasons and how new MQLs are routed to teams and reps.
// Plain values; engine/sla_toml.h reads and checks them. docs/SLA.md describes the document.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/policy.h"

namespace tandem {

// Business time counts only while the owning team is open: its business hours (default
// Mon–Fri 09:00–17:00 in its time zone), minus its holidays.
using BusinessDuration = std::chrono::minutes;  // "within 2 business hours"
using BusinessDays = std::chrono::days;         // a count of the team's working days
// What a business day counts as where the document compares hours with days, and where the
// import horizon is derived: the default calendar's eight hours.
constexpr BusinessDuration kNominalBusinessDay = std::chrono::hours(8);

enum class CommitmentPeriod { kMonth, kQuarter };
std::string_view CommitmentPeriodName(CommitmentPeriod p);  // "month", "quarter"
std::optional<CommitmentPeriod> ParseCommitmentPeriod(std::string_view name);

// What marketing delivers per calendar month or quarter (in the policy's time zone).
// Invariants: mql_target >= 1; quality_share and mql_to_sql_target in [0, 1].
struct MarketingCommitment {
  CommitmentPeriod period = CommitmentPeriod::kMonth;
  int mql_target = 1;              // MQLs delivered per period
  Grade quality_grade = Grade{8};  // the quality bar: this grade or better (default B)
  double quality_share = 0;        // at least this share of the MQLs meets the bar
  double mql_to_sql_target = 0;    // this share of the MQLs becomes SQL
};

// The ways sales reaches a person; each attempt is on one of them.
enum class ContactChannel { kCall, kEmail, kSocial, kMeeting };
constexpr int kContactChannelCount = 4;
std::string_view ContactChannelName(ContactChannel c);  // "call", "email", "social", "meeting"
std::optional<ContactChannel> ParseContactChannel(std::string_view name);

// Before a lead may be recycled: at least `attempts` contact attempts within `within` of
// becoming an MQL, on at least `channels` distinct channels.
// Invariants: 1 <= channels <= min(attempts, kContactChannelCount); within > 0.
struct AttemptMinimum {
  int attempts = 1;
  BusinessDays within{1};
  int channels = 1;
};

// Sales' commitments for one kind of lead, keyed on the policy's stage rules that made the
// person an MQL (or SQL). Every clock starts when that rule fires.
// Invariants: durations > 0; accept_within, first_touch_within and attempts.within end no
// later than disposition_within (a business day taken as kNominalBusinessDay).
struct LeadType {
  std::string id;
  std::string name;
  bool is_default = false;               // covers every rule no other lead type names
  std::vector<std::string> stage_rules;  // policy stage rule ids; may be empty for the default
  BusinessDuration accept_within{};      // accept or reject
  BusinessDuration first_touch_within{};
  AttemptMinimum attempts;
  BusinessDays disposition_within{};  // qualified, recycled or disqualified by then
  int line = 0;                       // where it was written, for messages
};

// A reason to hand a lead back to marketing. The person joins `nurture_track` and may not
// qualify again for `cool_down` (calendar days; zero: at once).
struct RecycleReason {
  std::string id;
  std::string name;
  std::string nurture_track;
  std::chrono::days cool_down{};
  int line = 0;
};

// A reason to disqualify a lead. Reasons exempt from the attempt minimum (a duplicate, spam)
// may be used before any contact attempt.
struct DisqualifyReason {
  std::string id;
  std::string name;
  bool exempt_from_attempts = false;
  int line = 0;
};

// A fact sales records when it qualifies a lead (→ SQL), so marketing sees why the lead was
// accepted: free text, or one of `values` when the document lists them.
// Invariants: id unique among the fields; values unique and not empty.
struct QualifyField {
  std::string id;
  std::string name;
  std::vector<std::string> values;  // empty: free text of 1 to kMaxQualifyText bytes
  int line = 0;
};
inline constexpr size_t kMaxQualifyText = 500;

enum class EscalationAction { kRemindOwner, kAlertManager, kReassign };
std::string_view EscalationActionName(EscalationAction a);  // "remind_owner", …
std::optional<EscalationAction> ParseEscalationAction(std::string_view name);

enum class NotifyChannel { kEmail, kWebhook };
std::string_view NotifyChannelName(NotifyChannel c);  // "email", "webhook"
std::optional<NotifyChannel> ParseNotifyChannel(std::string_view name);

// One rung of the escalation ladder, applied to every running SLA clock of a lead: when
// `at` times the clock's allowed time has passed without the clock being met.
// Invariants: at > 0; channels hold no duplicates and are not empty for remind_owner and
// alert_manager; webhook is set iff channels hold kWebhook. The webhook's URL and secret
// live in tandem.toml under this name, never in the document.
struct EscalationStep {
  double at = 1;  // 0.5: half-way; 1: at breach; 2: twice the allowed time
  EscalationAction action = EscalationAction::kRemindOwner;
  std::vector<NotifyChannel> channels;
  std::string webhook;
  int line = 0;
};

// Routes a new MQL whose every non-empty list matches (values within a list are
// alternatives) to `team`, and to one of `reps` when given.
// Invariants: at least one list is not empty; countries upper case ISO 3166 alpha-2; regions
// among EMEA, NA, LATAM, APAC; size bands as DESIGN.md lists them; rep e-mails lower case.
struct RoutingRule {
  std::string id;
  std::vector<std::string> countries;
  std::vector<std::string> regions;
  std::vector<std::string> industries;  // compared without case
  std::vector<std::string> size_bands;
  std::string team;               // a team's name
  std::vector<std::string> reps;  // user e-mails; empty: the team's reps
  int line = 0;
};

// Per-rep routing settings, by the rep's user e-mail (lower case).
struct RepSettings {
  std::string email;
  int weight = 1;                  // round-robin weight
  std::optional<int> capacity;     // most open leads at a time; unset: no limit
  std::vector<std::string> teams;  // team names the rep takes leads for; empty: their own
  int line = 0;
};

// The first rule that matches wins; no match goes to fallback_team.
struct RoutingPolicy {
  std::vector<RoutingRule> rules;
  std::vector<RepSettings> reps;
  std::string fallback_team;
};

// Invariants (checked by the parser): ids unique within their list; exactly one default lead
// type; no stage rule in two lead types; both reason lists non-empty; escalation steps in
// strictly increasing `at` order; rep e-mails unique; horizon > 0.
struct SlaDocument {
  std::string name;
  MarketingCommitment marketing;
  std::vector<LeadType> lead_types;
  std::vector<RecycleReason> recycle_reasons;
  std::vector<DisqualifyReason> disqualify_reasons;
  std::vector<QualifyField> qualify_fields;  // every one required by a qualify; may be empty
  std::vector<EscalationStep> escalation;
  RoutingPolicy routing;
  // Activities older than this (calendar time before an import's now) start no clocks.
  std::chrono::days horizon{};
  bool horizon_derived = true;  // false when the document sets it
};

// The lead type covering `stage_rule`: the one naming it, else the default.
// REQUIRES: doc holds a default lead type (every parsed document does).
const LeadType& LeadTypeFor(const SlaDocument& doc, std::string_view stage_rule);

// nullptr when the list holds no reason with that id.
const RecycleReason* FindRecycleReason(const SlaDocument& doc, std::string_view id);
const DisqualifyReason* FindDisqualifyReason(const SlaDocument& doc, std::string_view id);

// The longest time any clock of the document can run, escalations included, in calendar
// days: the longest deadline of any lead type in business days (hours counted as
// kNominalBusinessDay), times the last escalation step's `at` when above 1, counting five
// business days as seven calendar days, rounded up.
std::chrono::days LongestClock(const SlaDocument& doc);

}  // namespace tandem
