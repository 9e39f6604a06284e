// The demo's sales desk: each lead the SLA model routes is worked by its owner in a few steps
// at simulated times: open it (accept, or reject, or disqualify a duplicate at once), contact
// attempts until someone answers or the minimum is spent, then qualify or hand back with a
// reason. Managers reassign some leads their reps leave waiting.
#include "app/demo_desk.h"

#include <nlohmann/json.hpp>

namespace tandem::app::demo {
namespace {

constexpr uint64_t kLeadStream = 21;

Duration Hours(double h) { return Duration(static_cast<int64_t>(h * 3'600'000'000.0)); }
double HoursOf(BusinessDuration d) { return static_cast<double>(d.count()) / 60.0; }

// How an attempt nobody answered went; after a conversation, a follow-up.
std::string_view Unanswered(Rng& rng, ContactChannel channel, bool talked) {
  static constexpr std::string_view kMissed[] = {"no_answer", "voicemail"};
  if (talked) return "follow_up";
  if (channel == ContactChannel::kCall) return rng.Pick(std::span<const std::string_view>(kMissed));
  return channel == ContactChannel::kMeeting ? "no_show" : "no_reply";
}

}  // namespace

struct Desk::Seat {
  User user;
  std::optional<engine::BusinessCalendar> calendar;
  RepStyle style;
  UserId manager;  // of the seat's team
};

struct Desk::Work {
  PersonId person;
  size_t index = 0;  // into the population
  uint32_t generation = 0, assignments = 0;
  const Seat* seat = nullptr;
  const LeadType* type = nullptr;
  Rng rng{0};
  int touches = 0;     // contact attempts by this owner
  int give_up = 0;     // attempts before recycling someone who never answers
  int early_at = -1;   // after this many attempts, a premature hand-back (-1: none)
  int forget_at = -1;  // after this many attempts unanswered, forgotten (-1: never)
  bool connected = false;
  Verdict verdict;  // what the conversation decided, once connected
};

Desk::Desk(Setup setup) : setup_(std::move(setup)) {}
Desk::~Desk() = default;

Result<std::unique_ptr<Desk::Seat>> Desk::SeatFor(const User& user, const RepStyle& style) const {
  auto seat = std::make_unique<Seat>(Seat{.user = user, .style = style});
  for (const Team& t : setup_.teams) {
    if (t.id != user.team) continue;
    auto cal = engine::BusinessCalendar::Parse(t.time_zone, t.business_hours, t.holidays);
    if (!cal.ok()) return cal.status();
    seat->calendar = std::move(*cal);
    seat->manager = t.manager;
  }
  return seat;
}

Result<std::unique_ptr<Desk>> Desk::Open(Setup setup) {
  std::unique_ptr<Desk> d(new Desk(std::move(setup)));
  d->doc_ = d->setup_.sla->ActiveDocument();
  if (!d->doc_) return FailedPrecondition("the store has no active SLA for the demo's sales");
  const Population& pop = *d->setup_.pop;
  for (size_t i = 0; i < pop.people.size(); ++i) d->index_of_[pop.people[i].id.value()] = i;
  std::vector<const User*> staff;
  std::vector<Role> roles;
  for (const User& u : d->setup_.users) {
    if ((u.role == Role::kSalesRep || u.role == Role::kSalesManager) && u.team.valid()) {
      staff.push_back(&u);
      roles.push_back(u.role);
    }
  }
  std::vector<RepStyle> styles = DrawStyles(d->setup_.seed, roles);
  for (size_t k = 0; k < staff.size(); ++k) {
    auto seat = d->SeatFor(*staff[k], styles[k]);
    if (!seat.ok()) return seat.status();
    if (!(*seat)->calendar) continue;  // not in a team the store knows
    d->staff_.push_back(staff[k]->id.value());
    d->seats_[staff[k]->id.value()] = std::move(*seat);
  }
  return d;
}

void Desk::OnAssigned(PersonId person, UserId owner) {
  auto idx = index_of_.find(person.value());
  if (idx == index_of_.end()) return;
  std::unique_ptr<Work>& slot = work_[person.value()];
  if (!slot) slot = std::make_unique<Work>();
  ++slot->generation;  // the previous owner's steps lapse
  auto seat = seats_.find(owner.value());
  auto view = setup_.sla->LeadOf(person);
  if (seat == seats_.end() || !view || view->owner != owner || !view->clocks_running) return;
  Work& w = *slot;
  w = Work{.person = person,
           .index = idx->second,
           .generation = w.generation,
           .assignments = w.assignments + 1,
           .seat = seat->second.get(),
           .type = &LeadTypeFor(*doc_, ""),
           .rng = Rng::For(setup_.seed, kLeadStream, idx->second * 64 + w.assignments % 64)};
  for (const LeadType& t : doc_->lead_types) {
    if (t.id == view->lead_type) w.type = &t;
  }
  PlanOpening(w, view->assigned_at);
}

// The first answer: most within the allowed time, early on; a late one now and then (a
// breach), rarely so late that the escalation reassigns the lead first. A manager looks at
// some of the late ones.
void Desk::PlanOpening(Work& w, Timestamp start) {
  double allowed = HoursOf(std::min(w.type->accept_within, w.type->first_touch_within));
  bool late = w.rng.Chance(w.seat->style.late);
  double u = w.rng.Unit();
  double share = !late                ? 0.05 + 0.7 * u * u
                 : w.rng.Chance(0.15) ? w.rng.Range(2.1, 3.0)
                                      : w.rng.Range(1.05, 1.85);
  Schedule(w, After(w, start, allowed * share), StepKind::kOpen);
  if (late && w.seat->user.role == Role::kSalesRep && w.rng.Chance(0.3)) {
    Schedule(w, After(w, start, allowed * w.rng.Range(1.1, 1.6)), StepKind::kReview);
  }
}

void Desk::OnPurchase(PersonId person) {
  auto idx = index_of_.find(person.value());
  if (idx != index_of_.end()) customers_.insert(setup_.pop->people[idx->second].company);
}

std::optional<Timestamp> Desk::NextStep() const {
  if (steps_.empty()) return std::nullopt;
  return steps_.top().at;
}

Status Desk::RunNext() {
  Step s = steps_.top();
  steps_.pop();
  auto it = work_.find(s.person);
  if (it == work_.end() || it->second->generation != s.generation || !Owns(*it->second)) {
    return Status::Ok();  // the lead was closed or moved on
  }
  Work& w = *it->second;
  switch (s.kind) {
    case StepKind::kOpen:
      return Open(w, s.at);
    case StepKind::kTouch:
      return Touch(w, s.at);
    case StepKind::kHandBack:
      return HandBack(w, s.at);
    case StepKind::kQualify:
      return Qualify(w, s.at);
    case StepKind::kReview:
      return Review(w, s.at);
  }
  return Status::Ok();
}

// Accepts the lead, unless it is one to disqualify at once or to reject.
Status Desk::Open(Work& w, Timestamp now) {
  const PersonPlan& p = setup_.pop->people[w.index];
  const User& owner = w.seat->user;
  if (auto reason = Screen(w.rng, p, customers_.contains(p.company), *doc_)) {
    SalesAction a{.kind = SalesActionKind::kDisqualify, .reason = std::string(*reason)};
    return Act(w, std::move(a), owner, now).status();
  }
  if (owner.role == Role::kSalesRep && w.rng.Chance(0.015)) {
    SalesAction a{.kind = SalesActionKind::kReject,
                  .reason = "outside my territory: the buyer sits with another office"};
    return Act(w, std::move(a), owner, now).status();
  }
  auto accepted = Act(w, {.kind = SalesActionKind::kAccept}, owner, now);
  if (!accepted.ok()) return accepted.status();
  int minimum = w.type->attempts.attempts;
  w.give_up = minimum + (w.seat->style.pace <= 1.0 ? static_cast<int>(w.rng.Int(0, 2)) : 0);
  if (w.rng.Chance(w.seat->style.premature)) {
    w.early_at = static_cast<int>(w.rng.Int(1, std::max(1, minimum - 2)));
  }
  w.forget_at = w.rng.Chance(w.seat->style.neglect) ? static_cast<int>(w.rng.Int(1, 2)) : -1;
  Schedule(w, After(w, now, w.rng.Range(0.03, 0.2)), StepKind::kTouch);
  return Status::Ok();
}

// One contact attempt; what comes next depends on whether the person answered.
Status Desk::Touch(Work& w, Timestamp now) {
  const PersonPlan& p = setup_.pop->people[w.index];
  ContactChannel channel = ChannelOf(w.rng, w.seat->style, w.touches);
  bool reached = !w.connected && Reaches(w.rng, p, channel, !w.type->is_default);
  TANDEM_RETURN_IF_ERROR(Log(w, channel, reached, now));
  ++w.touches;
  if (reached) {
    w.connected = true;
    w.verdict = Judge(w.rng, p, setup_.pop->companies[p.company], *doc_);
    if (w.verdict.kind == SalesActionKind::kQualify) {
      Schedule(w, After(w, now, w.rng.Range(0.1, 4)), StepKind::kQualify);
      return Status::Ok();
    }
  }
  if (w.touches == w.early_at) {
    Schedule(w, After(w, now, w.rng.Range(0.2, 3)), StepKind::kHandBack);
    return Status::Ok();
  }
  auto view = setup_.sla->LeadOf(w.person);
  bool minimum = view && view->attempts >= view->attempts_required &&
                 view->channels >= view->channels_required;
  if (minimum && (w.connected || w.touches >= w.give_up)) {
    Schedule(w, After(w, now, w.rng.Range(1, 8) * w.seat->style.pace), StepKind::kHandBack);
    return Status::Ok();
  }
  // Forgotten, or given up on without a word: it stays open, and its clocks run late.
  if (w.touches == w.forget_at || w.touches >= 3 * w.give_up) return Status::Ok();
  NextTouch(w, now);
  return Status::Ok();
}

// Attempts spread over the SLA's attempt window; follow-ups after a talk come quicker.
void Desk::NextTouch(Work& w, Timestamp now) {
  double window =
      HoursOf(kNominalBusinessDay) * static_cast<double>(w.type->attempts.within.count());
  double gap = w.connected ? w.rng.Range(4, 12)
                           : w.rng.Range(0.5, 0.8) * window / std::max(1, w.give_up - 1);
  Schedule(w, After(w, now, gap * w.seat->style.pace), StepKind::kTouch);
}

// Recycles or disqualifies; a refused hand-back (too few attempts) means more attempts.
Status Desk::HandBack(Work& w, Timestamp now) {
  Verdict v = w.connected ? w.verdict : GiveUp(*doc_);
  auto done = Act(w, {.kind = v.kind, .reason = std::string(v.reason)}, w.seat->user, now);
  if (!done.ok()) return done.status();
  if (!*done) {
    w.early_at = -1;
    NextTouch(w, now);
  }
  return Status::Ok();
}

// What a rep records when qualifying (the default SLA's qualify_fields).
static std::map<std::string, std::string> QualifyFacts(Rng& rng) {
  static constexpr std::string_view kNeeds[] = {
      "Marketing and sales work from two lists", "Leads go cold before sales calls",
      "No one can say which campaigns bring revenue", "Duplicate people across CRM and MAP"};
  static constexpr std::string_view kBudgets[] = {"approved", "expected", "none"};
  static constexpr std::string_view kTimelines[] = {"this_quarter", "next_quarter", "later"};
  using Texts = std::span<const std::string_view>;
  return {{"need", std::string(rng.Pick(Texts(kNeeds)))},
          {"budget", std::string(rng.Pick(Texts(kBudgets)))},
          {"timeline", std::string(rng.Pick(Texts(kTimelines)))}};
}

// Qualifies the lead; meetings and a deal follow as the person's truth decides.
Status Desk::Qualify(Work& w, Timestamp now) {
  auto done = Act(w, {.kind = SalesActionKind::kQualify, .fields = QualifyFacts(w.rng)},
                  w.seat->user, now);
  if (!done.ok()) return done.status();
  std::vector<Draft> deal;
  SimulateDeal(w.rng, *setup_.pop, w.index, w.seat->user.id, now, deal);
  for (size_t i = 0, n = deal.size(); i < n; ++i) {
    if (deal[i].type != "purchase") continue;
    auto visits = SimulateCustomer(setup_.seed, *setup_.schedule, *setup_.pop, w.index, deal[i].at);
    deal.insert(deal.end(), std::make_move_iterator(visits.begin()),
                std::make_move_iterator(visits.end()));
  }
  for (Draft& d : deal) {
    later_.push_back(
        {std::move(d), static_cast<uint32_t>(w.index), static_cast<uint32_t>(placed_++)});
  }
  return Status::Ok();
}

// The manager, alerted to a lead still waiting, gives it to the team's least busy rep.
Status Desk::Review(Work& w, Timestamp now) {
  auto view = setup_.sla->LeadOf(w.person);
  auto manager = seats_.find(w.seat->manager.value());
  if (!view || view->accepted || manager == seats_.end()) return Status::Ok();
  UserId to;
  size_t fewest = SIZE_MAX;
  for (int64_t id : staff_) {
    const User& u = seats_.at(id)->user;
    if (u.role != Role::kSalesRep || u.team != w.seat->user.team || u.id == view->owner) continue;
    size_t open = setup_.sla->Queue(u.id).size();
    if (open < fewest) {
      fewest = open;
      to = u.id;
    }
  }
  if (!to.valid()) return Status::Ok();
  SalesAction a{.kind = SalesActionKind::kReassign,
                .to = to,
                .note = "waiting past its deadline; moved to a rep with room"};
  return Act(w, std::move(a), manager->second->user, now).status();
}

Result<bool> Desk::Act(Work& w, SalesAction a, const User& actor, Timestamp now) {
  a.at = now;
  auto done = setup_.sla->Act(w.person, a, actor);
  std::string kind(SalesActionName(a.kind));
  if (done.ok()) {
    ++actions_[kind];
    if (!a.reason.empty() && a.kind != SalesActionKind::kReject) ++reasons_[a.reason];
    return true;
  }
  bool hand_back = a.kind == SalesActionKind::kRecycle || a.kind == SalesActionKind::kDisqualify;
  if (hand_back && done.status().code() == Code::kInvalidArgument) {
    ++refused_;
    return false;
  }
  return Internal("the SLA model refused the demo's " + kind + " of person " +
                  std::to_string(w.person.value()) + ": " + done.status().message());
}

// A contact attempt as the owner records it: calls and unanswered e-mails often logged in the
// CRM (activities the SLA counts), everything else as a sales action.
Status Desk::Log(Work& w, ContactChannel channel, bool reached, Timestamp now) {
  bool crm = channel == ContactChannel::kCall || (channel == ContactChannel::kEmail && !reached);
  if (!crm || !w.rng.Chance(w.seat->style.crm)) {
    SalesAction a{.kind = reached ? SalesActionKind::kConnect : SalesActionKind::kAttempt,
                  .channel = channel};
    if (!reached) a.outcome = Unanswered(w.rng, channel, w.connected);
    return Act(w, std::move(a), w.seat->user, now).status();
  }
  nlohmann::json props = {{"rep", w.seat->user.id.value()}};
  Draft d{.at = now, .source = "crm"};
  if (channel == ContactChannel::kCall) {
    d.type = "call_logged";
    props["outcome"] = reached ? "connected" : Unanswered(w.rng, channel, false);
    props["duration_s"] = reached ? w.rng.Int(180, 1500) : w.rng.Int(10, 60);
  } else {
    d.type = "sales_email_sent";
    props["template"] = "follow-up-" + std::to_string(w.touches + 1);
  }
  d.properties = props.dump();
  ++touches_;
  std::vector<Placed> one;
  one.push_back({std::move(d), static_cast<uint32_t>(w.index), 0});
  return setup_.writer->Write(std::move(one));
}

bool Desk::Owns(const Work& w) const {
  if (!w.seat) return false;
  auto view = setup_.sla->LeadOf(w.person);
  return view && view->owner == w.seat->user.id;
}

void Desk::Schedule(const Work& w, Timestamp at, StepKind kind) {
  at = std::chrono::ceil<std::chrono::seconds>(at);  // people note the time to the second
  steps_.push({at, scheduled_++, w.person.value(), w.generation, kind});
}

Timestamp Desk::After(const Work& w, Timestamp from, double business_hours) const {
  return w.seat->calendar->AddBusinessTime(from, Hours(business_hours));
}

void Desk::Tally(Timestamp now, DemoSales& out) const {
  out.actions = actions_;
  out.reasons = reasons_;
  out.refused = refused_;
  out.touches = touches_;
  for (int64_t id : staff_) {
    const Seat& seat = *seats_.at(id);
    DemoQueue q{.name = seat.user.name};
    for (const auto& lead : setup_.sla->Queue(seat.user.id)) {
      ++q.open;
      if (lead.next_due && *lead.next_due < now) ++q.overdue;
    }
    out.open_leads += q.open;
    out.queues.push_back(std::move(q));
  }
}

}  // namespace tandem::app::demo
