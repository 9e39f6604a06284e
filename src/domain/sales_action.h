// Sales actions (DESIGN.md, "Stages"; docs/SLA.md): what a rep or manager does with a lead
// sales owns. Every action is journaled (kind "action"); none deletes anything.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/ids.h"
#include "base/time.h"
#include "domain/sla.h"

namespace tandem {

enum class SalesActionKind {
  kAccept,      // MQL → SAL: sales takes the lead on
  kReject,      // the owner declines it (wrong territory, conflict): routed to someone else
  kAttempt,     // a contact attempt on a channel
  kConnect,     // a conversation happened (counts as an attempt)
  kQualify,     // → SQL
  kRecycle,     // back to marketing nurture, with a reason from the SLA's list
  kDisqualify,  // out of the funnel, with a reason from the SLA's list
  kReassign,    // a manager gives the lead to another user
};

// "accept", "reject", "attempt", "connect", "qualify", "recycle", "disqualify", "reassign".
std::string_view SalesActionName(SalesActionKind k);
std::optional<SalesActionKind> ParseSalesAction(std::string_view name);

struct SalesAction {
  SalesActionKind kind = SalesActionKind::kAttempt;
  std::string reason;                     // recycle, disqualify: a listed id; reject: free text
  std::optional<ContactChannel> channel;  // attempt (required), connect
  std::string outcome;                    // attempt: e.g. "no_answer", "voicemail"
  UserId to;                              // reassign: the new owner
  std::map<std::string, std::string> fields;  // qualify: the SLA's qualify_fields, by id
  std::string note;                       // free text, kept with the action's payload
  std::optional<Timestamp> at;            // when it happened; default: now
};

}  // namespace tandem
