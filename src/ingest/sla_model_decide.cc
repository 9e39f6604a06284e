// SlaModel's decisions: routing a new MQL and starting its clocks, escalation steps when
// clocks fall due, and the live path that folds each journal entry and reacts to it.
#include <nlohmann/json.hpp>

#include <utility>

#include "ingest/sla_model_impl.h"
#include "store/journal.h"
#include "store/outbox.h"

namespace tandem::ingest {
namespace {

using nlohmann::json;

bool Relevant(const store::JournalEntry& e) {
  if (e.kind == "activity") {
    return e.type == "call_logged" || e.type == "sales_email_sent" || e.type == "meeting_held";
  }
  return e.kind == "assigned" || e.kind == "sla_started" || e.kind == "action" ||
         e.kind == "sla_breached" || e.kind == "escalated" || e.kind == "stage_changed" ||
         e.kind == "erased" || e.kind == "sla_activated";
}

// The stage rule that handed a person to sales, from a stage_changed entry by a rule
// ("rule:<id>@v<n>" moving to mql or sql); empty otherwise.
std::string HandOverRule(const store::JournalEntry& e) {
  if (e.actor.rfind("rule:", 0) != 0) return {};
  json r = json::parse(e.reason, nullptr, false);
  if (!r.is_object()) return {};
  std::string to = r.value("to", std::string());
  if (to != "mql" && to != "sql") return {};
  std::string rule = e.actor.substr(5);
  return rule.substr(0, rule.rfind('@'));
}

struct LeadFactsRow {
  std::string country, company_country, industry, size_band;
  UserId company_owner;
};

Result<LeadFactsRow> LoadFacts(sql::Db& db, PersonId person) {
  auto& s = db.Cached(
      "SELECT COALESCE(p.country, ''), COALESCE(c.country, ''), COALESCE(c.industry, ''), "
      "COALESCE(c.size_band, ''), COALESCE(c.owner_id, 0) FROM people p LEFT JOIN companies c "
      "ON c.id = p.company_id WHERE p.id = ?");
  s.Bind(1, person.value());
  LeadFactsRow row;
  if (s.Step()) {
    row = {s.Text(0), s.Text(1), s.Text(2), s.Text(3), UserId(s.Int(4))};
  }
  TANDEM_RETURN_IF_ERROR(s.status());
  s.Reset();
  return row;
}

json DecisionJson(const engine::RoutingDecision& d) {
  json candidates = json::array();
  for (const auto& c : d.candidates) {
    candidates.push_back({{"user", c.user.value()},
                          {"weight", c.weight},
                          {"open", c.open_leads},
                          {"capacity", c.capacity},
                          {"skip", engine::RepSkipName(c.skip)}});
  }
  json j{{"step", engine::RoutingStepName(d.step)},
         {"team", d.team.value()},
         {"candidates", std::move(candidates)},
         {"why", d.Describe()}};
  if (!d.rule_id.empty()) j["rule"] = d.rule_id;
  if (d.fallback_team) j["fallback_team"] = true;
  return j;
}

// Routes lead and explains the decision ("owner" set when someone has it), or explains why
// nobody could be chosen when the routing section cannot be built. REQUIRES: impl.mu held.
json RouteOrExplain(SlaModel::Impl& impl, const engine::LeadFacts& lead) {
  if (!impl.router) {
    json problems = json::array();
    for (const FieldError& e : impl.router_status.errors()) {
      problems.push_back({{"field", e.field}, {"reason", e.reason}});
    }
    return json{{"step", engine::RoutingStepName(engine::RoutingStep::kUnassigned)},
                {"team", 0},
                {"candidates", json::array()},
                {"why", impl.router_status.message()},
                {"routing_problems", std::move(problems)}};
  }
  engine::RoutingDecision decision = impl.router->Route(lead);
  impl.router->OnReleased(decision.owner);  // the fold of `assigned` counts it
  json j = DecisionJson(decision);
  if (decision.owner.valid()) j["owner"] = decision.owner.value();
  return j;
}

std::string ClockJson(SlaClock c, Timestamp start, Timestamp due, Duration allowed) {
  return json{{"clock", SlaClockName(c)},
              {"start", FormatTimestamp(start)},
              {"due", FormatTimestamp(due)},
              {"allowed_us", allowed.count()}}
      .dump();
}

}  // namespace

void SlaModel::SaveForUndo(store::WriteTxn& txn, PersonId person) {
  // REQUIRES: impl_->mu held.
  if (impl_->undo_serial != txn.serial() || txn.serial() == 0) {
    impl_->undo_serial = txn.serial();
    impl_->undo_saved.clear();
  }
  if (!impl_->undo_saved.insert(person.value()).second) return;
  std::optional<sla::OpenLead> saved;
  if (auto it = impl_->leads.find(person.value()); it != impl_->leads.end()) saved = it->second;
  txn.OnRollback([impl = impl_.get(), person, saved] {
    std::lock_guard lock(impl->mu);
    impl->Disarm(person);
    if (saved) {
      impl->leads[person.value()] = *saved;
      impl->Arm(person, *saved);
    } else {
      impl->leads.erase(person.value());
    }
    impl->BuildRouter();  // open counts follow the restored leads
  });
}

Status SlaModel::OnAppended(store::WriteTxn& txn, const store::JournalEntry& e, Seq seq) {
  if (!Relevant(e)) return Status::Ok();
  bool open = false;
  {
    std::lock_guard lock(impl_->mu);
    // Only entries about an open lead, or that open one, change a person's state.
    if (e.subject != 0 && (e.kind == "assigned" || impl_->leads.contains(e.subject))) {
      SaveForUndo(txn, PersonId(e.subject));
    }
    FoldEntry(*impl_, e, seq);
    open = impl_->leads.contains(e.subject);
  }
  if (e.kind != "stage_changed" || open) return Status::Ok();
  std::string rule = HandOverRule(e);
  if (rule.empty()) return Status::Ok();
  return RouteAndStart(txn, PersonId(e.subject), rule, e.occurred_at, seq);
}

Status SlaModel::RouteAndStart(store::WriteTxn& txn, PersonId person, std::string_view rule,
                               Timestamp occurred_at, Seq cause) {
  auto facts = LoadFacts(txn.db(), person);
  if (!facts.ok()) return facts.status();
  json why;
  std::string lead_type;
  {
    std::lock_guard lock(impl_->mu);
    if (!impl_->active) return Status::Ok();
    // Historical entries (older than the SLA's longest clock) start nothing.
    if (occurred_at < txn.now() - impl_->active->horizon) return Status::Ok();
    lead_type = LeadTypeFor(*impl_->active, rule).id;
    engine::LeadFacts lead{.country = facts->country.empty() ? facts->company_country
                                                             : facts->country,
                           .industry = facts->industry,
                           .size_band = facts->size_band,
                           .company_owner = facts->company_owner};
    why = RouteOrExplain(*impl_, lead);
  }
  why["stage_rule"] = std::string(rule);
  std::string actor = "routing@sla" + std::to_string(impl_->active_version);
  const UserId owner(why.value("owner", int64_t{0}));
  return Assign(txn, person, actor, cause, lead_type, why.dump(), owner);
}

Status SlaModel::Assign(store::WriteTxn& txn, PersonId person, const std::string& actor,
                        Seq cause, const std::string& lead_type, const std::string& decision_json,
                        UserId owner) {
  json reason = json::parse(decision_json, nullptr, false);
  TeamId team;
  std::string start_reason;
  {
    std::lock_guard lock(impl_->mu);
    const SlaDocument& doc = *impl_->active;
    const LeadType* type = &LeadTypeFor(doc, "");
    for (const auto& t : doc.lead_types) {
      if (t.id == lead_type) type = &t;
    }
    if (auto m = impl_->members.find(owner.value()); m != impl_->members.end()) {
      team = m->second.team;
    }
    reason["sla"] = impl_->active_version;
    reason["owner"] = owner.value();
    reason["team"] = team.value();
    reason["lead_type"] = type->id;
    reason["attempts_required"] = type->attempts.attempts;
    reason["channels_required"] = type->attempts.channels;
    const engine::BusinessCalendar& cal = impl_->CalendarOf(team);
    Timestamp start = txn.now();
    auto hours = [&](SlaClock c, BusinessDuration d) {
      Timestamp due = cal.AddBusinessTime(start, d);
      return ClockJson(c, start, due, d);
    };
    auto days = [&](SlaClock c, BusinessDays d) {
      Timestamp due = cal.AddBusinessDays(start, static_cast<int>(d.count()));
      return ClockJson(c, start, due, cal.BusinessTimeBetween(start, due));
    };
    start_reason = "{\"sla\":" + std::to_string(impl_->active_version) + ",\"clocks\":[" +
                   hours(SlaClock::kAccept, type->accept_within) + "," +
                   hours(SlaClock::kFirstTouch, type->first_touch_within) + "," +
                   days(SlaClock::kAttempts, type->attempts.within) + "," +
                   days(SlaClock::kDisposition, type->disposition_within) + "]}";
  }
  store::JournalEntry a{.recorded_at = txn.now(),
                        .occurred_at = txn.now(),
                        .kind = "assigned",
                        .subject = person.value(),
                        .actor = actor,
                        .cause = cause,
                        .reason = reason.dump()};
  auto assigned = store::AppendJournal(txn, a);
  if (!assigned.ok()) return assigned.status();
  auto& s = txn.db().Cached("UPDATE people SET owner_id = ? WHERE id = ?");
  s.BindOptional(1, owner.value()).Bind(2, person.value());
  TANDEM_RETURN_IF_ERROR(s.Run());
  txn.NoteRecordChanged(person.value());
  if (!owner.valid()) return Status::Ok();  // nobody to hold to a clock
  store::JournalEntry started{.recorded_at = txn.now(),
                              .occurred_at = txn.now(),
                              .kind = "sla_started",
                              .subject = person.value(),
                              .actor = actor,
                              .cause = *assigned,
                              .reason = std::move(start_reason)};
  return store::AppendJournal(txn, started).status();
}

Status SlaModel::Reroute(store::WriteTxn& txn, PersonId person, const std::string& actor,
                         Seq cause, std::string_view why) {
  auto facts = LoadFacts(txn.db(), person);
  if (!facts.ok()) return facts.status();
  json reason;
  std::string lead_type;
  {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->leads.find(person.value());
    if (it == impl_->leads.end() || !impl_->active) return Status::Ok();
    UserId current = it->second.owner;
    lead_type = impl_->LeadTypeId(it->second);
    bool away = false;
    if (auto m = impl_->members.find(current.value()); m != impl_->members.end()) {
      away = m->second.out_of_office;
    }
    // Away for this decision only, so that the lead goes to someone else.
    if (impl_->router) impl_->router->SetOutOfOffice(current, true);
    reason = RouteOrExplain(*impl_, {.country = facts->country.empty() ? facts->company_country
                                                                       : facts->country,
                                     .industry = facts->industry,
                                     .size_band = facts->size_band});
    if (impl_->router) impl_->router->SetOutOfOffice(current, away);
  }
  reason["why_rerouted"] = std::string(why);
  const UserId owner(reason.value("owner", int64_t{0}));
  return Assign(txn, person, actor, cause, lead_type, reason.dump(), owner);
}

void SlaModel::Impl::BuildRouter() {
  router.reset();
  Status before = std::exchange(router_status, Status::Ok());
  auto report = [&] {
    if (on_routing_changed && router_status.ToString() != before.ToString()) {
      on_routing_changed(router_status);
    }
  };
  if (!active) return;
  std::unordered_map<std::string, TeamId> team_ids;
  for (const Team& t : teams) team_ids[t.name] = t.id;
  std::unordered_map<std::string, const RepSettings*> settings;
  for (const auto& r : active->routing.reps) settings[r.email] = &r;
  // Names the organisation no longer has (renamed or removed since the SLA was approved).
  std::vector<FieldError> missing;
  auto team_named = [&](const std::string& name, std::string field) {
    auto t = team_ids.find(name);
    if (t != team_ids.end()) return t->second;
    missing.push_back({std::move(field), "no team named '" + name + "'"});
    return TeamId();
  };
  engine::RoutingConfig config;
  for (const Team& t : teams) config.teams.push_back({.id = t.id, .manager = t.manager});
  std::unordered_map<std::string, UserId> by_email;
  for (const auto& [id, m] : members) {
    by_email[m.email] = m.id;
    if (m.role != Role::kSalesRep && m.role != Role::kSalesManager) continue;
    if (!m.team.valid()) continue;
    engine::Rep rep{.id = m.id, .team = m.team, .role = m.role, .capacity = 1'000'000,
                    .out_of_office = m.out_of_office};
    if (auto s = settings.find(m.email); s != settings.end()) {
      rep.weight = s->second->weight;
      if (s->second->capacity) rep.capacity = *s->second->capacity;
      const auto& names = s->second->teams;
      for (size_t i = 0; i < names.size(); ++i) {
        rep.lead_teams.push_back(team_named(
            names[i], "routing.reps[" + m.email + "].teams[" + std::to_string(i) + "]"));
      }
    }
    config.reps.push_back(rep);
  }
  const auto& rules = active->routing.rules;
  for (size_t i = 0; i < rules.size(); ++i) {
    const auto& r = rules[i];
    const std::string at = "routing.rules[" + std::to_string(i) + "]";
    engine::RoutingRule rule{.id = r.id, .countries = r.countries, .regions = r.regions,
                             .industries = r.industries, .size_bands = r.size_bands,
                             .team = team_named(r.team, at + ".team")};
    for (size_t j = 0; j < r.reps.size(); ++j) {
      if (auto u = by_email.find(r.reps[j]); u != by_email.end()) {
        rule.reps.push_back(u->second);
      } else {
        missing.push_back({at + ".reps[" + std::to_string(j) + "]", "no user " + r.reps[j]});
      }
    }
    config.rules.push_back(std::move(rule));
  }
  config.fallback_team = team_named(active->routing.fallback_team, "routing.fallback_team");
  auto fail = [&](std::string why, std::vector<FieldError> errors) {
    router_status = Status(Code::kFailedPrecondition,
                           "the SLA's routing cannot be used: " + why + "; new MQLs wait unassigned",
                           std::move(errors));
    report();
  };
  if (!missing.empty()) return fail("it names teams or users that no longer exist", missing);
  auto built = engine::Router::Build(std::move(config));
  if (!built.ok()) {
    std::vector<FieldError> errors = built.status().errors();
    for (FieldError& e : errors) e.field = "routing." + e.field;
    return fail(built.status().message(), std::move(errors));
  }
  router = std::move(*built);
  for (const auto& [id, lead] : leads) router->OnAssigned(lead.owner);
  report();
}

// --- Timers ---

Result<size_t> SlaModel::FireDue(Timestamp now) {
  // Steps fire in due order: each round takes the clocks due at the earliest time, and a
  // step may arm the clock's next step (due by now too when the server was down).
  constexpr size_t kMaxStepsPerWrite = 10'000;
  size_t fired = 0;
  Status st = store_.Write([&](store::WriteTxn& txn) {
    fired = 0;
    while (fired < kMaxStepsPerWrite) {
      std::vector<std::pair<PersonId, int>> due;  // person, the clock whose step is due
      {
        std::lock_guard lock(impl_->mu);
        std::optional<Timestamp> next = impl_->timers.NextDue();
        if (!next || *next > now) break;
        impl_->timers.PopDue(*next, [&](engine::ClockKey key, Timestamp) {
          PersonId person = sla::PersonOf(key);
          auto it = impl_->leads.find(person.value());
          if (it == impl_->leads.end()) return;
          if (auto step = impl_->NextStep(it->second)) due.emplace_back(person, step->second);
        });
        for (const auto& [person, clock] : due) SaveForUndo(txn, person);
      }
      for (const auto& [person, clock] : due) {
        TANDEM_RETURN_IF_ERROR(FireStep(txn, person, clock));
      }
      fired += std::max<size_t>(due.size(), 1);  // a round always makes progress
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return fired;
}

}  // namespace tandem::ingest
