// The backtest and calibration at scale: a store with 1,000,000 people (and 60,000 companies)
// and 10,000,000 activities whose types and properties match config/policy.toml's rules,
// then RunBacktest (the default policy against a variant with a lower MQL threshold) and
// Calibrate, timed, reading from the store.
//
//   backtest_load [--people 1000000] [--activities 10000000] [--decisions] [--db PATH]
//                 [--no-calibrate]
//
// --decisions also journals a score_changed entry after each activity, as the live lead model
// does, so the scan steps over derived entries as it would in a real store.
//
// The store is generated once (about a minute) and cached under build/bench-cache/, keyed by
// a version string and the sizes, so reruns only time the replays. It is written in bulk with
// plain SQLite, as records.cc would journal it: a people/companies row and a
// person_changed/company_changed entry with {"fields": {...}} per record, one activity entry
// per activity. Prints one JSON line.
#include <sqlite3.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "engine/policy_toml.h"
#include "ingest/backtest.h"
#include "ingest/calibration.h"
#include "ingest/default_policy.h"
#include "store/store.h"

namespace {

using namespace tandem;
constexpr const char* kVersion = "backtest-load-v1";
constexpr int64_t kCompanies = 60'000;
constexpr int64_t kStart = 1'764'547'200'000'000;  // 2025-12-01T00:00:00Z
constexpr int64_t kSpan = 360ll * 86'400'000'000;  // a year of history

struct Rng {  // splitmix64: fast and the same on every machine
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
  template <size_t N>
  const char* Pick(const char* const (&v)[N]) {
    return v[Below(N)];
  }
};

const char* const kTitles[] = {"VP Marketing",
                               "Revenue Operations Manager",
                               "Marketing Director",
                               "Sales Director",
                               "CEO",
                               "Founder",
                               "Software Engineer",
                               "IT Manager",
                               "Marketing Coordinator",
                               "Head of Growth",
                               "CTO",
                               "Account Executive",
                               "Student",
                               "Chief Revenue Officer",
                               "Demand Generation Manager",
                               "Business Development Representative",
                               "Office Manager"};
const char* const kCountries[] = {"DE", "US", "GB", "FR", "BR", "IN", "JP", "NL",
                                  "ES", "CA", "AU", "SE", "MX", "SG", "IR"};
const char* const kIndustries[] = {
    "software",  "finance",       "manufacturing", "logistics", "professional services",
    "education", "public sector", "retail",        "healthcare"};
const char* const kBands[] = {"1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"};
const char* const kPaths[] = {"/",
                              "/pricing",
                              "/demo",
                              "/product/scoring",
                              "/product/sla",
                              "/integrations/hubspot",
                              "/customers/acme",
                              "/security",
                              "/compare/pipelinepilot",
                              "/docs/getting-started",
                              "/blog/mql-sql",
                              "/blog/lead-scoring",
                              "/events",
                              "/careers/engineering",
                              "/about"};
const char* const kReferrers[] = {"google", "g2", "capterra", "partner", "linkedin", "direct"};

// One activity's type and properties, in proportions a B2B marketing site sees.
std::pair<const char*, std::string> Activity(Rng& r) {
  int64_t x = r.Below(1000);
  auto q = [](const char* k, const std::string& v) {
    return "{\"" + std::string(k) + "\":\"" + v + "\"}";
  };
  if (x < 550) {
    return {"page_view", "{\"path\":\"" + std::string(r.Pick(kPaths)) + "\",\"referrer\":\"" +
                             r.Pick(kReferrers) + "\"}"};
  }
  if (x < 750) return {"email_open", q("campaign", "newsletter-" + std::to_string(r.Below(24)))};
  if (x < 850) {
    const char* c[] = {"product-update-7", "case-study-acme", "newsletter-3", "webinar-invite"};
    return {"email_click", q("campaign", r.Pick(c))};
  }
  if (x < 890) {
    const char* f[] = {"contact-us",           "demo-request", "gated-content", "gated-content",
                       "webinar-registration", "newsletter",   "newsletter",    "newsletter"};
    return {"form_submit", q("form", r.Pick(f))};
  }
  if (x < 930) {
    const char* a[] = {"pipeline-roi-calculator", "state-of-revops-2026", "mql-guide"};
    return {"content_download", q("asset", r.Pick(a))};
  }
  if (x < 950) return {"webinar_attended", q("webinar", "lead-scoring-masterclass")};
  if (x < 955) return {"demo_request", "{}"};
  if (x < 960) return {"callback_request", "{}"};
  if (x < 970) return {"meeting_held", q("kind", r.Below(3) ? "discovery" : "demo")};
  if (x < 985) return {"call_logged", q("outcome", r.Below(2) ? "connected" : "voicemail")};
  if (x < 988) return {"purchase", "{\"amount\":1200}"};
  if (x < 990) return {"opportunity_won", "{}"};
  if (x < 992) return {"opportunity_lost", "{}"};
  if (x < 995) return {"unsubscribe", "{}"};
  return {"email_bounce", "{}"};
}

struct Writer {
  sqlite3* db;
  sqlite3_stmt *journal, *person, *company;
  int64_t seq = 0;

  void Journal(int64_t at, const char* kind, int64_t subject, const char* type,
               const std::string& client_id, const std::string& payload) {
    sqlite3_stmt* s = journal;
    sqlite3_bind_int64(s, 1, ++seq);
    sqlite3_bind_int64(s, 2, at);
    sqlite3_bind_int64(s, 3, at);
    sqlite3_bind_text(s, 4, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, subject);
    type ? sqlite3_bind_text(s, 6, type, -1, SQLITE_STATIC) : sqlite3_bind_null(s, 6);
    client_id.empty() ? sqlite3_bind_null(s, 7)
                      : sqlite3_bind_text(s, 7, client_id.data(), -1, SQLITE_TRANSIENT);
    uint64_t h = static_cast<uint64_t>(seq) * 0x9E3779B97F4A7C15ull;
    sqlite3_bind_blob(s, 8, &h, sizeof h, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 9, payload.data(), static_cast<int>(payload.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(s) != SQLITE_DONE)
      std::fprintf(stderr, "%s\n", sqlite3_errmsg(db)), std::exit(1);
    sqlite3_reset(s);
  }
};

void Prepare(sqlite3* db, const char* sql, sqlite3_stmt** s) {
  if (sqlite3_prepare_v2(db, sql, -1, s, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "%s\n", sqlite3_errmsg(db));
    std::exit(1);
  }
}

void WriteCompanies(Writer& w, Rng& r) {
  for (int64_t id = 1; id <= kCompanies; ++id) {
    const char *industry = r.Pick(kIndustries), *band = r.Pick(kBands),
               *country = r.Pick(kCountries);
    sqlite3_stmt* s = w.company;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, ("Company " + std::to_string(id)).c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, ("c" + std::to_string(id) + ".example").c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, industry, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, band, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, country, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 7, kStart);
    sqlite3_step(s);
    sqlite3_reset(s);
    w.Journal(kStart, "company_changed", id, nullptr, "",
              "{\"fields\":{\"country\":\"" + std::string(country) + "\",\"domain\":\"c" +
                  std::to_string(id) + ".example\",\"industry\":\"" + industry +
                  "\",\"name\":\"Company " + std::to_string(id) + "\",\"size_band\":\"" + band +
                  "\"}}");
  }
}

// People are created through the first month, each before any activity of theirs.
void WritePeople(Writer& w, Rng& r, int64_t people) {
  for (int64_t i = 0; i < people; ++i) {
    int64_t id = kCompanies + 1 + i, company = 1 + r.Below(kCompanies);
    int64_t at = kStart + i * (30ll * 86'400'000'000 / people);
    const char *title = r.Pick(kTitles), *country = r.Pick(kCountries);
    std::string email = "p" + std::to_string(id) + "@" +
                        (r.Below(5) ? "c" + std::to_string(company) + ".example" : "gmail.com");
    sqlite3_stmt* s = w.person;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, title, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, country, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, company);
    sqlite3_bind_int64(s, 5, at);
    sqlite3_step(s);
    sqlite3_reset(s);
    w.Journal(at, "person_changed", id, nullptr, "",
              "{\"fields\":{\"company_id\":" + std::to_string(company) + ",\"country\":\"" +
                  country + "\",\"emails\":[\"" + email +
                  "\"],\"first_name\":\"Pat\",\"job_title\":\"" + title +
                  "\",\"last_name\":\"Doe\",\"stage\":\"lead\"}}");
  }
}

// What to generate; key() names it in the cache.
struct Shape {
  int64_t people = 1'000'000, activities = 10'000'000;
  bool decisions = false;
  std::string Key() const {
    return std::string(kVersion) + "-" + std::to_string(people) + "-" + std::to_string(activities) +
           (decisions ? "-decisions" : "");
  }
};

// 70 % of activities go to anyone, 30 % to the engaged tenth; times rise through the year.
void WriteActivities(Writer& w, Rng& r, const Shape& shape) {
  const int64_t first = kStart + 31ll * 86'400'000'000;
  for (int64_t i = 0; i < shape.activities; ++i) {
    int64_t who = r.Below(10) < 7 ? r.Below(shape.people) : r.Below(shape.people / 10) * 10;
    int64_t at = first + i * ((kStart + kSpan - first) / shape.activities);
    auto [type, props] = Activity(r);
    w.Journal(at, "activity", kCompanies + 1 + who, type, "b" + std::to_string(i), props);
    if (shape.decisions) {
      w.Journal(at, "score_changed", kCompanies + 1 + who, nullptr, "",
                "{\"policy\":1,\"score\":12,\"delta\":1,\"rules\":[{\"rule\":\"page_view\","
                "\"points\":1}]}");
    }
  }
}

void Generate(const std::string& path, const Shape& shape) {
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  {
    SystemClock clock;
    auto s = store::Store::Open(path, clock);  // creates the schema
    if (!s.ok()) std::fprintf(stderr, "%s\n", s.status().ToString().c_str()), std::exit(1);
  }
  Writer w{};
  sqlite3_open(path.c_str(), &w.db);
  sqlite3_exec(w.db,
               "PRAGMA journal_mode=DELETE; PRAGMA synchronous=OFF; BEGIN;"
               "DROP INDEX journal_idempotency;",
               nullptr, nullptr, nullptr);
  Prepare(w.db,
          "INSERT INTO journal(seq, recorded_at, occurred_at, kind, subject, actor, type, "
          "source, client_id, digest, payload) VALUES(?,?,?,?,?,'bench',?,'bench',?,?,?)",
          &w.journal);
  Prepare(w.db,
          "INSERT INTO people(id, job_title, country, company_id, stage, created_at, "
          "updated_at) VALUES(?,?,?,?,'lead',?,?5)",
          &w.person);
  Prepare(w.db,
          "INSERT INTO companies(id, name, domain, industry, size_band, country, "
          "created_at, updated_at) VALUES(?,?,?,?,?,?,?,?7)",
          &w.company);
  Rng r{7};
  WriteCompanies(w, r);
  WritePeople(w, r, shape.people);
  WriteActivities(w, r, shape);
  sqlite3_finalize(w.journal);
  sqlite3_finalize(w.person);
  sqlite3_finalize(w.company);
  const std::string key = shape.Key();
  sqlite3_exec(w.db,
               ("CREATE UNIQUE INDEX journal_idempotency ON journal(source, client_id) "
                "WHERE client_id IS NOT NULL; INSERT OR REPLACE INTO meta VALUES("
                "'backtest_load', '" +
                key + "'); COMMIT; PRAGMA journal_mode=WAL;")
                   .c_str(),
               nullptr, nullptr, nullptr);
  sqlite3_close(w.db);
}

bool Cached(const std::string& path, const Shape& shape) {
  if (!std::filesystem::exists(path)) return false;
  sqlite3* db;
  sqlite3_stmt* s;
  bool ok = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
            sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'backtest_load'", -1, &s,
                               nullptr) == SQLITE_OK;
  const std::string want = shape.Key();
  ok = ok && sqlite3_step(s) == SQLITE_ROW &&
       want == reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(db);
  return ok;
}

double CpuSeconds() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::shared_ptr<const engine::CompiledPolicy> Policy(std::string text, int version) {
  auto parsed = engine::ParsePolicy(text);
  if (!parsed.ok()) std::fprintf(stderr, "%s\n", parsed.status().ToString().c_str()), std::exit(1);
  return *engine::CompiledPolicy::Compile(std::move(*parsed), version);
}

struct Args {
  Shape shape;
  bool calibrate = true;
  std::string path;
};

Args ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    if (k == "--no-calibrate") a.calibrate = false;
    if (k == "--decisions") a.shape.decisions = true;
    if (i + 1 >= argc) continue;
    if (k == "--people") a.shape.people = std::atoll(argv[++i]);
    if (k == "--activities") a.shape.activities = std::atoll(argv[++i]);
    if (k == "--db") a.path = argv[++i];
  }
  if (a.path.empty()) {
    auto dir =
        std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path() / "bench-cache";
    std::filesystem::create_directories(dir);
    a.path = (dir / (a.shape.Key() + ".db")).string();
  }
  return a;
}

void Backtest(store::Store& store, std::shared_ptr<const engine::CompiledPolicy> active,
              std::shared_ptr<const engine::CompiledPolicy> candidate) {
  double cpu0 = CpuSeconds();
  auto bt = ingest::RunBacktest(store, std::move(active), std::move(candidate), {});
  if (!bt.ok()) std::fprintf(stderr, "%s\n", bt.status().ToString().c_str()), std::exit(1);
  double cpu = CpuSeconds() - cpu0, secs = static_cast<double>(bt->elapsed_ms) / 1000;
  std::printf(
      "\"people\":%lld,\"activities\":%lld,\"journal_entries\":%lld,\"backtest_s\":%.2f,"
      "\"backtest_cpu_s\":%.2f,\"activities_per_s\":%.0f,\"mqls\":[%lld,%lld],"
      "\"differing\":%lld",
      static_cast<long long>(bt->people), static_cast<long long>(bt->activities_read),
      static_cast<long long>(bt->entries_read), secs, cpu,
      static_cast<double>(bt->activities_read) / secs, static_cast<long long>(bt->active.mqls),
      static_cast<long long>(bt->candidate.mqls), static_cast<long long>(bt->people_differing));
}

void Calibration(store::Store& store, std::shared_ptr<const engine::CompiledPolicy> active) {
  double cpu0 = CpuSeconds();
  auto cal = ingest::Calibrate(store, std::move(active), {.target_mqls_per_month = 2000});
  if (!cal.ok()) std::fprintf(stderr, "%s\n", cal.status().ToString().c_str()), std::exit(1);
  std::printf(",\"calibrate_s\":%.2f,\"calibrate_cpu_s\":%.2f,\"auc\":%.3f",
              static_cast<double>(cal->elapsed_ms) / 1000, CpuSeconds() - cpu0,
              cal->auc.value_or(0));
}

}  // namespace

int main(int argc, char** argv) {
  Args a = ParseArgs(argc, argv);
  auto t0 = std::chrono::steady_clock::now();
  if (!Cached(a.path, a.shape)) Generate(a.path, a.shape);
  double gen = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  SystemClock clock;
  auto store = store::Store::Open(a.path, clock, {.read_only = true});
  if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().ToString().c_str()), 1;
  // The candidate: the default policy with its MQL score threshold at 80 instead of 100.
  std::string text(ingest::EmbeddedDefaultPolicy()), variant = text;
  for (size_t at; (at = variant.find("score_at_least = 100 }")) != std::string::npos;)
    variant.replace(at, 22, "score_at_least = 80 }");
  auto active = Policy(text, 1);
  std::printf("{\"store\":\"%s\",\"generated_or_checked_s\":%.1f,", a.path.c_str(), gen);
  Backtest(**store, active, Policy(variant, 0));
  if (a.calibrate) Calibration(**store, active);
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  std::printf(",\"max_rss_mb\":%ld}\n", u.ru_maxrss / 1024);
  return 0;
}
