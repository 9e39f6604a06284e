// Properties of the SLA over random sales sessions (a few MQLs; accepts, rejects, attempts,
// qualifies, recycles and disqualifies by owners, other reps and the manager; time passing and
// escalations firing; restarts), checked against the journal rather than the model's state:
// no lead leaves the funnel without a journaled, listed reason and (unless the reason is
// exempt) the agreed contact attempts; a refused action journals nothing; and an SLA model
// rebuilt from the journal shows the same leads as the live one.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <unistd.h>

#include <bit>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ingest/activities.h"
#include "ingest/default_policy.h"
#include "ingest/default_sla.h"
#include "ingest/lead_model.h"
#include "ingest/records.h"
#include "ingest/sla_model.h"
#include "store/journal.h"
#include "store/users.h"

namespace tandem::ingest {
namespace {

using nlohmann::json;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

const Timestamp kMonday9 = *ParseTimestamp("2026-03-02T08:00:00Z");  // 09:00 in Berlin

// How often the rules were exercised, over every case of a test (shown and checked, so that a
// generator that stops reaching them fails rather than passing vacuously).
struct Tally {
  int refused = 0, closed_after_attempts = 0, closed_exempt = 0, qualified = 0, reopened = 0;
};
Tally tally;

// A store with the demo's two sales teams, the lead and SLA models over it, and a few people
// who asked for a demo. One per test case; the store's directory goes with it.
struct Session {
  Session() {
    static int serial = 0;
    dir = std::filesystem::temp_directory_path() /
          ("tandem-sla-prop-" + std::to_string(::getpid()) + "-" + std::to_string(++serial));
    std::filesystem::remove_all(dir);
  }
  ~Session() {
    sla.reset();
    leads.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  void Open() {
    auto s = store::Store::Open((dir / "t.db").string(), clock, {.synchronous_full = false});
    RC_ASSERT(s.ok());
    store = std::move(*s);
    Team emea{.name = "Sales EMEA", .time_zone = "Europe/Berlin"};
    Team americas{.name = "Sales Americas", .time_zone = "America/New_York"};
    Status st = store->Write([&](store::WriteTxn& t) {
      TANDEM_RETURN_IF_ERROR(store::InsertTeam(t, emea));
      return store::InsertTeam(t, americas);
    });
    RC_ASSERT(st.ok());
    manager = AddUser("katrin.vogel@tandem.demo", Role::kSalesManager, emea.id);
    st = store->Write(
        [&](store::WriteTxn& t) { return store::SetTeamManager(t, emea.id, manager); });
    RC_ASSERT(st.ok());
    reps = {AddUser("jonas.weber@tandem.demo", Role::kSalesRep, emea.id),
            AddUser("sophie.martin@tandem.demo", Role::kSalesRep, emea.id),
            AddUser("ana.souza@tandem.demo", Role::kSalesRep, americas.id)};
    auto l = LeadModel::Open(*store, EmbeddedDefaultPolicy());
    RC_ASSERT(l.ok());
    leads = std::move(*l);
    sla = OpenSla();
    doc = sla->ActiveDocument();
    RC_ASSERT(doc != nullptr);
  }
  std::unique_ptr<SlaModel> OpenSla() {
    auto s = SlaModel::Open(*store, EmbeddedDefaultSla(), {});
    RC_ASSERT(s.ok());
    return std::move(*s);
  }
  UserId AddUser(const std::string& email, Role role, TeamId team) {
    User u{.email = email, .name = email.substr(0, email.find('.')), .role = role, .team = team};
    Status st = store->Write([&](store::WriteTxn& t) { return store::InsertUser(t, u); });
    RC_ASSERT(st.ok());
    roles[u.id.value()] = role;
    return u.id;
  }
  void AddPerson(const std::string& country) {
    std::string email = "p" + std::to_string(people.size()) + "@acme.de";
    Status st = store->Write([&](store::WriteTxn& txn) {
      auto r = CreatePerson(txn, {.country = country, .emails = std::vector{email}}, {});
      if (r.ok()) people.push_back(r->person.id);
      return r.status();
    });
    RC_ASSERT(st.ok());
  }
  void Post(PersonId person, const std::string& type) {
    Activity a{.client_id = "a" + std::to_string(++activities),
               .type = type,
               .person = {.person_id = person},
               .occurred_at = clock.Now(),
               .properties = "{}"};
    auto r = StoreActivities(*store, {{.index = 0, .activity = a}}, {}, {});
    RC_ASSERT(r.ok());
    RC_ASSERT(r->accepted == 1);
  }
  std::vector<store::JournalEntry> JournalAfter(Seq after) {
    std::vector<store::JournalEntry> out;
    Status st = store->Read([&](sql::Db& db) {
      out = store::ReadJournal(db, after, 1'000'000);
      return Status::Ok();
    });
    RC_ASSERT(st.ok());
    return out;
  }
  Seq LastSeq() {
    Seq last;
    Status st = store->Read([&](sql::Db& db) {
      auto& q = db.Cached("SELECT COALESCE(MAX(seq), 0) FROM journal");
      if (q.Step()) last = Seq(q.Int(0));
      Status read = q.status();
      q.Reset();
      return read;
    });
    RC_ASSERT(st.ok());
    return last;
  }
  User Who(UserId id) const {
    auto it = roles.find(id.value());
    return User{.id = id, .role = it == roles.end() ? Role::kSalesRep : it->second};
  }

  FakeClock clock{kMonday9};
  std::filesystem::path dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<LeadModel> leads;
  std::unique_ptr<SlaModel> sla;
  std::shared_ptr<const SlaDocument> doc;
  UserId manager;
  std::vector<UserId> reps;
  std::map<int64_t, Role> roles;
  std::vector<PersonId> people;
  int activities = 0;
};

// The journal read back in seq order: who holds an open lead, since which assignment, and
// the contact attempts journaled for it since then. Every recycle and disqualify it meets is
// checked against the SLA as it is met.
class JournalWalk {
 public:
  explicit JournalWalk(const SlaDocument& doc) : doc_(doc) {}

  void CatchUp(Session& s) {
    for (const auto& e : s.JournalAfter(last_)) {
      last_ = e.seq;
      Apply(e);
    }
  }
  Seq last() const { return last_; }
  bool Open(PersonId p) const { return leads_.contains(p.value()) && leads_.at(p.value()).open; }
  UserId Owner(PersonId p) const { return leads_.at(p.value()).owner; }

 private:
  struct Lead {
    bool open = false, closed_before = false;
    UserId owner;
    std::string lead_type;
    int attempts = 0;
    unsigned channels = 0;  // bit per ContactChannel
  };

  void Attempt(Lead& lead, const std::string& channel) {
    ++lead.attempts;
    if (auto c = ParseContactChannel(channel)) lead.channels |= 1u << static_cast<int>(*c);
  }

  void Apply(const store::JournalEntry& e) {
    Lead& lead = leads_[e.subject];
    if (e.kind == "activity" && lead.open) {
      if (e.type == "call_logged") Attempt(lead, "call");
      if (e.type == "sales_email_sent") Attempt(lead, "email");
      if (e.type == "meeting_held") Attempt(lead, "meeting");
      return;
    }
    if (e.kind != "assigned" && e.kind != "action") return;
    json r = json::parse(e.reason, nullptr, false);
    if (!r.is_object()) RC_FAIL("unreadable " + e.kind + " entry: " + e.reason);
    if (e.kind == "assigned") {
      if (!lead.open) {
        if (lead.closed_before) ++tally.reopened;
        lead = Lead{.open = true, .closed_before = lead.closed_before};
      }
      lead.owner = UserId(r.value("owner", int64_t{0}));
      lead.lead_type = r.value("lead_type", std::string());
      return;
    }
    const std::string action = r.value("action", std::string());
    if (!lead.open) {
      RC_FAIL("action journaled for person " + std::to_string(e.subject) +
              " who holds no open lead: " + e.reason);
    }
    if (action == "attempt" || action == "connect") Attempt(lead, r.value("channel", ""));
    if (action == "recycle" || action == "disqualify") CheckLeaving(e, r, lead);
    if (action == "qualify") ++tally.qualified;
    if (action == "recycle" || action == "disqualify" || action == "qualify") {
      lead.open = false;
      lead.closed_before = true;
    }
  }

  // A lead handed back or ended: a listed reason and, unless it is exempt, the lead type's
  // minimum attempts on its minimum channels, journaled since the lead was assigned.
  void CheckLeaving(const store::JournalEntry& e, const json& r, const Lead& lead) {
    const std::string action = r.value("action", std::string());
    const std::string reason = r.value("reason", std::string());
    const std::string what = action + " of person " + std::to_string(e.subject) + " (seq " +
                             std::to_string(e.seq.value()) + ", " + e.reason + ")";
    const DisqualifyReason* dq = FindDisqualifyReason(doc_, reason);
    bool listed = action == "recycle" ? FindRecycleReason(doc_, reason) != nullptr : dq != nullptr;
    if (!listed) RC_FAIL("journaled " + what + " without a listed reason");
    if (action == "disqualify" && dq->exempt_from_attempts) {
      ++tally.closed_exempt;
      return;
    }
    const LeadType* type = nullptr;
    for (const auto& t : doc_.lead_types) {
      if (t.id == lead.lead_type) type = &t;
    }
    if (!type) RC_FAIL("journaled " + what + " of a lead of unknown type " + lead.lead_type);
    int channels = std::popcount(lead.channels);
    if (lead.attempts < type->attempts.attempts || channels < type->attempts.channels) {
      RC_FAIL("journaled " + what + " after " + std::to_string(lead.attempts) + " attempts on " +
              std::to_string(channels) + " channels; the SLA requires " +
              std::to_string(type->attempts.attempts) + " on " +
              std::to_string(type->attempts.channels));
    }
    ++tally.closed_after_attempts;
  }

  const SlaDocument& doc_;
  Seq last_;
  std::map<int64_t, Lead> leads_;
};

std::string Describe(const std::optional<OpenLeadView>& v) {
  if (!v) return "no lead";
  std::ostringstream o;
  o << "person " << v->person.value() << " owner " << v->owner.value() << " team "
    << v->team.value() << " " << v->lead_type << " v" << v->sla_version << " assigned "
    << FormatTimestamp(v->assigned_at) << (v->accepted ? " accepted" : "")
    << (v->clocks_running ? " running" : "") << " attempts " << v->attempts << "/"
    << v->attempts_required << " channels " << v->channels << "/" << v->channels_required;
  for (const auto& c : v->clocks) {
    o << " [" << SlaClockName(c.clock) << " " << FormatTimestamp(c.started) << ".."
      << FormatTimestamp(c.due) << (c.met ? " met" : "") << (c.breached ? " breached" : "") << "]";
  }
  if (v->next_due) o << " next " << FormatTimestamp(*v->next_due);
  return o.str();
}

std::string Describe(const std::vector<OpenLeadView>& queue) {
  std::string out;
  for (const auto& v : queue) out += Describe(v) + "\n";
  return out;
}

// What a model rebuilt from the journal shows is what the live one shows.
void ExpectSameViews(const Session& s, const SlaModel& rebuilt) {
  std::vector<UserId> owners = s.reps;
  owners.push_back(s.manager);
  owners.push_back(UserId());  // leads nobody could be found for
  for (UserId u : owners) {
    std::string live = Describe(s.sla->Queue(u)), again = Describe(rebuilt.Queue(u));
    if (live != again) {
      RC_FAIL("queue of user " + std::to_string(u.value()) + ": live\n" + live + "rebuilt\n" +
              again);
    }
  }
  for (PersonId p : s.people) {
    std::string live = Describe(s.sla->LeadOf(p)), again = Describe(rebuilt.LeadOf(p));
    if (live != again) RC_FAIL("lead: live " + live + "\nrebuilt " + again);
  }
  RC_ASSERT(s.sla->OpenLeads() == rebuilt.OpenLeads());
  RC_ASSERT(s.sla->NextDue() == rebuilt.NextDue());
}

// Acts as `by`; a refused action must leave the journal (its last seq) and the lead as they
// were, and be refused with one of the documented codes.
void Act(Session& s, PersonId p, const SalesAction& a, UserId by) {
  Seq before = s.LastSeq();
  std::string lead_before = Describe(s.sla->LeadOf(p));
  auto r = s.sla->Act(p, a, s.Who(by));
  RC_LOG() << "  " << SalesActionName(a.kind) << " person " << p.value() << " by user "
           << by.value() << (a.channel ? " on " + std::string(ContactChannelName(*a.channel)) : "")
           << (a.reason.empty() ? "" : " reason " + a.reason)
           << (a.to.valid() ? " to " + std::to_string(a.to.value()) : "") << ": "
           << (r.ok() ? "ok" : r.status().ToString()) << "\n";
  if (r.ok()) return;
  ++tally.refused;
  Code c = r.status().code();
  RC_ASSERT(c == Code::kFailedPrecondition || c == Code::kPermissionDenied ||
            c == Code::kInvalidArgument);
  RC_ASSERT(s.LastSeq() == before);
  RC_ASSERT(Describe(s.sla->LeadOf(p)) == lead_before);
}

constexpr SalesActionKind kKinds[] = {SalesActionKind::kAccept,     SalesActionKind::kReject,
                                      SalesActionKind::kAttempt,    SalesActionKind::kConnect,
                                      SalesActionKind::kQualify,    SalesActionKind::kRecycle,
                                      SalesActionKind::kDisqualify, SalesActionKind::kReassign};

// Any action, with or without the fields it needs; reasons listed for it, listed for the
// other verb (a recycle reason to disqualify), exempt, unknown or missing.
SalesAction RandomAction(const Session& s) {
  SalesAction a;
  a.kind = kKinds[*rc::gen::weightedElement<size_t>(
      {{3, 0}, {2, 1}, {6, 2}, {2, 3}, {1, 4}, {4, 5}, {4, 6}, {1, 7}})];
  if (a.kind == SalesActionKind::kAttempt || a.kind == SalesActionKind::kConnect) {
    int c = *rc::gen::inRange(0, kContactChannelCount + 1);
    if (c < kContactChannelCount) a.channel = static_cast<ContactChannel>(c);
  }
  if (a.kind == SalesActionKind::kReject) {
    a.reason = *rc::gen::element(std::string(), std::string("not my territory"));
  }
  if (a.kind == SalesActionKind::kRecycle || a.kind == SalesActionKind::kDisqualify) {
    std::vector<std::string> reasons{"", "boring"};
    for (const auto& r : s.doc->recycle_reasons) reasons.push_back(r.id);
    for (const auto& r : s.doc->disqualify_reasons) reasons.push_back(r.id);
    a.reason = *rc::gen::elementOf(reasons);
  }
  if (a.kind == SalesActionKind::kQualify) {
    // Mostly every fact the SLA asks for (a listed value where it lists values); sometimes
    // one left out, one off the list, or one it does not ask for.
    for (const QualifyField& f : s.doc->qualify_fields) {
      a.fields[f.id] = f.values.empty() ? "a need" : *rc::gen::elementOf(f.values);
    }
    int spoil = *rc::gen::inRange(0, 8);
    if (spoil == 0 && !a.fields.empty()) a.fields.erase(a.fields.begin());
    if (spoil == 1 && !a.fields.empty()) a.fields.rbegin()->second = "whenever";
    if (spoil == 2) a.fields["mood"] = "good";
  }
  if (a.kind == SalesActionKind::kReassign) {
    std::vector<UserId> to = s.reps;
    to.push_back(s.manager);
    to.push_back(UserId(999));  // nobody
    a.to = *rc::gen::elementOf(to);
  }
  return a;
}

// The lead's owner most often; else another rep or the manager.
UserId Actor(const Session& s, PersonId p) {
  auto lead = s.sla->LeadOf(p);
  UserId owner = lead ? lead->owner : s.reps[0];
  int who = *rc::gen::inRange(0, 6);
  if (who < 4) return owner;
  if (who == 5) return s.manager;
  std::vector<UserId> others;
  for (UserId r : s.reps) {
    if (r != owner) others.push_back(r);
  }
  return *rc::gen::elementOf(others);
}

// Opens a second SLA model over the store (a restart), compares it with the live one when
// asked, and carries on with it.
void Restart(Session& s, bool compare) {
  RC_LOG() << "  restart\n";
  auto rebuilt = s.OpenSla();
  if (compare) ExpectSameViews(s, *rebuilt);
  s.sla = std::move(rebuilt);
}

// Mostly someone who holds an open lead (or, !open, who does not), else anyone: actions on
// open leads get them far enough to leave, demo requests on closed ones bring them back.
PersonId SomePerson(const Session& s, bool open = true) {
  std::vector<PersonId> some;
  for (PersonId p : s.people) {
    if (s.sla->LeadOf(p).has_value() == open) some.push_back(p);
  }
  if (some.empty() || *rc::gen::inRange(0, 5) == 0) return *rc::gen::elementOf(s.people);
  return *rc::gen::elementOf(some);
}

void RandomStep(Session& s, bool compare_restarts) {
  const int op = *rc::gen::inRange(0, 100);
  const PersonId p = SomePerson(s);
  if (op < 34) return Act(s, p, RandomAction(s), Actor(s, p));
  if (op < 52) {  // a round of attempts by the owner, so that leads reach the minimum
    auto lead = s.sla->LeadOf(p);
    UserId owner = lead ? lead->owner : s.reps[0];
    for (int n = *rc::gen::inRange(1, 7); n > 0; --n) {
      auto channel = static_cast<ContactChannel>(*rc::gen::inRange(0, kContactChannelCount));
      Act(s, p, {.kind = SalesActionKind::kAttempt, .channel = channel}, owner);
    }
    return;
  }
  if (op < 60) {  // a sales touch from the CRM
    std::string type =
        *rc::gen::element(std::string("call_logged"), std::string("sales_email_sent"));
    RC_LOG() << "  " << type << " person " << p.value() << "\n";
    return s.Post(p, type);
  }
  if (op < 66) {  // a new demo request: a recycled lead may come back after its cool-down
    PersonId q = SomePerson(s, /*open=*/false);
    RC_LOG() << "  demo_request person " << q.value() << "\n";
    return s.Post(q, "demo_request");
  }
  if (op < 80) {
    Duration d = *rc::gen::element<Duration>(minutes(20), hours(1), hours(3), days(1), days(4),
                                             days(40), days(100));
    s.clock.Advance(d);
    RC_LOG() << "  now " << FormatTimestamp(s.clock.Now()) << "\n";
    return;
  }
  if (op < 94) {
    auto fired = s.sla->FireDue(s.clock.Now());
    RC_ASSERT(fired.ok());
    RC_LOG() << "  fire due: " << *fired << " steps\n";
    return;
  }
  Restart(s, compare_restarts);
}

// The journal and the model agree, after every step, on who holds an open lead and who owns
// it: a lead the model no longer shows was closed by a journaled action, whose reason and
// attempts the walk checked.
void ExpectJournalAgrees(Session& s, JournalWalk& walk) {
  walk.CatchUp(s);
  for (PersonId p : s.people) {
    auto lead = s.sla->LeadOf(p);
    if (lead.has_value() != walk.Open(p)) {
      RC_FAIL("person " + std::to_string(p.value()) + (lead ? " holds" : " holds no") +
              " open lead, but the journal (up to seq " + std::to_string(walk.last().value()) +
              ") says" + (walk.Open(p) ? " they do" : " they do not"));
    }
    if (lead) RC_ASSERT(lead->owner == walk.Owner(p));
  }
}

struct Checks {
  bool journal = false;  // the journal's account of every lead that leaves, after every step
  bool rebuild = false;  // a model rebuilt from the journal, at restarts and at the end
};

void RunSession(const Checks& checks) {
  Session s;
  s.Open();
  for (int n = *rc::gen::inRange(1, 4); n > 0; --n) {
    s.AddPerson(*rc::gen::element(std::string("DE"), std::string("FR"), std::string("US")));
  }
  JournalWalk walk(*s.doc);
  for (PersonId p : s.people) s.Post(p, "demo_request");
  for (int n = *rc::gen::inRange(1, 80); n > 0; --n) {
    RandomStep(s, checks.rebuild);
    if (checks.journal) ExpectJournalAgrees(s, walk);
  }
  if (checks.rebuild) ExpectSameViews(s, *s.OpenSla());
}

// Runs property for `cases` cases: each opens a store and runs up to 80 steps, so the default
// hundred would be slow. RC_PARAMS="max_success=…" still sets the number for a longer run.
template <typename Property>
void CheckCases(Property property, int cases) {
  rc::detail::TestParams params = rc::detail::configuration().testParams;
  if (params.maxSuccess == rc::detail::TestParams().maxSuccess) params.maxSuccess = cases;
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  rc::detail::TestMetadata metadata{.id = std::string(test->test_suite_name()) + "/" + test->name(),
                                    .description = test->name()};
  auto result = rc::detail::checkTestable(property, metadata, params);
  if (!result.template is<rc::detail::SuccessResult>()) {
    std::ostringstream message;
    rc::detail::printResultMessage(result, message);
    FAIL() << message.str();
  }
}

constexpr int kCases = 40;

TEST(SlaProperty, NoLeadLeavesWithoutAJournaledReasonAndTheAgreedAttempts) {
  tally = {};
  CheckCases([] { RunSession({.journal = true}); }, kCases);
  std::printf("closed after the attempts %d, exempt %d, qualified %d, reopened %d, refused %d\n",
              tally.closed_after_attempts, tally.closed_exempt, tally.qualified, tally.reopened,
              tally.refused);
  EXPECT_GT(tally.closed_after_attempts, 0);
  EXPECT_GT(tally.closed_exempt, 0);
  EXPECT_GT(tally.refused, 0);
}

TEST(SlaProperty, ASlaModelRebuiltFromTheJournalShowsTheLiveLeads) {
  CheckCases([] { RunSession({.rebuild = true}); }, kCases);
}

}  // namespace
}  // namespace tandem::ingest
