// The fixed vocabulary the demo company is drawn from: countries, names, job titles,
// industries, size bands and marketing content. Constant tables; thread-safe.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>

namespace tandem::app::demo {

enum class Region { kEmea, kNa, kLatam, kApac };

struct CountryInfo {
  std::string_view code;  // ISO 3166 alpha-2
  Region region;
  double weight;           // share of companies
  int utc_offset;          // hours, ignoring daylight saving
  std::string_view tld;    // for company web domains
  std::string_view legal;  // company name suffix, may be empty
  int names;               // index into NameGroups()
  // Phone number shapes valid in the country: '#' is a random digit, 'N' one of 2-9.
  std::array<std::string_view, 3> phones;
  std::string_view free_mail;  // the local free-mail provider
};

struct NameGroup {
  std::span<const std::string_view> first, last;
};

struct TitleInfo {
  std::string_view title;
  std::string_view seniority;  // entry, senior, manager, director, vp, c_level
  std::string_view department;
  double fit;     // how well the title matches the buyer persona, 0..1
  double weight;  // how common it is
};

struct IndustryInfo {
  std::string_view name;
  double fit, weight;
  std::span<const std::string_view> suffixes;  // "Software", "Logistics", …
};

struct SizeBandInfo {
  std::string_view band;
  double fit, weight;
  double headcount;            // relative number of people Tandem knows there
  int64_t deal_min, deal_max;  // yearly contract value
};

struct WebinarInfo {
  std::string_view slug, title;
};

std::span<const CountryInfo> Countries();
std::span<const NameGroup> NameGroups();
std::span<const TitleInfo> Titles();
std::span<const IndustryInfo> Industries();
std::span<const SizeBandInfo> SizeBands();
std::span<const std::string_view> CompanyWords();
std::span<const std::string_view> FreeMailDomains();
// Pages anyone browses, pages someone evaluating the product reads, pages customers use.
std::span<const std::string_view> GeneralPages();
std::span<const std::string_view> ResearchPages();
std::span<const std::string_view> CustomerPages();
std::span<const std::string_view> Referrers();
std::span<const std::string_view> Assets();
std::span<const WebinarInfo> Webinars();
std::span<const std::string_view> LossReasons();

// Folds the accented letters the name lists use to ASCII and lower-cases, for e-mail local
// parts and web domains ("José Müller" → "josemuller"); drops anything else non-alphanumeric.
std::string Slug(std::string_view text);

}  // namespace tandem::app::demo
