// SlaModel::Act: a sales action checked against the SLA, then journaled (kind "action") with
// the stage it moves the person to; the lead model applies the stage, the fold stops clocks,
// and a reject or reassign routes the lead to its next owner.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <map>

#include "ingest/sla_model_impl.h"
#include "store/journal.h"

namespace tandem::ingest {
namespace {

using nlohmann::json;

Status Invalid(std::string field, std::string why) {
  std::string detail = why;
  return InvalidArgument(std::move(detail), {{std::move(field), std::move(why)}});
}

std::string ChannelNames(uint8_t bits) {
  std::string out;
  for (int c = 0; c < kContactChannelCount; ++c) {
    if (!(bits & (1u << c))) continue;
    if (!out.empty()) out += ", ";
    out += ContactChannelName(static_cast<ContactChannel>(c));
  }
  return out.empty() ? "none" : out;
}

std::string Joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

template <typename Reason>
std::string Listed(const std::vector<Reason>& reasons) {
  std::string out;
  for (const auto& r : reasons) out += (out.empty() ? "" : ", ") + r.id;
  return out;
}

// The attempt minimum a recycle or a non-exempt disqualify needs (DESIGN.md: no lead is
// discarded without the agreed attempts). Field errors say exactly what is missing.
Status CheckAttempts(const sla::OpenLead& lead, const std::string& lead_type,
                     std::string_view verb) {
  std::vector<FieldError> errors;
  if (lead.attempts < lead.attempts_required) {
    errors.push_back({"attempts", "the SLA (lead type " + lead_type + ") requires " +
                                      std::to_string(lead.attempts_required) +
                                      " contact attempts before a " + std::string(verb) + "; " +
                                      std::to_string(lead.attempts) + " made"});
  }
  if (std::popcount(lead.channels) < lead.channels_required) {
    errors.push_back({"channels", "the SLA requires attempts on " +
                                      std::to_string(lead.channels_required) +
                                      " channels; made on " +
                                      std::to_string(std::popcount(lead.channels)) + " (" +
                                      ChannelNames(lead.channels) + ")"});
  }
  if (errors.empty()) return Status::Ok();
  std::string detail = std::string(verb) + " refused: ";
  for (size_t i = 0; i < errors.size(); ++i) detail += (i ? "; " : "") + errors[i].reason;
  return InvalidArgument(detail, std::move(errors));
}

// The facts a qualify must record (the SLA's qualify_fields): each field given, a listed value
// where the SLA lists values, no field the SLA does not name. Field errors say which.
Status CheckQualifyFields(const SlaDocument& doc, const std::map<std::string, std::string>& given) {
  std::vector<FieldError> errors;
  for (const QualifyField& f : doc.qualify_fields) {
    auto it = given.find(f.id);
    std::string field = "fields." + f.id;
    if (it == given.end() || it->second.empty()) {
      errors.push_back({field, "required by the SLA to qualify (" + f.name + ")" +
                                   (f.values.empty() ? "" : "; one of: " + Joined(f.values))});
    } else if (!f.values.empty() &&
               std::find(f.values.begin(), f.values.end(), it->second) == f.values.end()) {
      errors.push_back({field, "'" + it->second + "' is not one of: " + Joined(f.values)});
    } else if (it->second.size() > kMaxQualifyText) {
      errors.push_back({field, "at most " + std::to_string(kMaxQualifyText) + " bytes"});
    }
  }
  for (const auto& [id, value] : given) {
    bool listed = std::any_of(doc.qualify_fields.begin(), doc.qualify_fields.end(),
                              [&](const QualifyField& f) { return f.id == id; });
    if (!listed) errors.push_back({"fields." + id, "not a field the SLA asks for"});
  }
  if (errors.empty()) return Status::Ok();
  std::string detail = "qualify refused: ";
  for (size_t i = 0; i < errors.size(); ++i) {
    detail += (i ? "; " : "") + errors[i].field + " " + errors[i].reason;
  }
  return InvalidArgument(detail, std::move(errors));
}

// What the action does to the stage; nullopt if nothing.
std::optional<Stage> StageAfter(SalesActionKind k, Stage now) {
  switch (k) {
    case SalesActionKind::kAccept:
      return now == Stage::kMql ? std::optional(Stage::kSal) : std::nullopt;
    case SalesActionKind::kQualify:
      return Stage::kSql;
    case SalesActionKind::kRecycle:
      return Stage::kRecycled;
    case SalesActionKind::kDisqualify:
      return Stage::kDisqualified;
    default:
      return std::nullopt;
  }
}

Result<Stage> CurrentStage(sql::Db& db, PersonId person) {
  auto& s = db.Cached("SELECT stage FROM people WHERE id = ? AND erased_at IS NULL");
  s.Bind(1, person.value());
  if (!s.Step()) {
    TANDEM_RETURN_IF_ERROR(s.status());
    return NotFound("no person " + std::to_string(person.value()));
  }
  auto stage = ParseStage(s.TextView(0));
  s.Reset();
  return stage.value_or(Stage::kLead);
}

}  // namespace

Result<ActionOutcome> SlaModel::Act(PersonId person, const SalesAction& action,
                                    const User& actor) {
  ActionOutcome out;
  Status st = store_.Write([&](store::WriteTxn& txn) -> Status {
    auto stage = CurrentStage(txn.db(), person);
    if (!stage.ok()) return stage.status();
    std::optional<sla::OpenLead> lead;
    std::string lead_type;
    std::shared_ptr<const SlaDocument> doc;
    bool target_ok = false;
    {
      std::lock_guard lock(impl_->mu);
      if (auto it = impl_->leads.find(person.value()); it != impl_->leads.end()) {
        lead = it->second;
        lead_type = impl_->LeadTypeId(*lead);
      }
      doc = impl_->active;
      if (auto m = impl_->members.find(action.to.value()); m != impl_->members.end()) {
        target_ok = m->second.role == Role::kSalesRep || m->second.role == Role::kSalesManager;
      }
    }
    if (!lead || !doc) {
      return FailedPrecondition("person " + std::to_string(person.value()) +
                                " has no open lead: sales actions apply to leads routed to "
                                "sales (an MQL or SQL with an owner)");
    }
    bool manager = actor.role == Role::kAdmin || actor.role == Role::kSalesManager;
    if (!manager && actor.id != lead->owner) {
      return Status(Code::kPermissionDenied,
                    "only the lead's owner (user " + std::to_string(lead->owner.value()) +
                        "), a sales manager or an admin acts on it");
    }
    json r{{"action", SalesActionName(action.kind)}, {"owner", lead->owner.value()},
           {"sla", lead->sla_version}};
    switch (action.kind) {
      case SalesActionKind::kAccept:
        if (lead->accepted) return FailedPrecondition("the lead is accepted already");
        break;
      case SalesActionKind::kReject:
        if (action.reason.empty()) {
          return Invalid("reason", "a reject needs a reason (why the lead is not yours)");
        }
        if (lead->accepted) {
          return FailedPrecondition("the lead is accepted; recycle or disqualify it instead");
        }
        break;
      case SalesActionKind::kAttempt:
        if (!action.channel) {
          return Invalid("channel", "an attempt needs a channel: call, email, social or meeting");
        }
        break;
      case SalesActionKind::kConnect:
        break;
      case SalesActionKind::kQualify: {
        TANDEM_RETURN_IF_ERROR(CheckQualifyFields(*doc, action.fields));
        json ids = json::array();  // the reason names the facts; their values are payload
        for (const auto& [id, value] : action.fields) ids.push_back(id);
        if (!ids.empty()) r["fields"] = std::move(ids);
        break;
      }
      case SalesActionKind::kRecycle: {
        const RecycleReason* reason = FindRecycleReason(*doc, action.reason);
        if (!reason) {
          return Invalid("reason", (action.reason.empty() ? std::string("a recycle needs a reason")
                                                          : "unknown recycle reason '" +
                                                                action.reason + "'") +
                                       "; one of: " + Listed(doc->recycle_reasons));
        }
        TANDEM_RETURN_IF_ERROR(CheckAttempts(*lead, lead_type, "recycle"));
        Timestamp at = action.at.value_or(txn.now());
        r["nurture_track"] = reason->nurture_track;
        r["hold_until"] = FormatTimestamp(at + std::chrono::duration_cast<Duration>(
                                                   reason->cool_down));
        break;
      }
      case SalesActionKind::kDisqualify: {
        const DisqualifyReason* reason = FindDisqualifyReason(*doc, action.reason);
        if (!reason) {
          return Invalid("reason", (action.reason.empty() ? std::string("a disqualify needs a reason")
                                                          : "unknown disqualify reason '" +
                                                                action.reason + "'") +
                                       "; one of: " + Listed(doc->disqualify_reasons));
        }
        if (!reason->exempt_from_attempts) {
          TANDEM_RETURN_IF_ERROR(CheckAttempts(*lead, lead_type, "disqualify"));
        }
        break;
      }
      case SalesActionKind::kReassign:
        if (!manager) {
          return Status(Code::kPermissionDenied, "only a sales manager or an admin reassigns");
        }
        if (!target_ok) {
          return Invalid("to", "reassign needs `to`: the id of a sales rep or sales manager");
        }
        if (action.to == lead->owner) return Invalid("to", "the lead is theirs already");
        r["to"] = action.to.value();
        break;
    }
    if (!action.reason.empty()) r["reason"] = action.reason;
    if (action.channel) r["channel"] = ContactChannelName(*action.channel);
    if (!action.outcome.empty()) r["outcome"] = action.outcome;
    if (auto s = StageAfter(action.kind, *stage)) {
      r["stage"] = StageName(*s);
      out.stage = *s;
    }
    json payload = r;  // the payload adds the free-text note, which an erasure wipes
    if (!action.note.empty()) payload["note"] = action.note;
    if (!action.fields.empty()) payload["field_values"] = action.fields;
    std::string actor_name = "user:" + std::to_string(actor.id.value());
    auto seq = store::AppendJournal(txn, {.recorded_at = txn.now(),
                                          .occurred_at = action.at.value_or(txn.now()),
                                          .kind = "action",
                                          .subject = person.value(),
                                          .actor = actor_name,
                                          .reason = r.dump(),
                                          .digest = store::ContentDigest(payload.dump()),
                                          .payload = payload.dump()});
    if (!seq.ok()) return seq.status();
    out.seq = *seq;
    out.owner = lead->owner;
    if (action.kind == SalesActionKind::kReject) {
      TANDEM_RETURN_IF_ERROR(Reroute(txn, person, actor_name, *seq, "rejected: " + action.reason));
    } else if (action.kind == SalesActionKind::kReassign) {
      json why{{"step", "manual"}, {"by", actor.id.value()}};
      TANDEM_RETURN_IF_ERROR(
          Assign(txn, person, actor_name, *seq, lead_type, why.dump(), action.to));
    }
    if (auto now = LeadOf(person)) out.owner = now->owner;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace tandem::ingest
