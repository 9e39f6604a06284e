// SLA firing under load: how late escalation steps are journaled while 10,000 clocks fall due
// every second. A real store and the server's scheduler (app/sla_scheduler.h) on the system
// clock; the delay of each step is its journal entry's recorded_at minus its due time.
//
// Usage: sla_firing_load [--leads N] [--rate PER_SECOND] [--dir DIR]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "app/sla_scheduler.h"
#include "ingest/default_policy.h"
#include "ingest/lead_model.h"
#include "ingest/sla_model.h"
#include "store/journal.h"
#include "store/users.h"

namespace tandem {
namespace {

// The default SLA with a one-step ladder (the breach, alerting the manager by e-mail), so each
// lead falls due exactly once.
constexpr const char* kSla = R"(name = "firing load"
[marketing]
period = "month"
mql_target = 100
quality_grade = "B"
quality_share = 0.5
mql_to_sql_target = 0.3
[[lead_types]]
id = "all"
name = "All"
default = true
accept_within_business_hours = 8
first_touch_within_business_hours = 8
attempts = { minimum = 1, within_business_days = 5, channels = 1 }
disposition_within_business_days = 10
[[recycle_reasons]]
id = "no_response"
name = "No response"
nurture_track = "re_engage"
cool_down_days = 30
[[disqualify_reasons]]
id = "spam"
name = "Spam"
exempt_from_attempts = true
[[escalation]]
at = 1.0
action = "alert_manager"
channels = ["email"]
[routing]
fallback_team = "Sales"
)";

int64_t Arg(int argc, char** argv, const char* name, int64_t fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return std::stoll(argv[i + 1]);
  }
  return fallback;
}

Status Organise(store::Store& store, UserId& rep) {
  return store.Write([&](store::WriteTxn& t) {
    Team team{.name = "Sales", .time_zone = "UTC", .business_hours = "Mon-Sun 00:00-24:00"};
    TANDEM_RETURN_IF_ERROR(store::InsertTeam(t, team));
    User manager{.email = "manager@load.test", .role = Role::kSalesManager, .team = team.id};
    TANDEM_RETURN_IF_ERROR(store::InsertUser(t, manager));
    TANDEM_RETURN_IF_ERROR(store::SetTeamManager(t, team.id, manager.id));
    User u{.email = "rep@load.test", .role = Role::kSalesRep, .team = team.id};
    TANDEM_RETURN_IF_ERROR(store::InsertUser(t, u));
    rep = u.id;
    return Status::Ok();
  });
}

// Journals `leads` assignments whose accept clocks fall due at `rate` per second from first_due
// (the other clocks are far later), in batches, as the SLA model would have.
Status Assign(store::Store& store, UserId rep, int64_t leads, int64_t rate, Timestamp first_due) {
  const int64_t batch = 5000;
  for (int64_t from = 0; from < leads; from += batch) {
    TANDEM_RETURN_IF_ERROR(store.Write([&](store::WriteTxn& t) {
      for (int64_t i = from; i < std::min(leads, from + batch); ++i) {
        int64_t person = 1'000'000 + i;
        Timestamp due = first_due + Duration(i * 1'000'000 / rate);
        Duration allowed = due - t.now();
        auto clock = [&](const char* name, Duration a) {
          return std::string("{\"clock\":\"") + name + "\",\"start\":\"" +
                 FormatTimestamp(t.now()) + "\",\"allowed_us\":" + std::to_string(a.count()) +
                 "}";
        };
        std::string assigned = "{\"sla\":1,\"owner\":" + std::to_string(rep.value()) +
                               ",\"team\":1,\"lead_type\":\"all\",\"attempts_required\":1,"
                               "\"channels_required\":1}";
        auto a = store::AppendJournal(t, {.recorded_at = t.now(), .occurred_at = t.now(),
                                          .kind = "assigned", .subject = person,
                                          .actor = "load", .reason = assigned});
        if (!a.ok()) return a.status();
        Duration later = std::chrono::hours(24 * 30);
        std::string started = "{\"sla\":1,\"clocks\":[" + clock("accept", allowed) + "," +
                              clock("first_touch", later) + "," + clock("attempts", later) +
                              "," + clock("disposition", later) + "]}";
        TANDEM_RETURN_IF_ERROR(store::AppendJournal(t, {.recorded_at = t.now(),
                                                        .occurred_at = t.now(),
                                                        .kind = "sla_started",
                                                        .subject = person,
                                                        .actor = "load",
                                                        .cause = *a,
                                                        .reason = started})
                                   .status());
      }
      return Status::Ok();
    }));
  }
  return Status::Ok();
}

std::vector<int64_t> Delays(store::Store& store) {
  std::vector<int64_t> out;
  (void)store.Read([&](sql::Db& db) {
    auto& s = db.Cached("SELECT recorded_at - occurred_at FROM journal WHERE kind = 'sla_breached'");
    while (s.Step()) out.push_back(s.Int(0));
    return Status::Ok();
  });
  std::sort(out.begin(), out.end());
  return out;
}

int Run(int argc, char** argv) {
  const int64_t leads = Arg(argc, argv, "--leads", 100'000);
  const int64_t rate = Arg(argc, argv, "--rate", 10'000);
  std::filesystem::path dir = "/tmp/tandem-sla-firing-load";
  std::filesystem::remove_all(dir);
  SystemClock clock;
  auto store = store::Store::Open((dir / "load.db").string(), clock, {.synchronous_full = true});
  if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().ToString().c_str()), 1;
  UserId rep;
  if (Status st = Organise(**store, rep); !st.ok()) return 1;
  auto leads_model = ingest::LeadModel::Open(**store, ingest::EmbeddedDefaultPolicy());
  auto sla = ingest::SlaModel::Open(**store, kSla, {});
  if (!sla.ok()) return std::fprintf(stderr, "%s\n", sla.status().ToString().c_str()), 1;
  Timestamp first_due = clock.Now() + std::chrono::seconds(30);
  auto setup = std::chrono::steady_clock::now();
  if (Status st = Assign(**store, rep, leads, rate, first_due); !st.ok()) {
    return std::fprintf(stderr, "%s\n", st.ToString().c_str()), 1;
  }
  double setup_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - setup).count();
  if (clock.Now() >= first_due) return std::fprintf(stderr, "setup took too long\n"), 1;
  app::SlaScheduler scheduler(**sla, clock, [](const std::string& e) {
    std::fprintf(stderr, "%s\n", e.c_str());
  });
  scheduler.Start();
  Timestamp last_due = first_due + Duration(leads * 1'000'000 / rate);
  std::this_thread::sleep_until(std::chrono::system_clock::now() +
                                (last_due - clock.Now()) + std::chrono::seconds(3));
  scheduler.Stop();
  std::vector<int64_t> d = Delays(**store);
  auto q = [&](double p) { return d.empty() ? 0.0 : d[static_cast<size_t>(p * (d.size() - 1))] / 1e3; };
  std::printf(
      "{\"leads\":%lld,\"rate_per_second\":%lld,\"fired\":%zu,\"setup_seconds\":%.1f,"
      "\"delay_ms\":{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"max\":%.1f}}\n",
      static_cast<long long>(leads), static_cast<long long>(rate), d.size(), setup_s, q(0.5),
      q(0.9), q(0.99), d.empty() ? 0.0 : d.back() / 1e3);
  sla->reset();
  leads_model->reset();
  return d.size() == static_cast<size_t>(leads) ? 0 : 1;
}

}  // namespace
}  // namespace tandem

int main(int argc, char** argv) { return tandem::Run(argc, argv); }
