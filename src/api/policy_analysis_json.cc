#include "api/policy_analysis_json.h"

#include <cmath>
#include <cstdio>

#include "api/json_writer.h"

namespace tandem::api {
namespace {

// A number with up to `decimals` decimals, trailing zeros dropped; null if unset or not finite.
std::string Number(std::optional<double> v, int decimals) {
  if (!v || !std::isfinite(*v)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, *v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

std::string Share(std::optional<double> v) { return Number(v, 4); }

JsonWriter& Time(JsonWriter& w, std::optional<Timestamp> t) {
  return t ? w.String(FormatTimestamp(*t)) : w.Null();
}

void Mix(JsonWriter& w, const char* key, const std::vector<ingest::MixItem>& items) {
  w.Key(key).BeginObject();
  for (const auto& m : items) w.Key(m.name).Int(m.mqls);
  w.EndObject();
}

void Figures(JsonWriter& w, const ingest::BacktestFigures& f) {
  w.BeginObject().Key("mqls").Int(f.mqls).Key("sqls").Int(f.sqls);
  w.Key("mqls_reaching_sql").Int(f.mqls_reaching_sql);
  w.Key("mqls_reaching_customer").Int(f.mqls_reaching_customer);
  w.Key("mql_to_sql").Raw(Share(f.mql_to_sql));
  w.Key("mql_to_customer").Raw(Share(f.mql_to_customer));
  Mix(w, "personas", f.personas);
  Mix(w, "grades", f.grades);
  w.EndObject();
}

void Weeks(JsonWriter& w, const ingest::BacktestReport& r) {
  w.Key("weeks").BeginArray();
  for (const auto& week : r.weeks) {
    w.BeginObject().Key("week").String(week.week);
    w.Key("starts").String(FormatTimestamp(week.starts).substr(0, 10));
    w.Key("active");
    Figures(w, week.active);
    w.Key("candidate");
    Figures(w, week.candidate);
    w.EndObject();
  }
  w.EndArray();
}

void Differences(JsonWriter& w, const ingest::BacktestReport& r) {
  w.Key("differing").BeginObject().Key("people").Int(r.people_differing);
  w.Key("items").BeginArray();
  for (const auto& d : r.differences) {
    w.BeginObject().Key("person").Int(d.person.value());
    w.Key("active").String(StageName(d.active)).Key("candidate").String(StageName(d.candidate));
    w.EndObject();
  }
  w.EndArray().EndObject();
}

void Group(JsonWriter& w, const ingest::ConversionGroup& g, bool band) {
  w.BeginObject();
  if (band) {
    w.Key("label").String(g.label).Key("from").Raw(Number(g.low, 4));
    w.Key("to").Raw(Number(g.high, 4));
  } else {
    w.Key("grade").String(g.label);
  }
  w.Key("people").Int(g.people).Key("converted").Int(g.converted);
  w.Key("rate").Raw(Share(g.rate)).EndObject();
}

void Answer(JsonWriter& w, const char* key, const std::optional<ingest::ThresholdAnswer>& a) {
  if (!a) return;
  w.Key(key).BeginObject().Key("target").Raw(Number(a->target, 4)).Key("met").Bool(a->met);
  w.Key("score_at_least");
  a->score_at_least ? w.Int(*a->score_at_least) : w.Null();
  w.Key("people").Int(a->people).Key("converted").Int(a->converted);
  w.Key("mqls_per_month").Raw(Number(a->mqls_per_month, 2));
  w.Key("conversion_rate").Raw(Share(a->rate));
  w.Key("note");
  a->note.empty() ? w.Null() : w.String(a->note);
  w.EndObject();
}

}  // namespace

std::string BacktestJson(const ingest::BacktestReport& r) {
  JsonWriter w;
  w.BeginObject().Key("window").BeginObject().Key("from");
  Time(w, r.window.from).Key("to");
  Time(w, r.window.to).EndObject();
  w.Key("active").BeginObject().Key("version").Int(r.active_version);
  w.Key("name").String(r.active_name).EndObject();
  w.Key("candidate").BeginObject().Key("name").String(r.candidate_name).EndObject();
  Weeks(w, r);
  w.Key("total").BeginObject().Key("active");
  Figures(w, r.active);
  w.Key("candidate");
  Figures(w, r.candidate);
  w.EndObject();
  Differences(w, r);
  w.Key("read").BeginObject().Key("journal_entries").Int(r.entries_read);
  w.Key("activities").Int(r.activities_read).Key("people").Int(r.people);
  w.Key("elapsed_ms").Int(r.elapsed_ms).EndObject();
  return std::move(w.EndObject().str());
}

std::string CalibrationJson(const ingest::CalibrationReport& r) {
  JsonWriter w;
  w.BeginObject().Key("policy").BeginObject().Key("version").Int(r.policy_version);
  w.Key("name").String(r.policy_name).EndObject();
  w.Key("people").Int(r.people).Key("converted").Int(r.converted);
  w.Key("conversion_rate").Raw(Share(r.rate));
  w.Key("history").BeginObject().Key("first_activity");
  Time(w, r.first_activity).Key("last_activity");
  Time(w, r.last_activity).Key("months").Raw(Number(r.months, 2)).EndObject();
  w.Key("band_width").Raw(Number(r.band_width, 4));
  w.Key("bands").BeginArray();
  for (const auto& b : r.bands) Group(w, b, true);
  w.EndArray().Key("grades").BeginArray();
  for (const auto& g : r.grades) Group(w, g, false);
  w.EndArray().Key("auc").Raw(Number(r.auc, 4));
  w.Key("targets").BeginObject();
  Answer(w, "max_mqls_per_month", r.for_mqls_per_month);
  Answer(w, "min_mql_to_sql", r.for_mql_to_sql);
  w.EndObject();
  w.Key("read").BeginObject().Key("journal_entries").Int(r.entries_read);
  w.Key("activities").Int(r.activities_read).Key("elapsed_ms").Int(r.elapsed_ms).EndObject();
  return std::move(w.EndObject().str());
}

}  // namespace tandem::api
