#include "engine/policy_toml_reader.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>

#include "base/strings.h"
#include "domain/activity_type.h"
#include "domain/person.h"

namespace tandem::engine::policy_toml {

std::string Join(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  std::string out(path);
  out += '.';
  out += key;
  return out;
}

std::string Index(std::string_view path, size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

int LineOf(const toml::node& node) {
  auto line = node.source().begin.line;
  return line == 0 ? 1 : static_cast<int>(line);
}

void Errors::Add(std::string field, int line, std::string reason) {
  list_.push_back({std::move(field), std::move(reason), line});
}

std::vector<FieldError> Errors::Take() {
  std::stable_sort(list_.begin(), list_.end(),
                   [](const FieldError& a, const FieldError& b) { return a.line < b.line; });
  return std::move(list_);
}

TableReader::TableReader(const toml::table& table, std::string path, Errors& errors)
    : table_(table), path_(std::move(path)), errors_(errors) {}

int TableReader::LineOf(std::string_view key) const {
  const toml::node* node = table_.get(key);
  return node ? policy_toml::LineOf(*node) : line();
}

const toml::node* TableReader::Get(std::string_view key, bool required) {
  known_.emplace_back(key);
  const toml::node* node = table_.get(key);
  if (!node && required) errors_.Add(PathOf(key), line(), "required");
  return node;
}

void TableReader::Error(std::string_view key, std::string reason) {
  errors_.Add(PathOf(key), LineOf(key), std::move(reason));
}

std::optional<std::string> TableReader::String(std::string_view key, bool required) {
  const toml::node* node = Get(key, required);
  if (!node) return std::nullopt;
  const auto* s = node->as_string();
  if (!s) {
    Error(key, "must be a string");
    return std::nullopt;
  }
  if (s->get().empty()) {
    Error(key, "must not be empty");
    return std::nullopt;
  }
  return s->get();
}

std::optional<int64_t> TableReader::Integer(std::string_view key, bool required, int64_t min,
                                            int64_t max) {
  const toml::node* node = Get(key, required);
  if (!node) return std::nullopt;
  const auto* i = node->as_integer();
  if (!i) {
    Error(key, node->is_floating_point() ? "must be a whole number" : "must be an integer");
    return std::nullopt;
  }
  if (i->get() < min || i->get() > max) {
    Error(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return i->get();
}

std::optional<double> TableReader::Number(std::string_view key, bool required) {
  const toml::node* node = Get(key, required);
  if (!node) return std::nullopt;
  std::optional<double> v;
  if (const auto* i = node->as_integer()) v = static_cast<double>(i->get());
  if (const auto* f = node->as_floating_point()) v = f->get();
  if (!v) {
    Error(key, "must be a number");
    return std::nullopt;
  }
  if (!std::isfinite(*v)) {
    Error(key, "must be a finite number");
    return std::nullopt;
  }
  return v;
}

std::optional<bool> TableReader::Bool(std::string_view key, bool required) {
  const toml::node* node = Get(key, required);
  if (!node) return std::nullopt;
  const auto* b = node->as_boolean();
  if (!b) {
    Error(key, "must be true or false");
    return std::nullopt;
  }
  return b->get();
}

std::optional<std::vector<std::string>> TableReader::Strings(std::string_view key, bool required) {
  const toml::node* node = Get(key, required);
  if (!node) return std::nullopt;
  const auto* array = node->as_array();
  if (!array) {
    Error(key, "must be an array of strings");
    return std::nullopt;
  }
  if (array->empty()) {
    Error(key, "must not be empty");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    const auto* s = element.as_string();
    if (!s || s->get().empty()) {
      errors_.Add(Index(PathOf(key), i), policy_toml::LineOf(element),
                  s ? "must not be empty" : "must be a string");
      continue;
    }
    out.push_back(s->get());
  }
  if (out.size() != array->size()) return std::nullopt;
  return out;
}

const toml::table* TableReader::Table(std::string_view key, bool required) {
  const toml::node* node = Get(key, required);
  if (!node) return nullptr;
  if (!node->is_table()) Error(key, "must be a table");
  return node->as_table();
}

const toml::array* TableReader::Tables(std::string_view key, bool required) {
  const toml::node* node = Get(key, required);
  if (!node) return nullptr;
  const auto* array = node->as_array();
  if (!array) {
    Error(key, "must be an array of tables");
    return nullptr;
  }
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    if (!element.is_table()) {
      errors_.Add(Index(PathOf(key), i), policy_toml::LineOf(element), "must be a table");
    }
  }
  return array;
}

std::optional<std::string> TableReader::Id(std::string_view key) {
  auto id = String(key, true);
  if (!id) return std::nullopt;
  bool ok = id->size() <= 64 && std::all_of(id->begin(), id->end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
            });
  if (!ok) {
    Error(key, "must be 1-64 characters of a-z, 0-9 and _");
    return std::nullopt;
  }
  return id;
}

void TableReader::ReportUnknownKeys() {
  for (const auto& [key, node] : table_) {
    if (std::find(known_.begin(), known_.end(), key.str()) != known_.end()) continue;
    errors_.Add(PathOf(key.str()), policy_toml::LineOf(node), "unknown key");
  }
}

void IdSet::Check(TableReader& r, const std::optional<std::string>& id) {
  if (!id) return;
  auto [it, inserted] = first_line_.emplace(*id, r.LineOf("id"));
  if (!inserted) {
    r.Error("id",
            "duplicate id \"" + *id + "\" (first at line " + std::to_string(it->second) + ")");
  }
}

bool IsKnownActivityType(std::string_view name, std::span<const std::string> custom_types) {
  if (FindBuiltinActivityType(name)) return true;
  return std::find(custom_types.begin(), custom_types.end(), name) != custom_types.end();
}

std::vector<PropertyTest> ReadWhere(TableReader& r) {
  std::vector<PropertyTest> out;
  const toml::array* where = r.Tables("where", false);
  if (!where) return out;
  for (size_t i = 0; i < where->size(); ++i) {
    const toml::table* t = where->get(i)->as_table();
    if (!t) continue;
    TableReader w(*t, Index(r.PathOf("where"), i), r.errors());
    PropertyTest test;
    if (auto key = w.String("key", true)) test.key = *key;
    if (auto equals = w.Strings("equals", false)) test.equals = *equals;
    if (auto contains = w.Strings("contains", false)) test.contains = *contains;
    if (!w.Has("equals") && !w.Has("contains")) {
      r.errors().Add(w.path(), w.line(), "a property test needs equals or contains");
    }
    w.ReportUnknownKeys();
    out.push_back(std::move(test));
  }
  return out;
}

std::string CheckFactValue(Fact fact, const std::string& value) {
  static constexpr std::string_view kSeniorities[] = {"entry",    "senior", "manager",
                                                      "director", "vp",     "c_level"};
  static constexpr std::string_view kRegions[] = {"emea", "na", "latam", "apac"};
  std::string lower = AsciiLower(value);
  auto in = [&](auto& list) {
    return std::find(std::begin(list), std::end(list), lower) != std::end(list);
  };
  switch (fact) {
    case Fact::kSeniority:
      return in(kSeniorities) ? ""
                              : "not a seniority (entry, senior, manager, director, vp, c_level)";
    case Fact::kRegion:
      return in(kRegions) ? "" : "not a region (EMEA, NA, LATAM, APAC)";
    case Fact::kSizeBand:
      return IsValidSizeBand(value) ? ""
                                    : "not a size band (1-10, 11-50, 51-200, 201-1000, "
                                      "1001-5000, 5000+)";
    case Fact::kCountry:
    case Fact::kCompanyCountry: {
      bool letters = value.size() == 2 && std::isalpha(static_cast<unsigned char>(value[0])) &&
                     std::isalpha(static_cast<unsigned char>(value[1]));
      return letters ? "" : "not a two-letter ISO 3166 country code";
    }
    case Fact::kJobTitle:
    case Fact::kEmailDomain:
    case Fact::kIndustry:
      break;
  }
  return "";
}

std::optional<FactTest> ReadFactTest(TableReader& r) {
  auto name = r.String("fact", true);
  auto in = r.Strings("in", true);
  std::optional<Fact> fact;
  if (name) {
    fact = ParseFact(*name);
    if (!fact) {
      r.Error("fact", "unknown fact \"" + *name +
                          "\" (job_title, seniority, country, region, email_domain, industry, "
                          "size_band, company_country)");
    }
  }
  if (!fact || !in) return std::nullopt;
  bool ok = true;
  const toml::array& values = *r.Get("in", false)->as_array();
  for (size_t i = 0; i < in->size(); ++i) {
    std::string why = CheckFactValue(*fact, (*in)[i]);
    if (why.empty()) continue;
    r.errors().Add(Index(r.PathOf("in"), i), LineOf(*values.get(i)), std::move(why));
    ok = false;
  }
  if (!ok) return std::nullopt;
  return FactTest{*fact, std::move(*in)};
}

std::optional<Duration> ReadDays(TableReader& r, std::string_view key) {
  auto days = r.Integer(key, false, 1, 3650);
  if (!days) return std::nullopt;
  return std::chrono::duration_cast<Duration>(std::chrono::days(*days));
}

namespace {

std::string Summary(std::string_view what, const std::vector<FieldError>& errors) {
  const FieldError& first = errors.front();
  std::string out =
      "the " + std::string(what) + " is invalid: line " + std::to_string(first.line) + ": ";
  if (!first.field.empty()) out += first.field + ": ";
  out += first.reason;
  if (errors.size() > 1) out += " (and " + std::to_string(errors.size() - 1) + " more)";
  return out;
}

}  // namespace

Result<toml::table> ParseDocument(std::string_view text, std::string_view what) {
  try {
    return toml::parse(text);
  } catch (const toml::parse_error& e) {
    int line = std::max(1, static_cast<int>(e.source().begin.line));
    std::vector<FieldError> errors{{"", std::string(e.description()), line}};
    std::string summary = Summary(what, errors);
    return InvalidArgument(std::move(summary), std::move(errors));
  }
}

Status InvalidDocument(std::string_view what, Errors& errors) {
  std::vector<FieldError> list = errors.Take();
  std::string summary = Summary(what, list);
  return InvalidArgument(std::move(summary), std::move(list));
}

}  // namespace tandem::engine::policy_toml
