// The demo's sales desk and the history it works in: activities stored in time order with
// the store's clock following them, the journal watched for the leads the SLA model routes,
// and reps and managers acting on those leads through SlaModel::Act. Internal to the demo.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "app/demo.h"
#include "app/demo_world.h"
#include "domain/sales_action.h"
#include "domain/user.h"
#include "engine/business_hours.h"
#include "store/journal.h"

namespace tandem::app::demo {

// A simulated activity placed in the history: whose it is and its place among theirs.
struct Placed {
  Draft draft;
  uint32_t person = 0, order = 0;  // index into Population::people; order of simulation
};
// Earliest first; ties broken by person, then order.
bool Earlier(const Placed& a, const Placed& b);

// Stores placed activities, numbering client ids per source in the order stored
// ("demo-0000042"), so that ids are stable for a seed and now. Not thread-safe.
class ActivityWriter {
 public:
  ActivityWriter(store::Store& store, const Population& pop) : store_(store), pop_(pop) {}
  // Stores drafts in one transaction, in their order. kInternal if the store refuses one.
  Status Write(std::vector<Placed> drafts);
  int64_t stored() const { return stored_; }

 private:
  store::Store& store_;
  const Population& pop_;
  std::map<std::string_view, int64_t> per_source_;
  int64_t stored_ = 0;
};

// Hears the journal while the history is written: the leads the SLA model assigns, the
// purchases, and the breaches and escalations that fire. Registered on the store for the
// history's duration. Called by the store's one writing thread; read between writes.
class Watch final : public store::JournalObserver {
 public:
  struct Assignment {
    PersonId person;
    UserId owner;
  };
  Status OnAppended(store::WriteTxn& txn, const store::JournalEntry& e, Seq seq) override;
  // What was heard since the last call, in journal order.
  std::vector<Assignment> TakeAssignments() { return std::exchange(assignments_, {}); }
  std::vector<PersonId> TakePurchases() { return std::exchange(purchases_, {}); }

  struct Counts {
    int64_t routed = 0, rerouted = 0, breaches = 0, escalations = 0;
  };
  const Counts& counts() const { return counts_; }

 private:
  void SaveForUndo(store::WriteTxn& txn);
  // Invariants: everything heard is from committed writes or the write under way (a rolled
  // back write's entries are taken back).
  Counts counts_;
  std::vector<Assignment> assignments_;
  std::vector<PersonId> purchases_;
  uint64_t saved_serial_ = 0;
};

// How one sales user works, drawn from the seed: most are prompt and thorough, a few slow or
// sloppy, so the SLA's breaches gather on them.
struct RepStyle {
  double late = 0.05;        // share of leads first answered after their deadline
  double pace = 1.0;         // multiplies the gaps between contact attempts
  double premature = 0.02;   // share of leads handed back before the attempt minimum
  double neglect = 0.01;     // share of leads forgotten after an attempt or two
  double crm = 0.5;          // share of calls and e-mails logged in the CRM, not in Tandem
  bool one_channel = false;  // calls again and again before trying another channel
};
// One style per user, in the order given: two of the reps slow and sloppy, managers busy.
std::vector<RepStyle> DrawStyles(uint64_t seed, const std::vector<Role>& roles);

// What talking to a person decided: qualify, or hand back with a reason.
struct Verdict {
  SalesActionKind kind = SalesActionKind::kRecycle;  // qualify, recycle or disqualify
  std::string_view reason;                           // for recycle and disqualify
};
// After a conversation: qualify as fit and intent decide (noisily), else a reason that is true
// of the person. Reasons are the default SLA's ids; doc turns unknown ones into listed ones.
Verdict Judge(Rng& rng, const PersonPlan& p, const CompanyPlan& c, const SlaDocument& doc);
// Giving up on a person who never answered: recycle for no response.
Verdict GiveUp(const SlaDocument& doc);
// Before any contact: a reason exempt from the attempt minimum when one applies (a labelled
// duplicate, a company already a customer, now and then spam or a competitor).
std::optional<std::string_view> Screen(Rng& rng, const PersonPlan& p, bool customer_company,
                                       const SlaDocument& doc);
// The channel of a lead's touch-th attempt (from 0).
ContactChannel ChannelOf(Rng& rng, const RepStyle& style, int touch);
// Whether an attempt on channel reaches the person.
bool Reaches(Rng& rng, const PersonPlan& p, ContactChannel channel, bool hand_raiser);

// The sales desk: every sales rep and manager working the leads routed to them. Each lead's
// work is a few steps at simulated times; a step whose lead has moved on (closed, another
// owner) does nothing. Not thread-safe.
class Desk {
 public:
  struct Setup {
    uint64_t seed = 0;
    const Population* pop = nullptr;
    const Schedule* schedule = nullptr;
    ingest::SlaModel* sla = nullptr;
    ActivityWriter* writer = nullptr;
    std::vector<User> users;
    std::vector<Team> teams;
  };
  // kInvalidArgument if a team's calendar does not parse; kFailedPrecondition without an
  // active SLA.
  static Result<std::unique_ptr<Desk>> Open(Setup setup);
  ~Desk();
  Desk(const Desk&) = delete;
  Desk& operator=(const Desk&) = delete;

  // A lead was assigned to owner (routed, rejected on, reassigned).
  void OnAssigned(PersonId person, UserId owner);
  // The person bought: their company is a customer from now on.
  void OnPurchase(PersonId person);
  std::optional<Timestamp> NextStep() const;
  // Runs the earliest step. REQUIRES: NextStep(), and the store's clock shows its time.
  Status RunNext();
  // Activities planned for later (meetings, deals, a customer's visits), taken once.
  std::vector<Placed> TakeLater() { return std::exchange(later_, {}); }
  // Adds what the desk did, and every sales user's queue at `now`, to out.
  void Tally(Timestamp now, DemoSales& out) const;

 private:
  struct Seat;  // a sales user at the desk
  struct Work;  // one lead as its owner works it
  enum class StepKind : uint8_t { kOpen, kTouch, kHandBack, kQualify, kReview };
  struct Step {
    Timestamp at;
    uint64_t order = 0;  // ties: the order scheduled
    int64_t person = 0;
    uint32_t generation = 0;  // the assignment it belongs to
    StepKind kind = StepKind::kOpen;
  };
  struct LaterFirst {
    bool operator()(const Step& a, const Step& b) const {
      return a.at != b.at ? a.at > b.at : a.order > b.order;
    }
  };

  explicit Desk(Setup setup);
  Result<std::unique_ptr<Seat>> SeatFor(const User& user, const RepStyle& style) const;
  void PlanOpening(Work& w, Timestamp start);
  Status Open(Work& w, Timestamp now);
  Status Touch(Work& w, Timestamp now);
  Status HandBack(Work& w, Timestamp now);
  Status Qualify(Work& w, Timestamp now);
  Status Review(Work& w, Timestamp now);
  // Acts as actor; false when the SLA refuses a hand-back (too few attempts or channels).
  Result<bool> Act(Work& w, SalesAction a, const User& actor, Timestamp now);
  Status Log(Work& w, ContactChannel channel, bool reached, Timestamp now);
  bool Owns(const Work& w) const;
  void Schedule(const Work& w, Timestamp at, StepKind kind);
  Timestamp After(const Work& w, Timestamp from, double business_hours) const;
  void NextTouch(Work& w, Timestamp now);

  Setup setup_;
  std::shared_ptr<const SlaDocument> doc_;
  std::unordered_map<int64_t, size_t> index_of_;              // person id → index into pop
  std::vector<int64_t> staff_;                                // seats' user ids, in user order
  std::unordered_map<int64_t, std::unique_ptr<Seat>> seats_;  // by user id
  std::unordered_map<int64_t, std::unique_ptr<Work>> work_;   // by person id
  std::unordered_set<size_t> customers_;                      // company indexes
  std::priority_queue<Step, std::vector<Step>, LaterFirst> steps_;
  uint64_t scheduled_ = 0, placed_ = 0;
  std::vector<Placed> later_;
  std::map<std::string, int64_t> actions_, reasons_;
  int64_t refused_ = 0, touches_ = 0;
};

// Writes planned (sorted by Earlier) into the store in time order up to end, with clock
// following it: activities in batches of an hour at most (cut at every demo and call-back
// request, so hand-raisers' clocks start when they ask), the SLA's escalation steps fired at
// their due times, and the desk's steps run at theirs. The clock ends at end.
Status RunHistory(DemoClock& clock, ingest::SlaModel& sla, Desk& desk, Watch& watch,
                  ActivityWriter& writer, std::vector<Placed> planned, Timestamp end);

}  // namespace tandem::app::demo
