// Engine behaviour as data: one parameterised test runs every scenario file under
// tests/scenarios/lead/ (see the README there for the format). A scenario is a policy, an
// optional profile, a list of events (activities and profile changes) for one person, and
// checkpoints saying what the person's standing and the last event's decisions must be.
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "base/time.h"
#include "domain/activity_type.h"
#include "domain/policy.h"
#include "domain/stage.h"
#include "engine/compiled_policy.h"
#include "engine/lead_engine.h"
#include "engine/policy_toml.h"

namespace tandem::engine {
namespace {

namespace fs = std::filesystem;

using Pairs = std::vector<std::pair<std::string, std::string>>;

constexpr double kTolerance = 1e-9;
const PersonId kPerson(1);

// A mistake in a scenario file itself (not in the engine): names the key path and line.
struct ScenarioError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ScenarioEvent {
  Timestamp at;
  std::string activity;  // empty for a profile change
  Pairs properties;      // activity properties as text
  Pairs profile;         // profile facts the change replaces
};

struct ExpectedHit {
  std::string rule;
  double points = 0;
  std::optional<bool> capped;
};

struct Checkpoint {
  size_t index = 0;  // position in [[expect]]
  size_t after_event = 0;
  std::optional<Timestamp> at;  // default: the last applied event's time
  std::optional<double> score;
  std::optional<std::string> grade, persona, stage, stage_rule;
  std::vector<std::pair<std::string, double>> rules;
  std::optional<std::vector<std::string>> decisions;
  std::optional<std::vector<ExpectedHit>> hits;
};

struct Scenario {
  std::string policy_text, policy_origin;
  Pairs profile;
  std::vector<ScenarioEvent> events;
  std::vector<Checkpoint> expect;
};

// The shortest text that reads back as d: 12.5, 0.1, 1e-10.
std::string JsonNumber(double d) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

// A property or fact value as text; nullopt for tables, arrays and dates.
std::optional<std::string> ScalarText(const toml::node& v) {
  if (auto s = v.value_exact<std::string>()) return *s;
  if (auto i = v.value_exact<int64_t>()) return std::to_string(*i);
  if (auto b = v.value_exact<bool>()) return *b ? "true" : "false";
  if (auto d = v.value_exact<double>()) return JsonNumber(*d);
  return std::nullopt;
}

// Reads one table strictly: every getter marks its key known; Done() rejects the others, so
// a misspelt expectation fails instead of silently checking nothing.
class Reader {
 public:
  Reader(const toml::table& t, std::string path) : t_(t), path_(std::move(path)) {}

  [[noreturn]] void Fail(std::string_view key, const std::string& why) const {
    const toml::node* n = t_.get(key);
    auto line = (n ? n->source() : t_.source()).begin.line;
    std::string where = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
    throw ScenarioError("line " + std::to_string(line) + ": " + where + ": " + why);
  }
  const toml::node* Get(std::string_view key, bool required = false) {
    known_.emplace_back(key);
    const toml::node* n = t_.get(key);
    if (!n && required) Fail(key, "required");
    return n;
  }
  std::optional<std::string> String(std::string_view key, bool required = false) {
    const toml::node* n = Get(key, required);
    if (!n) return std::nullopt;
    if (!n->is_string()) Fail(key, "must be a string");
    return n->as_string()->get();
  }
  std::optional<Timestamp> Time(std::string_view key, bool required = false) {
    auto text = String(key, required);
    if (!text) return std::nullopt;
    auto t = ParseTimestamp(*text);
    if (!t) Fail(key, "not an RFC 3339 time: \"" + *text + "\"");
    return t;
  }
  std::optional<double> Number(std::string_view key) {
    const toml::node* n = Get(key);
    if (!n) return std::nullopt;
    if (auto i = n->value_exact<int64_t>()) return static_cast<double>(*i);
    if (auto d = n->value_exact<double>()) return *d;
    Fail(key, "must be a number");
  }
  const toml::table* Table(std::string_view key) {
    const toml::node* n = Get(key);
    if (n && !n->is_table()) Fail(key, "must be a table");
    return n ? n->as_table() : nullptr;
  }
  const toml::array* Array(std::string_view key) {
    const toml::node* n = Get(key);
    if (n && !n->is_array()) Fail(key, "must be an array");
    return n ? n->as_array() : nullptr;
  }
  // Every key of a table of scalars, values as text (numbers in their JSON spelling).
  Pairs TextPairs(std::string_view key) {
    Pairs out;
    const toml::table* t = Table(key);
    if (!t) return out;
    for (const auto& [k, v] : *t) {
      auto text = ScalarText(v);
      if (!text) Fail(key, "values must be strings, numbers or booleans");
      out.emplace_back(std::string(k.str()), std::move(*text));
    }
    return out;
  }
  void Done() const {
    for (const auto& [k, v] : t_) {
      if (std::find(known_.begin(), known_.end(), k.str()) == known_.end()) {
        Fail(k.str(), "unknown key");
      }
    }
  }

 private:
  const toml::table& t_;
  std::string path_;
  std::vector<std::string> known_;
};

// Calls read(reader) for each table of the array `key`.
template <typename F>
void ForEachTable(Reader& r, std::string_view key, F read) {
  const toml::array* a = r.Array(key);
  for (size_t i = 0; a && i < a->size(); ++i) {
    if (!a->get(i)->is_table()) r.Fail(key, "every element must be a table");
    Reader e(*a->get(i)->as_table(), std::string(key) + "[" + std::to_string(i) + "]");
    read(e, i);
  }
}

const std::vector<std::string> kProfileKeys{"job_title", "country",   "email",
                                            "industry",  "size_band", "company_country"};

Pairs ReadProfile(Reader& r, std::string_view key) {
  Pairs facts = r.TextPairs(key);
  for (const auto& [k, v] : facts) {
    if (std::find(kProfileKeys.begin(), kProfileKeys.end(), k) == kProfileKeys.end()) {
      r.Fail(key, "unknown profile fact \"" + k + "\"");
    }
  }
  return facts;
}

ScenarioEvent ReadEvent(Reader& r) {
  ScenarioEvent e;
  e.at = *r.Time("at", true);
  auto activity = r.String("activity");
  bool has_profile = r.Get("profile") != nullptr;
  if (activity.has_value() == has_profile) {
    r.Fail("activity", "give exactly one of activity, profile");
  }
  if (activity) {
    if (!FindBuiltinActivityType(*activity)) r.Fail("activity", "unknown activity type");
    e.activity = *activity;
    e.properties = r.TextPairs("properties");
  } else {
    e.profile = ReadProfile(r, "profile");
  }
  r.Done();
  return e;
}

std::vector<std::string> ReadStrings(Reader& r, std::string_view key) {
  std::vector<std::string> out;
  for (const auto& v : *r.Array(key)) {
    if (!v.is_string()) r.Fail(key, "must be an array of strings");
    out.push_back(v.as_string()->get());
  }
  return out;
}

std::vector<ExpectedHit> ReadHits(Reader& r) {
  std::vector<ExpectedHit> out;
  ForEachTable(r, "hits", [&](Reader& h, size_t) {
    ExpectedHit hit;
    hit.rule = *h.String("rule", true);
    auto points = h.Number("points");
    if (!points) h.Fail("points", "required");
    hit.points = *points;
    if (const toml::node* c = h.Get("capped")) {
      if (!c->is_boolean()) h.Fail("capped", "must be true or false");
      hit.capped = c->as_boolean()->get();
    }
    h.Done();
    out.push_back(std::move(hit));
  });
  return out;
}

Checkpoint ReadCheckpoint(Reader& r, size_t index, size_t events) {
  Checkpoint c{.index = index, .after_event = events};
  c.at = r.Time("at");
  if (const toml::node* n = r.Get("after_event")) {
    auto v = n->value_exact<int64_t>();
    if (!v || *v < 0 || static_cast<size_t>(*v) > events) {
      r.Fail("after_event", "must be a whole number from 0 to the number of events");
    }
    c.after_event = static_cast<size_t>(*v);
  }
  c.score = r.Number("score");
  c.grade = r.String("grade");
  if (c.grade && !ParseGrade(*c.grade)) r.Fail("grade", "not a grade (F, D-, D, D+, C-, ... A+)");
  c.persona = r.String("persona");  // "": none
  c.stage = r.String("stage");
  if (c.stage && !ParseStage(*c.stage)) r.Fail("stage", "not a stage");
  c.stage_rule = r.String("stage_rule");  // "": none
  if (const toml::table* rules = r.Table("rules")) {
    for (const auto& [k, v] : *rules) {
      auto d = v.value<double>();
      if (!d) r.Fail("rules", "points must be numbers");
      c.rules.emplace_back(std::string(k.str()), *d);
    }
  }
  if (r.Get("decisions")) c.decisions = ReadStrings(r, "decisions");
  if (r.Get("hits")) c.hits = ReadHits(r);
  if (!c.at && c.after_event == 0) r.Fail("at", "required when no event precedes the check");
  r.Done();
  return c;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError("cannot read " + path.string());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path ProjectRoot() {
  return fs::path(TANDEM_SCENARIO_DIR).parent_path().parent_path().parent_path();
}

Scenario ReadScenario(const fs::path& file) {
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw ScenarioError("line " + std::to_string(e.source().begin.line) + ": " +
                        std::string(e.description()));
  }
  Reader r(root, "");
  Scenario s;
  r.String("description", true);
  auto inline_policy = r.String("policy");
  auto policy_file = r.String("policy_file");
  if (inline_policy.has_value() == policy_file.has_value()) {
    r.Fail("policy", "give exactly one of policy, policy_file");
  }
  s.policy_text = inline_policy ? *inline_policy : ReadFile(ProjectRoot() / *policy_file);
  s.policy_origin = inline_policy ? "the inline policy" : *policy_file;
  s.profile = ReadProfile(r, "profile");
  ForEachTable(r, "events", [&](Reader& e, size_t) { s.events.push_back(ReadEvent(e)); });
  ForEachTable(r, "expect", [&](Reader& e, size_t i) {
    s.expect.push_back(ReadCheckpoint(e, i, s.events.size()));
  });
  if (s.expect.empty()) r.Fail("expect", "a scenario needs at least one [[expect]]");
  r.Done();
  return s;
}

void SetFacts(Profile& p, const Pairs& facts) {
  std::string Profile::*const members[] = {&Profile::job_title, &Profile::country,
                                           &Profile::email,     &Profile::industry,
                                           &Profile::size_band, &Profile::company_country};
  for (const auto& [k, v] : facts) {
    auto i = std::find(kProfileKeys.begin(), kProfileKeys.end(), k) - kProfileKeys.begin();
    p.*members[i] = v;
  }
}

std::string KindOf(const Decision& d) {
  switch (d.kind) {
    case Decision::Kind::kScore:
      return "score";
    case Decision::Kind::kGrade:
      return "grade";
    case Decision::Kind::kStage:
      return "stage:" + std::string(StageName(d.stage_after));
  }
  return "?";
}

std::string Join(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", \"" : "\"") + v[i] + "\"";
  return out + "]";
}

// Feeds a scenario's events to a LeadEngine and checks each checkpoint.
class Runner {
 public:
  Runner(std::string file, const Scenario& s, std::shared_ptr<const CompiledPolicy> policy)
      : file_(std::move(file)), s_(s), p_(policy->policy()), engine_(std::move(policy)) {
    engine_.TracePerson(kPerson);
  }

  void Run() {
    std::vector<Checkpoint> checks = s_.expect;
    std::stable_sort(checks.begin(), checks.end(),
                     [](const auto& a, const auto& b) { return a.after_event < b.after_event; });
    if (!s_.profile.empty()) {
      // The starting profile arrives just before the first event (cause: seq 0).
      Timestamp at = s_.events.empty() ? *checks.front().at : s_.events.front().at;
      SetFacts(profile_, s_.profile);
      last_at_ = at;
      engine_.OnProfile(kPerson, profile_, at, Seq(0), log_);
    }
    for (const Checkpoint& c : checks) {
      while (applied_ < c.after_event) Apply(applied_++);
      Check(c);
    }
  }

 private:
  // Failures name the file and the checkpoint: "x.toml: expect[2]: score is 25, expected 12.5".
  void ExpectText(const std::string& what, const std::string& got, const std::string& want) const {
    if (got != want) {
      ADD_FAILURE() << where_ << what << " is \"" << got << "\", expected \"" << want << "\"";
    }
  }
  void ExpectNear(const std::string& what, double got, double want) const {
    if (!(std::abs(got - want) <= kTolerance)) {
      ADD_FAILURE() << where_ << what << " is " << JsonNumber(got) << ", expected "
                    << JsonNumber(want);
    }
  }

  void Apply(size_t i) {
    const ScenarioEvent& e = s_.events[i];
    log_.Clear();
    last_at_ = e.at;
    if (e.activity.empty()) {
      SetFacts(profile_, e.profile);
      engine_.OnProfile(kPerson, profile_, e.at, Seq(static_cast<int64_t>(i + 1)), log_);
      return;
    }
    std::vector<Property> props;
    for (const auto& [k, v] : e.properties) props.push_back({k, v});
    engine_.OnActivity({.person = kPerson,
                        .seq = Seq(static_cast<int64_t>(i + 1)),
                        .at = e.at,
                        .type = e.activity,
                        .properties = props},
                       log_);
  }

  std::string IdOf(int index, const auto& list) const {
    return index < 0 || index >= static_cast<int>(list.size()) ? "" : list[index].id;
  }

  void Check(const Checkpoint& c) {
    Timestamp at = c.at.value_or(last_at_);
    Standing st = engine_.StandingOf(kPerson, at);
    std::string persona = IdOf(st.persona, p_.personas);
    std::string rule = IdOf(st.stage_rule, p_.stages);
    where_ = file_ + ": expect[" + std::to_string(c.index) + "]: ";
    SCOPED_TRACE("expect[" + std::to_string(c.index) + "] is after " +
                 std::to_string(c.after_event) + " event(s), at " + FormatTimestamp(at) +
                 "; the standing there: score " + JsonNumber(st.score) + ", grade " +
                 GradeName(st.grade) + ", persona \"" + persona + "\", stage " +
                 std::string(StageName(st.stage)) + " by rule \"" + rule + "\"");
    if (c.score) ExpectNear("score", st.score, *c.score);
    if (c.grade) ExpectText("grade", GradeName(st.grade), *c.grade);
    if (c.persona) ExpectText("persona", persona, *c.persona);
    if (c.stage) ExpectText("stage", std::string(StageName(st.stage)), *c.stage);
    if (c.stage_rule) ExpectText("stage_rule", rule, *c.stage_rule);
    CheckRules(c, at);
    if (c.decisions) {
      std::vector<std::string> kinds;
      for (const Decision& d : log_.decisions) kinds.push_back(KindOf(d));
      ExpectText("decisions (of the last event)", Join(kinds), Join(*c.decisions));
    }
    if (c.hits) CheckHits(*c.hits);
  }

  int ScoringIndex(const std::string& id) const {
    for (size_t i = 0; i < p_.scoring.size(); ++i) {
      if (p_.scoring[i].id == id) return static_cast<int>(i);
    }
    ADD_FAILURE() << where_ << "no scoring rule \"" << id << "\" in " << s_.policy_origin;
    return -1;
  }

  void CheckRules(const Checkpoint& c, Timestamp at) const {
    std::vector<double> points = engine_.TracedPoints(at);
    for (const auto& [id, want] : c.rules) {
      int i = ScoringIndex(id);
      if (i >= 0) ExpectNear("rules." + id, points[i], want);
    }
  }

  void CheckHits(const std::vector<ExpectedHit>& want) const {
    std::vector<RuleHit> got;
    for (const Decision& d : log_.decisions) {
      if (d.kind != Decision::Kind::kScore) continue;
      got.insert(got.end(), log_.hits.begin() + d.hits_begin, log_.hits.begin() + d.hits_end);
    }
    std::string got_text;
    for (const RuleHit& h : got) {
      got_text +=
          " " + p_.scoring[h.rule].id + "=" + JsonNumber(h.points) + (h.capped ? " (capped)" : "");
    }
    if (got.size() != want.size()) {
      ADD_FAILURE() << where_ << "hits (of the last event): " << got.size() << " hit(s), expected "
                    << want.size() << "; got:" << got_text;
      return;
    }
    for (size_t i = 0; i < want.size(); ++i) {
      std::string at = "hits[" + std::to_string(i) + "]";
      ExpectText(at + ".rule", p_.scoring[got[i].rule].id, want[i].rule);
      ExpectNear(at + ".points", got[i].points, want[i].points);
      if (want[i].capped) {
        ExpectText(at + ".capped", got[i].capped ? "true" : "false",
                   *want[i].capped ? "true" : "false");
      }
    }
  }

  const std::string file_;
  const Scenario& s_;
  const QualificationPolicy& p_;
  LeadEngine engine_;
  Profile profile_;
  DecisionLog log_;
  size_t applied_ = 0;
  Timestamp last_at_{};
  std::string where_;
};

std::vector<fs::path> ScenarioFiles() {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(TANDEM_SCENARIO_DIR, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".toml") out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  if (out.empty()) out.emplace_back();  // fails below, rather than running nothing
  return out;
}

std::string TestName(const fs::path& file) {
  if (file.empty()) return "no_scenarios_found";
  std::string name = file.stem().string();
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

class LeadScenario : public ::testing::TestWithParam<fs::path> {};

TEST_P(LeadScenario, BehavesAsWritten) {
  const fs::path& file = GetParam();
  ASSERT_FALSE(file.empty()) << "no *.toml scenario under " << TANDEM_SCENARIO_DIR;
  SCOPED_TRACE("scenario " + file.string());
  Scenario s;
  try {
    s = ReadScenario(file);
  } catch (const ScenarioError& e) {
    FAIL() << file.string() << ": " << e.what();
  }
  auto parsed = ParsePolicy(s.policy_text);
  ASSERT_TRUE(parsed.ok()) << file.string() << ": " << s.policy_origin << ": "
                           << parsed.status().ToString();
  auto compiled = CompiledPolicy::Compile(std::move(*parsed), 1);
  ASSERT_TRUE(compiled.ok()) << file.string() << ": " << compiled.status().ToString();
  Runner(file.filename().string(), s, *compiled).Run();
}

INSTANTIATE_TEST_SUITE_P(Lead, LeadScenario, ::testing::ValuesIn(ScenarioFiles()),
                         [](const auto& info) { return TestName(info.param); });

}  // namespace
}  // namespace tandem::engine
