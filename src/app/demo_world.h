// The demo company's world before it is stored: the sales organisation, the planned companies
// and people with their hidden truth, and the marketing calendar. Internal to the demo.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/demo_catalog.h"
#include "app/demo_random.h"
#include "base/ids.h"
#include "base/status.h"
#include "base/time.h"
#include "store/store.h"

namespace tandem::app::demo {

// The users and teams the demo creates.
struct Org {
  UserId admin;
  std::string admin_email;
  std::vector<UserId> emea_reps, americas_reps;  // Sales EMEA covers EMEA and APAC
  int64_t users = 0, teams = 0;

  const std::vector<UserId>& RepsFor(Region r) const {
    return r == Region::kNa || r == Region::kLatam ? americas_reps : emea_reps;
  }
};

// Creates the admin (reused if that e-mail exists), the marketing team, two sales teams and a
// viewer. kFailedPrecondition if a demo team name is taken; kAlreadyExists if another demo
// e-mail is.
Result<Org> CreateOrg(store::WriteTxn& txn);

enum class EmailShape { kFirstDotLast, kInitialLast, kFirst, kFirstLastInitial, kFirstUnderLast };

struct CompanyPlan {
  std::string name, domain;
  const IndustryInfo* industry = nullptr;
  const SizeBandInfo* size = nullptr;
  const CountryInfo* country = nullptr;
  int size_index = 0;  // into SizeBands()
  EmailShape email_shape = EmailShape::kFirstDotLast;
  double in_market = 0;  // account-level intent shared by its people, 0..1
  UserId owner;
  CompanyId id;  // set once stored
};

// What is true about a person but never stored: it drives their behaviour and outcomes.
struct Truth {
  double fit = 0;     // persona fit from title, industry and company size, 0..1
  double intent = 0;  // latent buying intent, 0..1
};

struct PersonPlan {
  size_t company = 0;  // index into Population::companies
  std::string first_name, last_name, job_title, country, email;
  std::vector<std::string> phones;
  const CountryInfo* home = nullptr;  // the person's country
  UserId owner;
  Truth truth;
  int64_t duplicate_of = -1;  // a labelled near-duplicate: index of the original person
  bool bounces = false;       // the e-mail address does not exist
  PersonId id;                // set once stored
};

struct Population {
  std::vector<CompanyPlan> companies;
  std::vector<PersonPlan> people;
  int64_t duplicates = 0;
};

// Plans companies (max(600, people / 8)) and people (`people` plus ~2% near-duplicates).
// Pure and deterministic for (seed, people, org).
Population PlanPopulation(uint64_t seed, int people, const Org& org);
// Stores every planned company and person, setting their ids.
Status WritePopulation(store::WriteTxn& txn, Population& pop);

// The marketing calendar over the history window [start, end].
struct Campaign {
  Timestamp at;
  std::string name, landing;
};
struct WebinarSlot {
  Timestamp at;
  const WebinarInfo* webinar = nullptr;
};
struct Schedule {
  Timestamp start, end;
  std::vector<Campaign> campaigns;    // by time
  std::vector<WebinarSlot> webinars;  // by time
};
Schedule PlanSchedule(Timestamp now);

// One simulated activity before it has an id.
struct Draft {
  Timestamp at;
  std::string_view type, source;  // static strings
  std::string properties;         // a JSON object
};

// Everything one person did of their own accord over the history (sales' part is simulated
// against the engine as it happens), in no particular order, all within the window.
std::vector<Draft> SimulatePerson(uint64_t seed, const Schedule& schedule, const Population& pop,
                                  size_t index);

// A working-hours-biased time on a day (weekends are picked less often by PickDay), in the
// local time of a place utc_offset hours from UTC.
Timestamp WorkTime(Rng& rng, std::chrono::sys_days day, int utc_offset);
// A day in [from, to], weekdays four times as likely as weekend days.
std::chrono::sys_days PickDay(Rng& rng, std::chrono::sys_days from, std::chrono::sys_days to);
// The first moment at or after t inside Mon-Fri 09:00-17:00 at utc_offset, plus up to an hour.
Timestamp NextBusinessTime(Rng& rng, Timestamp t, int utc_offset);

// After a lead is qualified at `qualified` by `rep`: a discovery meeting, perhaps a product
// demo, and a deal won or lost as the person's truth decides (noisily), with the purchase that
// follows a win. Appends to out; may run past the window (callers drop those).
void SimulateDeal(Rng& rng, const Population& pop, size_t index, UserId rep, Timestamp qualified,
                  std::vector<Draft>& out);

// What a customer does after buying at `bought`: log-ins and documentation, within the window.
std::vector<Draft> SimulateCustomer(uint64_t seed, const Schedule& schedule, const Population& pop,
                                    size_t index, Timestamp bought);

}  // namespace tandem::app::demo
