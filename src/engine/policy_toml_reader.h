// Internal to the policy parser (policy_toml*.cc): reading TOML tables while collecting every
// problem as a FieldError with its key path and line, instead of stopping at the first.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/policy.h"

namespace tandem::engine::policy_toml {

// "scoring[2]" + "points" → "scoring[2].points"; "" + "name" → "name".
std::string Join(std::string_view path, std::string_view key);
// "scoring" + 2 → "scoring[2]".
std::string Index(std::string_view path, size_t i);
// The 1-based line a node starts on (1 when toml++ knows none).
int LineOf(const toml::node& node);

// The problems found so far. Not thread-safe; one per parse.
class Errors {
 public:
  void Add(std::string field, int line, std::string reason);
  bool empty() const { return list_.empty(); }
  size_t size() const { return list_.size(); }
  // Sorted by line, in the order found within a line.
  std::vector<FieldError> Take();

 private:
  std::vector<FieldError> list_;
};

// One TOML table being read. Each getter marks its key as known, reports a wrong type or
// value under the key's path and returns nullopt then (also when an optional key is absent);
// ReportUnknownKeys then names every key no getter asked for.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string path, Errors& errors);

  const std::string& path() const { return path_; }
  int line() const { return policy_toml::LineOf(table_); }
  Errors& errors() { return errors_; }
  std::string PathOf(std::string_view key) const { return Join(path_, key); }
  // The key's line, or the table's when absent.
  int LineOf(std::string_view key) const;

  // Marks `key` known; the node or nullptr. Reports "required" when absent and required.
  const toml::node* Get(std::string_view key, bool required);
  bool Has(std::string_view key) const { return table_.contains(key); }

  std::optional<std::string> String(std::string_view key, bool required);  // non-empty
  std::optional<int64_t> Integer(std::string_view key, bool required, int64_t min, int64_t max);
  std::optional<double> Number(std::string_view key, bool required);  // int or float, finite
  std::optional<bool> Bool(std::string_view key, bool required);
  // A non-empty array of non-empty strings.
  std::optional<std::vector<std::string>> Strings(std::string_view key, bool required);
  const toml::table* Table(std::string_view key, bool required);
  // An array whose elements are all tables (inline or [[…]]).
  const toml::array* Tables(std::string_view key, bool required);
  // An id: 1–64 characters of a-z, 0-9 and _.
  std::optional<std::string> Id(std::string_view key);

  // Reports a problem with `key`'s value at its line.
  void Error(std::string_view key, std::string reason);
  void ReportUnknownKeys();

 private:
  const toml::table& table_;
  std::string path_;
  Errors& errors_;
  std::vector<std::string> known_;
};

// Ids seen in one list, to report duplicates with the line of the first.
class IdSet {
 public:
  void Check(TableReader& r, const std::optional<std::string>& id);

 private:
  std::map<std::string, int> first_line_;
};

// The activity types a policy may name: the builtins plus an install's custom types.
bool IsKnownActivityType(std::string_view name, std::span<const std::string> custom_types);

// `where = [{ key, equals, contains }, …]` under `r`; empty when absent or wrong.
std::vector<PropertyTest> ReadWhere(TableReader& r);
// `fact = "…"` and `in = [ … ]` of a persona criterion or a fact condition, values checked
// for the fact (six seniorities, four regions, six size bands, two-letter countries).
std::optional<FactTest> ReadFactTest(TableReader& r);
// A whole number of days in 1..3650 as a Duration.
std::optional<Duration> ReadDays(TableReader& r, std::string_view key);

// Why `value` is not a valid value for `fact` (a seniority, region, size band or two-letter
// country code where the fact takes one); empty if it is.
std::string CheckFactValue(Fact fact, const std::string& value);

// Calls read(element reader) for each table of the array `key` under `root` (elements that
// are not tables are reported by Tables). Element paths are Index(root.PathOf(key), i).
template <typename F>
void ForEachTableOf(TableReader& root, std::string_view key, bool required, F read) {
  const toml::array* array = root.Tables(key, required);
  if (!array) return;
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::table* t = array->get(i)->as_table();
    if (!t) continue;
    TableReader r(*t, Index(root.PathOf(key), i), root.errors());
    read(r);
  }
}

// The TOML tree of a document. A syntax error is kInvalidArgument with one error: an empty
// path, the parser's description and its line. `what` names the document ("SLA").
Result<toml::table> ParseDocument(std::string_view text, std::string_view what);
// kInvalidArgument with every error found, sorted by line, and a message naming the first:
// "the SLA is invalid: line 3: name: required (and 2 more)". REQUIRES: !errors.empty().
Status InvalidDocument(std::string_view what, Errors& errors);

// The stage rules under `root` (policy_toml_stages.cc). REQUIRES: personas already read.
std::vector<StageRule> ReadStages(TableReader& root, std::span<const Persona> personas,
                                  std::span<const std::string> custom_types);

}  // namespace tandem::engine::policy_toml
