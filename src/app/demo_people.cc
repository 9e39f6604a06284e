// Planning the demo's companies and people: realistic names, domains, e-mails and phones,
// dirty data on purpose, and each person's hidden truth.
#include <algorithm>
#include <array>
#include <unordered_set>

#include "app/demo_world.h"
#include "ingest/records.h"

namespace tandem::app::demo {
namespace {

using Names = std::unordered_set<std::string>;

constexpr uint64_t kCompanyStream = 1, kPeopleStream = 2, kDuplicateStream = 3;
constexpr std::array<double, 6> kOwnedShare{0.15, 0.3, 0.6, 0.85, 0.95, 1.0};
constexpr std::array<double, 5> kShapeWeights{45, 25, 10, 10, 10};
constexpr std::array<std::string_view, 8> kBadPhones{"12345",  "call me",       "n/a", "000",
                                                     "+1 555", "ask reception", "0",   "123-456"};

size_t IndexOf(std::span<const SizeBandInfo> all, const SizeBandInfo& one) {
  return static_cast<size_t>(&one - all.data());
}

// A unique company name (and web domain) made of one or two words and an industry suffix.
void NameCompany(Rng& rng, CompanyPlan& c, Names& names, Names& domains) {
  for (int attempt = 0;; ++attempt) {
    std::string words(rng.Pick(CompanyWords()));
    if (attempt >= 8) words += " " + std::string(rng.Pick(CompanyWords()));
    std::string base = words + " " + std::string(rng.Pick(c.industry->suffixes));
    std::string domain = Slug(base) + std::string(c.country->tld);
    if (names.contains(base) || domains.contains(domain)) continue;
    names.insert(base);
    domains.insert(domain);
    bool institution = c.industry->name == "education" || c.industry->name == "public sector";
    c.name =
        institution || c.country->legal.empty() ? base : base + " " + std::string(c.country->legal);
    c.domain = domain;
    return;
  }
}

CompanyPlan PlanCompany(Rng& rng, const Org& org, Names& names, Names& domains) {
  CompanyPlan c;
  c.country = &rng.PickByWeight(Countries());
  c.industry = &rng.PickByWeight(Industries());
  c.size = &rng.PickByWeight(SizeBands());
  c.size_index = static_cast<int>(IndexOf(SizeBands(), *c.size));
  NameCompany(rng, c, names, domains);
  c.email_shape = static_cast<EmailShape>(rng.Weighted(kShapeWeights));
  if (c.email_shape == EmailShape::kFirst && c.size_index > 1) {
    c.email_shape = EmailShape::kFirstDotLast;  // only small firms give out bare first names
  }
  c.in_market = rng.Chance(0.15) ? rng.Range(0.3, 0.6) : 0.0;
  const auto& reps = org.RepsFor(c.country->region);
  if (!reps.empty() && rng.Chance(kOwnedShare[static_cast<size_t>(c.size_index)])) {
    c.owner = rng.Pick(std::span<const UserId>(reps));
  }
  return c;
}

std::string LocalPart(EmailShape shape, const std::string& f, const std::string& l) {
  switch (shape) {
    case EmailShape::kInitialLast:
      return f.substr(0, 1) + l;
    case EmailShape::kFirst:
      return f;
    case EmailShape::kFirstLastInitial:
      return f + l.substr(0, 1);
    case EmailShape::kFirstUnderLast:
      return f + "_" + l;
    case EmailShape::kFirstDotLast:
      break;
  }
  return f + "." + l;
}

// local@domain, or local2@domain, local3@… when taken.
std::string UniqueEmail(const std::string& local, std::string_view domain, Names& emails) {
  std::string email = local + "@" + std::string(domain);
  for (int n = 2; emails.contains(email); ++n) {
    email = local + std::to_string(n) + "@" + std::string(domain);
  }
  emails.insert(email);
  return email;
}

std::string FillPattern(Rng& rng, std::string_view pattern) {
  std::string out(pattern);
  for (char& c : out) {
    if (c == '#') c = static_cast<char>('0' + rng.Int(0, 9));
    if (c == 'N') c = static_cast<char>('0' + rng.Int(2, 9));
  }
  return out;
}

// Mostly one valid phone, sometimes two; ~3% none and ~3% unusable.
std::vector<std::string> PlanPhones(Rng& rng, const CountryInfo& home) {
  double r = rng.Unit();
  if (r < 0.03) return {};
  if (r < 0.06) return {std::string(rng.Pick(std::span<const std::string_view>(kBadPhones)))};
  std::span<const std::string_view> shapes(home.phones);
  std::vector<std::string> out{FillPattern(rng, rng.Pick(shapes))};
  if (rng.Chance(0.12)) out.push_back(FillPattern(rng, rng.Pick(shapes)));
  return out;
}

const TitleInfo& PlanTitle(Rng& rng, const CompanyPlan& c) {
  for (;;) {
    const TitleInfo& t = rng.PickByWeight(Titles());
    if (t.department == "education" && c.industry->name != "education") continue;
    if (t.department == "healthcare" && c.industry->name != "healthcare") continue;
    if (t.seniority == "c_level" || c.size_index > 0 || !rng.Chance(0.25)) return t;
  }
}

void PlanName(Rng& rng, const CountryInfo& home, PersonPlan& p) {
  auto groups = NameGroups();
  bool mixed = rng.Chance(home.names == 0 ? 0.3 : 0.08);
  const NameGroup& g = mixed ? rng.Pick(groups) : groups[static_cast<size_t>(home.names)];
  p.first_name = rng.Pick(g.first);
  p.last_name = rng.Pick(g.last);
}

// Swaps two neighbouring letters of an ASCII word ("Emily" → "Emliy"); leaves others alone.
std::string Typo(Rng& rng, const std::string& word) {
  bool ascii = std::all_of(word.begin(), word.end(),
                           [](char c) { return static_cast<unsigned char>(c) < 0x80 && c != ' '; });
  if (!ascii || word.size() < 4) return word;
  std::string out = word;
  size_t i = static_cast<size_t>(rng.Int(1, static_cast<int64_t>(word.size()) - 2));
  std::swap(out[i], out[i + 1]);
  return out == word ? word + word.back() : out;
}

PersonPlan PlanPerson(Rng& rng, const Population& pop, size_t ci, Names& emails) {
  const CompanyPlan& c = pop.companies[ci];
  PersonPlan p{.company = ci, .owner = c.owner};
  p.home = rng.Chance(0.92) ? c.country : &rng.PickByWeight(Countries());
  p.country = std::string(p.home->code);
  PlanName(rng, *p.home, p);
  const TitleInfo& title = PlanTitle(rng, c);
  if (!rng.Chance(0.025)) p.job_title = title.title;
  p.truth.fit =
      Clamp01(0.5 * title.fit + 0.25 * c.industry->fit + 0.25 * c.size->fit + rng.Noise(0.12));
  double u = rng.Unit();
  p.truth.intent = Clamp01(0.75 * u * u + c.in_market * rng.Range(0.6, 1.0) + rng.Noise(0.05));
  std::string f = Slug(p.first_name), l = Slug(p.last_name);
  if (rng.Chance(0.07)) {
    std::string_view domain = rng.Chance(0.5) ? p.home->free_mail : rng.Pick(FreeMailDomains());
    p.email = UniqueEmail(f + "." + l + std::to_string(rng.Int(1, 99)), domain, emails);
  } else {
    p.email = UniqueEmail(LocalPart(c.email_shape, f, l), c.domain, emails);
  }
  p.bounces = rng.Chance(0.02);
  p.phones = PlanPhones(rng, *p.home);
  return p;
}

// A near-duplicate of `original`: another e-mail shape, a free-mail address or a typo'd name.
PersonPlan PlanDuplicate(Rng& rng, const Population& pop, size_t original, Names& emails) {
  PersonPlan d = pop.people[original];
  d.duplicate_of = static_cast<int64_t>(original);
  d.bounces = false;
  const CompanyPlan& c = pop.companies[d.company];
  double r = rng.Unit();
  if (r < 0.3) d.first_name = Typo(rng, d.first_name);
  std::string f = Slug(d.first_name), l = Slug(d.last_name);
  if (r >= 0.3 && r < 0.6) {
    d.email = UniqueEmail(f + "." + l, rng.Pick(FreeMailDomains()), emails);
  } else {
    auto shape = c.email_shape == EmailShape::kFirstDotLast ? EmailShape::kInitialLast
                                                            : EmailShape::kFirstDotLast;
    d.email = UniqueEmail(LocalPart(shape, f, l), c.domain, emails);
  }
  if (rng.Chance(0.5)) d.phones.clear();
  return d;
}

// Which company each person works at: one each first, then in proportion to headcount.
std::vector<size_t> AssignCompanies(Rng& rng, const std::vector<CompanyPlan>& companies,
                                    int people) {
  std::vector<double> cumulative;
  double total = 0;
  for (const CompanyPlan& c : companies) cumulative.push_back(total += c.size->headcount);
  std::vector<size_t> out;
  for (size_t i = 0; i < static_cast<size_t>(people); ++i) {
    if (i < companies.size()) {
      out.push_back(i);
      continue;
    }
    auto it = std::upper_bound(cumulative.begin(), cumulative.end(), rng.Unit() * total);
    out.push_back(std::min(companies.size() - 1, static_cast<size_t>(it - cumulative.begin())));
  }
  return out;
}

Status WriteCompany(store::WriteTxn& txn, CompanyPlan& c, const ingest::RecordOptions& opt) {
  ingest::CompanyFields f{.name = c.name,
                          .domain = c.domain,
                          .industry = std::string(c.industry->name),
                          .size_band = std::string(c.size->band),
                          .country = std::string(c.country->code)};
  if (c.owner.valid()) f.owner = c.owner;
  auto created = ingest::CreateCompany(txn, f, opt);
  if (!created.ok()) return created.status();
  c.id = created->company.id;
  return Status::Ok();
}

Status WritePerson(store::WriteTxn& txn, PersonPlan& p, CompanyId company,
                   ingest::RecordOptions opt) {
  opt.phone_region = std::string(p.home->code);
  ingest::PersonFields f{.first_name = p.first_name,
                         .last_name = p.last_name,
                         .country = p.country,
                         .emails = std::vector<std::string>{p.email},
                         .company = company};
  if (!p.job_title.empty()) f.job_title = p.job_title;
  if (!p.phones.empty()) f.phones = p.phones;
  if (p.owner.valid()) f.owner = p.owner;
  auto created = ingest::CreatePerson(txn, f, opt);
  if (!created.ok()) return created.status();
  p.id = created->person.id;
  return Status::Ok();
}

}  // namespace

Status WritePopulation(store::WriteTxn& txn, Population& pop) {
  ingest::RecordOptions opt{.actor = "demo", .reason = "demo company"};
  for (CompanyPlan& c : pop.companies) TANDEM_RETURN_IF_ERROR(WriteCompany(txn, c, opt));
  for (PersonPlan& p : pop.people) {
    TANDEM_RETURN_IF_ERROR(WritePerson(txn, p, pop.companies[p.company].id, opt));
  }
  return Status::Ok();
}

Population PlanPopulation(uint64_t seed, int people, const Org& org) {
  Population pop;
  Rng rng = Rng::For(seed, kCompanyStream, 0);
  Names names, domains, emails;
  size_t n_companies = static_cast<size_t>(std::max(600, people / 8));
  for (size_t i = 0; i < n_companies; ++i) {
    pop.companies.push_back(PlanCompany(rng, org, names, domains));
  }
  std::vector<size_t> at = AssignCompanies(rng, pop.companies, people);
  for (size_t i = 0; i < at.size(); ++i) {
    Rng prng = Rng::For(seed, kPeopleStream, i);
    pop.people.push_back(PlanPerson(prng, pop, at[i], emails));
  }
  Rng drng = Rng::For(seed, kDuplicateStream, 0);
  for (size_t i = 0; i < at.size(); ++i) {
    if (!drng.Chance(0.02)) continue;
    pop.people.push_back(PlanDuplicate(drng, pop, i, emails));
    ++pop.duplicates;
  }
  return pop;
}

}  // namespace tandem::app::demo
