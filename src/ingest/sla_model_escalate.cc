// SlaModel's escalation ladder: when a clock's step falls due it is journaled (sla_breached
// at 1× the allowed time, escalated otherwise) and its notifications go to the outbox in the
// same write; a reassign step routes the lead to someone else.
#include <nlohmann/json.hpp>

#include <algorithm>

#include "ingest/sla_model_impl.h"
#include "store/journal.h"
#include "store/outbox.h"

namespace tandem::ingest {
namespace {

using nlohmann::json;

// What the step needs, copied out under the model's lock.
struct StepFacts {
  sla::OpenLead lead;
  std::string lead_type;
  Timestamp started{}, clock_due{};
  int step = 0;
  double at = 1;
  Timestamp due{};
  std::vector<EscalationStep> escalations;
  sla::Member owner, manager;
  int sla_version = 0;
};

struct PersonLabel {
  std::string name, email;
};

PersonLabel LoadLabel(sql::Db& db, PersonId person) {
  auto& s = db.Cached(
      "SELECT TRIM(COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')), "
      "(SELECT email FROM person_emails e WHERE e.person_id = p.id ORDER BY position LIMIT 1) "
      "FROM people p WHERE p.id = ?");
  s.Bind(1, person.value());
  PersonLabel out;
  if (s.Step()) out = {s.Text(0), s.Text(1)};
  s.Reset();
  return out;
}

std::string StepName(double at) {
  if (at == 1.0) return "breach";
  json j = at;
  return j.dump() + "× the allowed time";
}

std::string Subject(const StepFacts& f, SlaClock clock, PersonId person,
                    const PersonLabel& label) {
  std::string what = f.at == 1.0 ? "SLA breached" : f.at < 1.0 ? "SLA reminder" : "SLA escalation";
  std::string who = label.name.empty() ? "" : " (" + label.name + ")";
  return what + ": " + std::string(SlaClockName(clock)) + " for lead #" +
         std::to_string(person.value()) + who + ", due " + FormatTimestamp(f.clock_due);
}

std::string Body(const StepFacts& f, SlaClock clock, PersonId person, const PersonLabel& label,
                 const sla::Member& to, EscalationAction action) {
  std::string text = "Hello " + (to.name.empty() ? to.email : to.name) + ",\n\n";
  text += "The SLA clock \"" + std::string(SlaClockName(clock)) + "\" for lead #" +
          std::to_string(person.value());
  if (!label.name.empty() || !label.email.empty()) {
    text += " (" + label.name + (label.email.empty() ? "" : " <" + label.email + ">") + ")";
  }
  text += f.at < 1.0 ? " is running: " : " is past due: ";
  text += "it started " + FormatTimestamp(f.started) + " and is due " +
          FormatTimestamp(f.clock_due) + ".\n\n";
  text += "Owner: " + f.owner.name + " <" + f.owner.email + ">\n";
  text += "Lead type: " + f.lead_type + "; attempts " + std::to_string(f.lead.attempts) +
          " of " + std::to_string(f.lead.attempts_required) + "\n";
  text += "Step: " + StepName(f.at) + " (" + std::string(EscalationActionName(action)) +
          "), SLA version " + std::to_string(f.sla_version) + "\n\n";
  text += "Lead: /api/v1/people/" + std::to_string(person.value()) + "\n";
  return text;
}

json WebhookBody(const StepFacts& f, SlaClock clock, PersonId person, const char* kind,
                 EscalationAction action) {
  return {{"event", kind},
          {"person", person.value()},
          {"clock", SlaClockName(clock)},
          {"step", f.step},
          {"at", f.at},
          {"action", EscalationActionName(action)},
          {"started", FormatTimestamp(f.started)},
          {"due", FormatTimestamp(f.clock_due)},
          {"owner", {{"id", f.owner.id.value()}, {"email", f.owner.email}}},
          {"lead_type", f.lead_type},
          {"attempts", f.lead.attempts},
          {"sla_version", f.sla_version}};
}

// The member who owns person's open lead now; empty if nobody does. Takes impl.mu.
sla::Member OwnerOf(SlaModel::Impl& impl, PersonId person) {
  std::lock_guard lock(impl.mu);
  auto it = impl.leads.find(person.value());
  if (it == impl.leads.end()) return {};
  auto m = impl.members.find(it->second.owner.value());
  return m != impl.members.end() ? m->second : sla::Member{};
}

}  // namespace

Status SlaModel::FireStep(store::WriteTxn& txn, PersonId person, int clock) {
  StepFacts f;
  {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->leads.find(person.value());
    if (it == impl_->leads.end()) return Status::Ok();
    f.lead = it->second;
    const sla::Clock& c = f.lead.clocks[clock];
    f.step = c.next_step;
    if (c.met || f.step >= static_cast<int>(impl_->steps.at.size())) return Status::Ok();
    f.at = impl_->steps.at[f.step];
    for (const EscalationStep* e : impl_->steps.escalations[f.step]) f.escalations.push_back(*e);
    f.due = impl_->StepTime(f.lead, clock, f.at);
    f.clock_due = impl_->DueOf(f.lead, clock);
    f.started = FromMicros(f.lead.start_us);
    f.lead_type = impl_->LeadTypeId(f.lead);
    if (auto m = impl_->members.find(f.lead.owner.value()); m != impl_->members.end()) {
      f.owner = m->second;
    }
    if (auto t = impl_->managers.find(f.lead.team.value()); t != impl_->managers.end()) {
      if (auto m = impl_->members.find(t->second.value()); m != impl_->members.end()) {
        f.manager = m->second;
      }
    }
    f.sla_version = impl_->active_version;
  }
  const auto which = static_cast<SlaClock>(clock);
  const char* kind = f.at == 1.0 ? "sla_breached" : "escalated";
  json steps = json::array();
  for (const auto& e : f.escalations) {
    json channels = json::array();
    for (NotifyChannel ch : e.channels) channels.push_back(NotifyChannelName(ch));
    steps.push_back({{"action", EscalationActionName(e.action)}, {"channels", channels}});
  }
  json reason{{"sla", f.sla_version}, {"clock", SlaClockName(which)}, {"step", f.step},
              {"at", f.at},          {"due", FormatTimestamp(f.due)},  {"owner", f.lead.owner.value()},
              {"lead_type", f.lead_type}, {"escalations", steps}};
  std::string actor = "sla@v" + std::to_string(f.sla_version);
  auto seq = store::AppendJournal(txn, {.recorded_at = txn.now(),
                                        .occurred_at = f.due,
                                        .kind = kind,
                                        .subject = person.value(),
                                        .actor = actor,
                                        .cause = f.lead.started_seq,
                                        .reason = reason.dump()});
  if (!seq.ok()) return seq.status();
  PersonLabel label = LoadLabel(txn.db(), person);
  for (const auto& e : f.escalations) {
    // Who hears of the step: the owner for a reminder, the manager for an alert, and for a
    // reassignment the earlier owner, the new one and the manager.
    std::vector<sla::Member> to;
    sla::Member new_owner;
    if (e.action == EscalationAction::kReassign) {
      TANDEM_RETURN_IF_ERROR(Reroute(txn, person, "escalation@sla" + std::to_string(f.sla_version),
                                     *seq, "the " + std::string(SlaClockName(which)) +
                                               " clock reached " + StepName(f.at)));
      new_owner = OwnerOf(*impl_, person);
      to = {f.owner, new_owner, f.manager};
    } else {
      to = {e.action == EscalationAction::kRemindOwner ? f.owner : f.manager};
    }
    for (NotifyChannel ch : e.channels) {
      if (ch == NotifyChannel::kWebhook) {
        json body = WebhookBody(f, which, person, kind, e.action);
        if (e.action == EscalationAction::kReassign) {
          body["new_owner"] = new_owner.id.valid()
                                  ? json{{"id", new_owner.id.value()}, {"email", new_owner.email}}
                                  : json(nullptr);
        }
        store::OutboxRecord m{.seq = *seq, .channel = "webhook", .target = e.webhook,
                              .event = kind, .body = body.dump()};
        TANDEM_RETURN_IF_ERROR(store::EnqueueOutbox(txn, m).status());
        continue;
      }
      std::vector<std::string> sent;
      for (const sla::Member& member : to) {
        if (member.email.empty() ||
            std::find(sent.begin(), sent.end(), member.email) != sent.end()) {
          continue;
        }
        sent.push_back(member.email);
        std::string body = Body(f, which, person, label, member, e.action);
        if (e.action == EscalationAction::kReassign) {
          body += "Reassigned to: " +
                  (new_owner.id.valid() ? new_owner.name + " <" + new_owner.email + ">"
                                        : std::string("nobody (no eligible rep)")) +
                  "\n";
        }
        store::OutboxRecord m{.seq = *seq, .channel = "email", .target = member.email,
                              .event = kind, .subject = Subject(f, which, person, label),
                              .body = std::move(body)};
        TANDEM_RETURN_IF_ERROR(store::EnqueueOutbox(txn, m).status());
      }
    }
  }
  return Status::Ok();
}

}  // namespace tandem::ingest
