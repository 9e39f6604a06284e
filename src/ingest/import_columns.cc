// Header → columns: built-in field names and their aliases per kind, numbered columns of
// multi-valued fields, --map overrides, and the checks that a header can identify records.
#include <algorithm>
#include <cctype>
#include <set>
#include <span>

#include "ingest/import_internal.h"

namespace tandem::ingest::import_internal {
namespace {

std::span<const FieldSpec> FieldsOf(ImportKind kind) {
  static constexpr FieldSpec kPeople[] = {
      {Field::kEmail,
       "email e_mail mail email_address e_mail_address work_email business_email "
       "personal_email secondary_email other_email"},
      {Field::kFirstName, "first_name firstname first given_name forename"},
      {Field::kLastName, "last_name lastname last surname family_name"},
      {Field::kPhone,
       "phone phone_number telephone tel mobile mobile_phone mobile_number cell cell_phone "
       "work_phone business_phone"},
      {Field::kJobTitle, "job_title title jobtitle position"},
      {Field::kCompany,
       "company company_name organization organisation account account_name employer"},
      {Field::kCompanyDomain,
       "company_domain website domain company_website web_site url company_url"},
      {Field::kCountry, "country country_code"},
      {Field::kOwnerEmail, "owner_email owner contact_owner lead_owner owner_e_mail"},
      {Field::kExternalId, "external_id externalid"}};
  static constexpr FieldSpec kCompanies[] = {
      {Field::kName, "name company company_name account account_name organization organisation"},
      {Field::kDomain, "domain website company_domain company_website web_site url"},
      {Field::kIndustry, "industry sector"},
      {Field::kSizeBand,
       "size_band size company_size employees number_of_employees employee_count headcount"},
      {Field::kCountry, "country country_code"},
      {Field::kOwnerEmail, "owner_email owner account_owner owner_e_mail"}};
  static constexpr FieldSpec kActivities[] = {
      {Field::kId, "id activity_id event_id"},
      {Field::kType, "type activity_type event_type event"},
      {Field::kEmail, "email e_mail email_address"},
      {Field::kPersonId, "person_id"},
      {Field::kExternalId, "external_id externalid"},
      {Field::kOccurredAt, "occurred_at timestamp time date occurred when"},
      {Field::kSource, "source"}};
  switch (kind) {
    case ImportKind::kPeople:
      return kPeople;
    case ImportKind::kCompanies:
      return kCompanies;
    case ImportKind::kActivities:
      return kActivities;
  }
  return {};
}

// "E-mail Address " → "e_mail_address": lower case, runs of punctuation and space to one '_'.
std::string ColumnKey(std::string_view header) {
  std::string out;
  bool gap = false;
  for (unsigned char c : Trim(header)) {
    if (std::isalnum(c) || c >= 0x80) {
      if (gap && !out.empty()) out.push_back('_');
      gap = false;
      out.push_back(static_cast<char>(std::tolower(c)));
    } else {
      gap = true;
    }
  }
  return out;
}

std::string_view NameOf(ImportKind kind, Field field) {
  for (const auto& f : FieldsOf(kind)) {
    if (f.field == field) return f.name();
  }
  return "";
}

bool IsMultiValued(ImportKind kind, Field f) {
  return kind == ImportKind::kPeople && (f == Field::kEmail || f == Field::kPhone);
}

std::optional<Field> LookupField(ImportKind kind, const std::string& key) {
  for (const auto& f : FieldsOf(kind)) {
    if (f.Matches(key)) return f.field;
  }
  // "email_2", "Phone 3": numbered columns of a field that takes several values.
  size_t end = key.find_last_not_of("0123456789");
  if (end == std::string::npos || end + 1 == key.size()) return std::nullopt;
  std::string base = key.substr(0, key[end] == '_' ? end : end + 1);
  auto f = LookupField(kind, base);
  if (f && IsMultiValued(kind, *f)) return f;
  return std::nullopt;
}

std::string FieldList(ImportKind kind) {
  std::string out;
  for (const auto& f : FieldsOf(kind)) out += (out.empty() ? "" : ", ") + std::string(f.name());
  return out;
}

Status ApplyOverride(ImportKind kind, const std::string& target, Column& c) {
  std::string t(Trim(target));
  std::string lower = AsciiLower(t);
  if (t.empty() || t == "-") {
    c.field = Field::kSkip;
  } else if (StartsWith(t, "custom.") && t.size() > 7 && kind != ImportKind::kCompanies) {
    c.field = Field::kExtra;
    c.extra = t.substr(7);
  } else if (auto f = FieldNamed(kind, lower)) {
    c.field = *f;
  } else {
    return InvalidArgument("--map " + c.header + "=" + t + ": no such field; fields are " +
                           FieldList(kind) + ", custom.NAME, or - to skip the column");
  }
  return Status::Ok();
}

Status CheckIdentifiable(ImportKind kind, const std::vector<Column>& cols) {
  auto has = [&](Field f) {
    return std::any_of(cols.begin(), cols.end(), [&](const Column& c) { return c.field == f; });
  };
  switch (kind) {
    case ImportKind::kPeople:
      if (has(Field::kEmail) || has(Field::kExternalId)) return Status::Ok();
      return InvalidArgument("no column gives email or external_id (use --map COLUMN=email)");
    case ImportKind::kCompanies:
      if (has(Field::kName) || has(Field::kDomain)) return Status::Ok();
      return InvalidArgument("no column gives a company's name or domain (use --map)");
    case ImportKind::kActivities:
      if (!has(Field::kType)) return InvalidArgument("no column gives the activity type");
      if (!has(Field::kOccurredAt)) return InvalidArgument("no column gives occurred_at");
      if (has(Field::kEmail) || has(Field::kPersonId) || has(Field::kExternalId)) {
        return Status::Ok();
      }
      return InvalidArgument("no column gives email, person_id or external_id");
  }
  return Status::Ok();
}

// Decides what column c gives: an --map override, a field or alias, or an extra column.
Status MapColumn(ImportKind kind, const std::map<std::string, std::string>& by_key,
                 std::set<std::string>& used, Column& c, std::vector<ExtraColumn>& extras) {
  std::string key = ColumnKey(c.header);
  if (auto o = by_key.find(key); o != by_key.end()) {
    used.insert(key);
    TANDEM_RETURN_IF_ERROR(ApplyOverride(kind, o->second, c));
  } else if (auto f = LookupField(kind, key)) {
    c.field = *f;
  } else if (kind == ImportKind::kCompanies) {
    extras.push_back({c.header, ""});  // companies have no custom fields
  } else {
    c.field = Field::kExtra;
    c.extra = key.empty() ? c.header : key;
  }
  if (c.field != Field::kExtra) return Status::Ok();
  if (kind == ImportKind::kPeople && c.extra.size() > 64) {
    return InvalidArgument("column '" + c.header +
                           "': a custom field name is at most 64 bytes (use --map)");
  }
  extras.push_back({c.header, c.extra});
  return Status::Ok();
}

// Refuses two columns giving one single-valued field or one custom field.
Status CheckUnique(ImportKind kind, const Column& c, std::set<std::string>& seen) {
  if (c.field == Field::kSkip || IsMultiValued(kind, c.field)) return Status::Ok();
  std::string name =
      c.field == Field::kExtra ? "custom." + c.extra : std::string(NameOf(kind, c.field));
  if (seen.insert(name).second) return Status::Ok();
  return InvalidArgument("column '" + c.header + "' gives " + name +
                         ", which an earlier column already gives");
}

}  // namespace

std::optional<Field> FieldNamed(ImportKind kind, std::string_view name) {
  for (const auto& f : FieldsOf(kind)) {
    if (f.name() == name) return f.field;
  }
  return std::nullopt;
}

Result<std::vector<Column>> MapHeader(ImportKind kind, std::vector<std::string> names,
                                      const std::map<std::string, std::string>& overrides,
                                      std::vector<ExtraColumn>& extras) {
  while (!names.empty() && Trim(names.back()).empty()) names.pop_back();
  if (names.empty()) return InvalidArgument("the header row names no columns");
  std::map<std::string, std::string> by_key;
  for (const auto& [k, v] : overrides) by_key[ColumnKey(k)] = v;
  std::set<std::string> used, seen;
  std::vector<Column> cols;
  for (size_t i = 0; i < names.size(); ++i) {
    Column c{.header = std::string(Trim(names[i]))};
    if (c.header.empty()) {
      return InvalidArgument("column " + std::to_string(i + 1) + " of the header has no name");
    }
    TANDEM_RETURN_IF_ERROR(MapColumn(kind, by_key, used, c, extras));
    TANDEM_RETURN_IF_ERROR(CheckUnique(kind, c, seen));
    cols.push_back(std::move(c));
  }
  for (const auto& [k, v] : overrides) {
    if (!used.contains(ColumnKey(k))) {
      return InvalidArgument("--map names column '" + k + "', which the header does not have");
    }
  }
  TANDEM_RETURN_IF_ERROR(CheckIdentifiable(kind, cols));
  return cols;
}

}  // namespace tandem::ingest::import_internal
