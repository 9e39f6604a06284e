#include "engine/compiled_policy.h"

#include <date/tz.h>

#include <algorithm>
#include <optional>
#include <cctype>
#include <cmath>

#include "domain/reference.h"
#include "engine/lead_engine.h"
#include "engine/policy_toml.h"

namespace tandem::engine {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Whether keyword occurs in text (both lower case) on word boundaries.
bool ContainsWords(std::string_view text, std::string_view keyword) {
  for (size_t at = text.find(keyword); at != std::string_view::npos;
       at = text.find(keyword, at + 1)) {
    bool starts = at == 0 || !IsWordChar(text[at - 1]);
    size_t end = at + keyword.size();
    bool ends = end == text.size() || !IsWordChar(text[end]);
    if (starts && ends) return true;
  }
  return false;
}

std::string Signature(const std::string& activity, const std::vector<PropertyTest>& where) {
  std::string s = activity;
  for (const auto& t : where) {
    s += '\x1f' + t.key;
    for (const auto& v : t.equals) s += "\x1e=" + v;
    for (const auto& v : t.contains) s += "\x1e~" + v;
  }
  return s;
}

std::vector<CompiledTest> CompileTests(const std::vector<PropertyTest>& where) {
  std::vector<CompiledTest> out;
  for (const auto& t : where) out.push_back({t.key, t.equals, t.contains});
  return out;
}

// The value a fact test looks at, normalised for comparison.
std::string FactValue(Fact fact, const Profile& p) {
  switch (fact) {
    case Fact::kJobTitle: return Lower(p.job_title);
    case Fact::kSeniority: return std::string(SeniorityOf(p.job_title));
    case Fact::kCountry: return p.country;
    case Fact::kRegion: return std::string(RegionOf(p.country));
    case Fact::kEmailDomain: {
      size_t at = p.email.rfind('@');
      return at == std::string::npos ? "" : Lower(p.email.substr(at + 1));
    }
    case Fact::kIndustry: return p.industry;
    case Fact::kSizeBand: return p.size_band;
    case Fact::kCompanyCountry: return p.company_country;
  }
  return "";
}

// Whether value (the fact's, as FactValue gives it) passes test. Job-title keywords are lower
// case already (BitFor).
bool FactHolds(const FactTest& test, const std::string& value) {
  if (value.empty()) return false;
  for (const auto& want : test.in) {
    if (test.fact == Fact::kJobTitle ? ContainsWords(value, want) : EqualsIgnoreCase(value, want))
      return true;
  }
  return false;
}

// Equality for the short keys and values of activity properties, without a library call.
inline bool Same(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

FactField FieldOf(Fact fact) {
  switch (fact) {
    case Fact::kJobTitle:
    case Fact::kSeniority: return FactField::kJobTitle;
    case Fact::kCountry:
    case Fact::kRegion: return FactField::kCountry;
    case Fact::kEmailDomain: return FactField::kEmail;
    case Fact::kIndustry: return FactField::kIndustry;
    case Fact::kSizeBand: return FactField::kSizeBand;
    case Fact::kCompanyCountry: return FactField::kCompanyCountry;
  }
  return FactField::kJobTitle;
}

// Position in the forward funnel; -1 for side stages.
int FunnelRank(Stage s) {
  switch (s) {
    case Stage::kSubscriber: return 0;
    case Stage::kLead: return 1;
    case Stage::kMql: return 2;
    case Stage::kSal: return 3;
    case Stage::kSql: return 4;
    case Stage::kOpportunity: return 5;
    case Stage::kCustomer: return 6;
    default: return -1;
  }
}

// Whether rule r may move someone standing at cur (see StageRule in domain/policy.h).
bool RuleApplies(const CompiledStageRule& r, Stage cur) {
  if (r.to == Stage::kDisqualified) return cur != Stage::kCustomer && cur != Stage::kDisqualified;
  if (cur == Stage::kDisqualified || cur == Stage::kLapsed) return false;
  if (cur == Stage::kRecycled) return r.to == Stage::kMql || r.fast_track;
  int from = FunnelRank(cur), to = FunnelRank(r.to);
  if (from < 0 || from >= to) return false;
  if (r.fast_track) return true;
  if (r.to == Stage::kMql) return from <= 1;
  if (r.to == Stage::kSql) return from == 2 || from == 3;
  return from == to - 1;
}

// Disqualifiers first, then fast tracks (a call-back request moves a lead straight to SQL),
// then ordinary rules.
int StagePass(const CompiledStageRule& r) {
  return r.to == Stage::kDisqualified ? 0 : r.fast_track ? 1 : 2;
}

}  // namespace

std::string FactValueOf(Fact fact, const Profile& profile) { return FactValue(fact, profile); }

bool CompiledTest::Passes(const KeyValues& values) const {
  std::string_view v = values[key_index];
  return v.data() && PassesValue(v);
}

bool CompiledTest::PassesValue(std::string_view v) const {
  if (!equals.empty() &&
      std::none_of(equals.begin(), equals.end(), [&](const auto& e) { return Same(v, e); }))
    return false;
  for (const auto& c : contains) {
    if (v.find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool PassesAll(std::span<const CompiledTest> tests, const KeyValues& values) {
  for (const auto& t : tests) {
    if (!t.Passes(values)) return false;
  }
  return true;
}

void TypeRules::Lookup(std::span<const Property> props, KeyValues& values) const {
  for (size_t k = 0; k < keys.size(); ++k) values[k] = ValueOf(props, k);
}

std::string_view TypeRules::ValueOf(std::span<const Property> props, size_t k) const {
  for (const auto& p : props) {
    if (Same(p.key, keys[k])) return p.value.data() ? p.value : std::string_view("", 0);
  }
  return {};
}

uint64_t TypeRules::PassedOn(size_t k, std::string_view value) const {
  uint64_t passed = 0;
  for (const BitTest& t : key_tests[k]) {
    if (t.test.PassesValue(value)) passed |= t.bit;
  }
  return passed;
}

// Gives every distinct property test of a type a bit, and each rule and slot the bits of its
// tests. Key ids count across types, so a cache keyed by them serves the whole policy.
void CompiledPolicy::AssignTestBits() {
  uint32_t next_key = 0;
  for (auto& [name, type] : types_) {
    type.key_tests.assign(type.keys.size(), {});
    int bits = 0;
    bool too_many = false;
    auto bit_of = [&](const CompiledTest& t) -> uint64_t {
      auto& tests = type.key_tests[t.key_index];
      for (const auto& bt : tests) {
        if (bt.test.equals == t.equals && bt.test.contains == t.contains) return bt.bit;
      }
      if (bits == 64) {
        too_many = true;
        return 0;
      }
      tests.push_back({t, uint64_t{1} << bits++});
      return tests.back().bit;
    };
    auto needs = [&](const std::vector<CompiledTest>& tests) {
      uint64_t need = 0;
      for (const auto& t : tests) need |= bit_of(t);
      return need;
    };
    type.scoring_needs.clear();
    type.slot_needs.clear();
    for (uint16_t r : type.scoring) type.scoring_needs.push_back(needs(scoring_tests_[r]));
    for (uint16_t s : type.slots) type.slot_needs.push_back(needs(slots_[s].where));
    type.has_test_bits = !too_many;  // else some tests got no bit and the masks would lie
    type.key_ids.clear();
    type.keys_worth_caching = 0;
    for (size_t k = 0; k < type.key_tests.size(); ++k) {
      const auto& tests = type.key_tests[k];
      type.key_ids.push_back(next_key++);
      size_t compares = 0;  // a substring search counts as several
      for (const auto& t : tests) compares += t.test.equals.size() + 4 * t.test.contains.size();
      if (compares > 2) type.keys_worth_caching |= uint32_t{1} << k;
    }
  }
}

void CompiledStageRule::Fold() {
  using K = Condition::Kind;
  for (const CompiledCondition& c : when) {
    switch (c.kind) {
      case K::kScoreAtLeast:
        never = never || std::isnan(c.number);
        score_at_least = has_score_at_least ? std::max(score_at_least, c.number) : c.number;
        has_score_at_least = true;
        break;
      case K::kScoreBelow:
        never = never || std::isnan(c.number);
        score_below = has_score_below ? std::min(score_below, c.number) : c.number;
        has_score_below = true;
        break;
      case K::kGradeAtLeast: grade_at_least = std::max(grade_at_least, c.grade); break;
      case K::kGradeBelow: grade_below = std::min(grade_below, c.grade); break;
      case K::kPersona:
        any_persona = true;
        personas &= c.personas;
        break;
      case K::kFact:
      case K::kFreeMail:
      case K::kStudent: facts |= uint64_t{1} << c.bit; break;
      case K::kActivity: activities.push_back(c); break;
    }
  }
}

// Gives every test the index of its key among its activity type's keys.
Status CompiledPolicy::IndexKeys() {
  auto index = [&](TypeRules& type, CompiledTest& test) {
    auto it = std::find(type.keys.begin(), type.keys.end(), test.key);
    if (it == type.keys.end()) it = type.keys.insert(type.keys.end(), test.key);
    test.key_index = static_cast<uint8_t>(it - type.keys.begin());
  };
  for (size_t r = 0; r < policy_.scoring.size(); ++r) {
    for (auto& t : scoring_tests_[r]) index(types_[policy_.scoring[r].activity], t);
  }
  for (auto& slot : slots_) {
    for (auto& t : slot.where) index(types_[slot.activity], t);
  }
  for (const auto& [name, type] : types_) {
    if (type.keys.size() > kMaxKeysPerType)
      return InvalidArgument("rules for '" + name + "' test more than 16 property keys");
  }
  return Status::Ok();
}

Result<std::shared_ptr<const CompiledPolicy>> CompiledPolicy::Compile(QualificationPolicy policy,
                                                                       int version) {
  std::shared_ptr<CompiledPolicy> c(new CompiledPolicy());
  c->policy_ = std::move(policy);
  c->version_ = version;
  TANDEM_RETURN_IF_ERROR(c->Build());
  return std::shared_ptr<const CompiledPolicy>(std::move(c));
}

Result<std::shared_ptr<const CompiledPolicy>> CompiledPolicy::FromToml(
    std::string_view text, int version, std::span<const std::string> custom_types) {
  auto parsed = ParsePolicy(text, custom_types);
  if (!parsed.ok()) return parsed.status();
  return Compile(std::move(*parsed), version);
}

int CompiledPolicy::BitFor(const FactTest& test) {
  for (size_t i = 0; i < fact_tests_.size(); ++i) {
    if (fact_tests_[i].fact == test.fact && fact_tests_[i].in == test.in)
      return static_cast<int>(i);
  }
  fact_tests_.push_back(test);
  if (test.fact == Fact::kJobTitle) {
    for (auto& keyword : fact_tests_.back().in) keyword = Lower(keyword);
  }
  return static_cast<int>(fact_tests_.size() - 1);
}

int CompiledPolicy::SlotFor(const Condition& c) {
  std::string sig = Signature(c.activity, c.where);
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].signature == sig) return static_cast<int>(i);
  }
  slots_.push_back({c.activity, CompileTests(c.where), sig});
  types_[c.activity].slots.push_back(static_cast<uint16_t>(slots_.size() - 1));
  return static_cast<int>(slots_.size() - 1);
}

Status CompiledPolicy::Build() {
  try {
    zone_ = date::locate_zone(policy_.time_zone);
  } catch (const std::exception&) {
    return InvalidArgument("unknown time zone '" + policy_.time_zone + "'",
                           {{"time_zone", "not an IANA time zone"}});
  }
  for (size_t i = 0; i < policy_.scoring.size(); ++i) {
    types_[policy_.scoring[i].activity].scoring.push_back(static_cast<uint16_t>(i));
    scoring_tests_.push_back(CompileTests(policy_.scoring[i].where));
  }
  if (policy_.personas.size() > 64) return InvalidArgument("a policy has at most 64 personas");
  for (const auto& persona : policy_.personas) {
    auto& bits = persona_bits_.emplace_back();
    for (const auto& c : persona.criteria) bits.emplace_back(BitFor(c.test), c.thirds);
  }
  for (size_t i = 0; i < policy_.stages.size(); ++i) {
    const StageRule& rule = policy_.stages[i];
    CompiledStageRule out{.index = static_cast<int>(i), .to = rule.to,
                          .fast_track = rule.fast_track};
    for (const Condition& c : rule.when) {
      CompiledCondition cc{.kind = c.kind, .number = c.number, .grade = c.grade.thirds};
      switch (c.kind) {
        case Condition::Kind::kPersona:
          for (size_t p = 0; p < policy_.personas.size(); ++p) {
            if (std::find(c.names.begin(), c.names.end(), policy_.personas[p].id) !=
                c.names.end())
              cc.personas |= uint64_t{1} << p;
          }
          break;
        case Condition::Kind::kFact: cc.bit = BitFor(c.fact); break;
        case Condition::Kind::kFreeMail:
          if (free_mail_bit_ < 0) free_mail_bit_ = BitFor({Fact::kEmailDomain, {"\x01free"}});
          cc.bit = free_mail_bit_;
          break;
        case Condition::Kind::kStudent:
          if (student_bit_ < 0) student_bit_ = BitFor({Fact::kJobTitle, {"\x01student"}});
          cc.bit = student_bit_;
          break;
        case Condition::Kind::kActivity:
          cc.slot = SlotFor(c);
          cc.within_us = c.within ? c.within->count() : -1;
          if (int64_t& h = slots_[cc.slot].horizon_us; h >= 0)
            h = cc.within_us < 0 ? -1 : std::max(h, cc.within_us);
          break;
        default: break;
      }
      out.when.push_back(cc);
    }
    out.Fold();
    stage_rules_.push_back(std::move(out));
  }
  if (fact_tests_.size() > 64) return InvalidArgument("a policy has at most 64 distinct fact tests");
  TANDEM_RETURN_IF_ERROR(IndexKeys());
  if (stage_rules_.size() > 64) return InvalidArgument("a policy has at most 64 stage rules");
  for (const auto& r : stage_rules_) {
    for (const auto& c : r.when) {
      using K = Condition::Kind;
      if (c.kind == K::kScoreAtLeast || c.kind == K::kScoreBelow)
        score_triggers_ |= uint64_t{1} << r.index;
      if (c.kind == K::kActivity)
        types_[slots_[c.slot].activity].stage_triggers |= uint64_t{1} << r.index;
    }
  }
  AssignTestBits();
  IndexTypes();
  IndexFactFields();
  for (size_t from = 0; from < rules_from_.size(); ++from) {
    for (int pass = 0; pass < 3; ++pass) {
      for (const auto& r : stage_rules_) {
        if (StagePass(r) != pass || !RuleApplies(r, static_cast<Stage>(from))) continue;
        rules_from_[from].push_back(&r);
        indexes_from_[from].push_back(static_cast<uint8_t>(r.index));
        mask_from_[from] |= uint64_t{1} << r.index;
      }
    }
  }
  return Status::Ok();
}

// The open-addressing table RulesFor probes.
void CompiledPolicy::IndexTypes() {
  size_t size = 8;
  while (size < 2 * types_.size()) size *= 2;
  type_table_.assign(size, {});
  for (const auto& [name, rules] : types_) {
    const uint64_t h = HashText(name, 0);
    size_t i = h & (size - 1);
    while (type_table_[i].rules) i = (i + 1) & (size - 1);
    type_table_[i] = {h, name, &rules};
  }
}

// Which fact bits each profile field sets (FieldBits).
void CompiledPolicy::IndexFactFields() {
  for (const auto& test : fact_tests_) {
    const int i = static_cast<int>(&test - fact_tests_.data());
    if (i == free_mail_bit_) {
      tests_by_field_[static_cast<size_t>(FactField::kEmail)].push_back(i);
    } else if (i == student_bit_) {
      tests_by_field_[static_cast<size_t>(FactField::kJobTitle)].push_back(i);
      tests_by_field_[static_cast<size_t>(FactField::kEmail)].push_back(i);
    } else {
      tests_by_field_[static_cast<size_t>(FieldOf(test.fact))].push_back(i);
    }
  }
}

const TypeRules* CompiledPolicy::RulesFor(std::string_view type) const {
  const size_t mask = type_table_.size() - 1;
  const uint64_t h = HashText(type, 0);
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const TypeSlot& slot = type_table_[i];
    if (!slot.rules) return nullptr;
    if (slot.hash == h && Same(slot.name, type)) return slot.rules;
  }
}

uint64_t CompiledPolicy::FactBits(const Profile& profile) const {
  return FieldBits(FactField::kJobTitle, profile.job_title) |
         FieldBits(FactField::kCountry, profile.country) |
         FieldBits(FactField::kEmail, profile.email) |
         FieldBits(FactField::kIndustry, profile.industry) |
         FieldBits(FactField::kSizeBand, profile.size_band) |
         FieldBits(FactField::kCompanyCountry, profile.company_country);
}

uint64_t CompiledPolicy::FieldBits(FactField field, std::string_view raw) const {
  const auto& tests = tests_by_field_[static_cast<size_t>(field)];
  if (tests.empty()) return 0;
  // Each fact's value is worked out once (seniority and region are derived).
  Profile one;
  switch (field) {
    case FactField::kJobTitle: one.job_title = raw; break;
    case FactField::kCountry: one.country = raw; break;
    case FactField::kEmail: one.email = raw; break;
    case FactField::kIndustry: one.industry = raw; break;
    case FactField::kSizeBand: one.size_band = raw; break;
    case FactField::kCompanyCountry: one.company_country = raw; break;
  }
  std::array<std::optional<std::string>, 8> values;
  auto value = [&](Fact f) -> const std::string& {
    auto& v = values[static_cast<size_t>(f)];
    if (!v) v = FactValue(f, one);
    return *v;
  };
  uint64_t bits = 0;
  for (int i : tests) {
    bool holds;
    if (i == free_mail_bit_) {
      holds = IsFreeMailDomain(value(Fact::kEmailDomain));
    } else if (i == student_bit_) {
      holds = field == FactField::kJobTitle ? IsStudentTitle(one.job_title)
                                            : IsAcademicDomain(value(Fact::kEmailDomain));
    } else {
      holds = FactHolds(fact_tests_[i], value(fact_tests_[i].fact));
    }
    if (holds) bits |= uint64_t{1} << i;
  }
  return bits;
}

void CompiledPolicy::GradeOf(uint64_t bits, Grade& grade, int& persona) const {
  grade = Grade{};
  persona = -1;
  for (size_t p = 0; p < persona_bits_.size(); ++p) {
    int thirds = Grade::kStart;
    bool matched = false;
    for (auto [bit, move] : persona_bits_[p]) {
      if (!(bits >> bit & 1)) continue;
      matched = true;
      thirds += move;
    }
    if (!matched) continue;
    thirds = std::clamp(thirds, Grade::kMin, Grade::kMax);
    if (persona < 0 || thirds > grade.thirds) {
      grade = Grade{thirds};
      persona = static_cast<int>(p);
    }
  }
}

std::vector<const PersonaCriterion*> CompiledPolicy::MatchedCriteria(int persona,
                                                                     uint64_t bits) const {
  std::vector<const PersonaCriterion*> out;
  if (persona < 0 || persona >= static_cast<int>(persona_bits_.size())) return out;
  for (size_t i = 0; i < persona_bits_[persona].size(); ++i) {
    if (bits >> persona_bits_[persona][i].first & 1)
      out.push_back(&policy_.personas[persona].criteria[i]);
  }
  return out;
}

// Fills cache with the local day holding at_us and its periods.
void CompiledPolicy::NewDay(int64_t at_us, ZoneCache& cache) const {
  if (at_us < cache.begin_us || at_us >= cache.end_us) {
    auto info = zone_->get_info(std::chrono::sys_time<std::chrono::microseconds>(
        std::chrono::microseconds(at_us)));
    cache.begin_us = std::chrono::duration_cast<std::chrono::microseconds>(
                         info.begin.time_since_epoch()).count();
    cache.end_us = std::chrono::duration_cast<std::chrono::microseconds>(
                       info.end.time_since_epoch()).count();
    cache.offset_us = std::chrono::duration_cast<std::chrono::microseconds>(info.offset).count();
  }
  constexpr int64_t kDayUs = 86'400'000'000;
  int64_t local = at_us + cache.offset_us;
  int64_t day = FloorDiv(local, kDayUs);
  // The day's bounds in UTC, within the interval the offset holds for.
  cache.day_begin_us = std::max(day * kDayUs - cache.offset_us, cache.begin_us);
  cache.day_end_us = std::min((day + 1) * kDayUs - cache.offset_us, cache.end_us);
  cache.day = day;
  cache.week = FloorDiv(day + 3, 7);  // 1970-01-01 was a Thursday
  date::year_month_day ymd{date::sys_days{date::days{day}}};
  cache.month = (static_cast<int>(ymd.year()) - 1970) * 12 +
                static_cast<int>(static_cast<unsigned>(ymd.month())) - 1;
}

}  // namespace tandem::engine
