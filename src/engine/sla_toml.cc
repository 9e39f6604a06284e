// The SLA document's top level, marketing commitment, reason lists and escalation ladder;
// lead types are in sla_toml_lead_types.cc, routing in sla_toml_routing.cc. docs/SLA.md
// describes the format.
#include "engine/sla_toml.h"

#include <algorithm>
#include <cstdio>

#include "engine/policy_toml_reader.h"

namespace tandem::engine {
namespace sla_toml {

// Defined in sla_toml_lead_types.cc and sla_toml_routing.cc; each reports its problems into
// root's errors and returns what it could read.
std::vector<LeadType> ReadLeadTypes(policy_toml::TableReader& root, const SlaContext& ctx);
RoutingPolicy ReadRouting(policy_toml::TableReader& root, const SlaContext& ctx);

}  // namespace sla_toml

namespace {

using policy_toml::Errors;
using policy_toml::IdSet;
using policy_toml::Index;
using policy_toml::TableReader;

constexpr double kMaxEscalationAt = 10;

// 0.5 → "0.5", 2 → "2".
std::string Format(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// A share in [0, 1] ("0.35" is 35 %).
std::optional<double> ReadShare(TableReader& r, std::string_view key) {
  auto share = r.Number(key, true);
  if (share && (*share < 0 || *share > 1)) {
    r.Error(key, "must be between 0 and 1 (a share: 0.35 is 35 %)");
    return std::nullopt;
  }
  return share;
}

void ReadMarketing(TableReader& root, MarketingCommitment& m) {
  const toml::table* table = root.Table("marketing", true);
  if (!table) return;
  TableReader r(*table, "marketing", root.errors());
  if (auto period = r.String("period", true)) {
    if (auto p = ParseCommitmentPeriod(*period)) {
      m.period = *p;
    } else {
      r.Error("period", "must be month or quarter");
    }
  }
  if (auto target = r.Integer("mql_target", true, 1, 10'000'000)) {
    m.mql_target = static_cast<int>(*target);
  }
  if (auto name = r.String("quality_grade", true)) {
    if (auto grade = ParseGrade(*name)) {
      m.quality_grade = *grade;
    } else {
      r.Error("quality_grade", "not a grade (F, D-, D, D+, C-, C, C+, B-, B, B+, A-, A, A+)");
    }
  }
  if (auto share = ReadShare(r, "quality_share")) m.quality_share = *share;
  if (auto share = ReadShare(r, "mql_to_sql_target")) m.mql_to_sql_target = *share;
  r.ReportUnknownKeys();
}

// Refuses an empty array under `key` (absent or wrong types are reported elsewhere).
void RequireNonEmpty(TableReader& r, std::string_view key, std::string_view why) {
  const toml::node* node = r.Get(key, false);
  const toml::array* array = node ? node->as_array() : nullptr;
  if (array && array->empty()) r.Error(key, "must not be empty: " + std::string(why));
}

RecycleReason ReadRecycleReason(TableReader& r, IdSet& ids) {
  RecycleReason reason;
  reason.line = r.line();
  auto id = r.Id("id");
  ids.Check(r, id);
  if (id) reason.id = *id;
  if (auto name = r.String("name", true)) reason.name = *name;
  if (auto track = r.Id("nurture_track")) reason.nurture_track = *track;
  if (auto days = r.Integer("cool_down_days", true, 0, 3650)) {
    reason.cool_down = std::chrono::days(*days);
  }
  r.ReportUnknownKeys();
  return reason;
}

DisqualifyReason ReadDisqualifyReason(TableReader& r, IdSet& ids) {
  DisqualifyReason reason;
  reason.line = r.line();
  auto id = r.Id("id");
  ids.Check(r, id);
  if (id) reason.id = *id;
  if (auto name = r.String("name", true)) reason.name = *name;
  if (auto exempt = r.Bool("exempt_from_attempts", false)) reason.exempt_from_attempts = *exempt;
  r.ReportUnknownKeys();
  return reason;
}

void ReadReasons(TableReader& root, SlaDocument& doc) {
  IdSet recycle_ids, disqualify_ids;
  policy_toml::ForEachTableOf(root, "recycle_reasons", true, [&](TableReader& r) {
    doc.recycle_reasons.push_back(ReadRecycleReason(r, recycle_ids));
  });
  policy_toml::ForEachTableOf(root, "disqualify_reasons", true, [&](TableReader& r) {
    doc.disqualify_reasons.push_back(ReadDisqualifyReason(r, disqualify_ids));
  });
  RequireNonEmpty(root, "recycle_reasons", "sales recycles only with a listed reason");
  RequireNonEmpty(root, "disqualify_reasons", "sales disqualifies only with a listed reason");
}

QualifyField ReadQualifyField(TableReader& r, IdSet& ids) {
  QualifyField field;
  field.line = r.line();
  auto id = r.Id("id");
  ids.Check(r, id);
  if (id) field.id = *id;
  if (auto name = r.String("name", true)) field.name = *name;
  if (auto values = r.Strings("values", false)) {
    for (size_t i = 0; i < values->size(); ++i) {
      const std::string& v = (*values)[i];
      if (v.empty() || v.size() > 64) {
        r.Error("values", "value " + std::to_string(i + 1) + " must be 1-64 characters");
      } else if (std::find(field.values.begin(), field.values.end(), v) != field.values.end()) {
        r.Error("values", "repeated value \"" + v + "\"");
      } else {
        field.values.push_back(v);
      }
    }
    if (values->empty()) r.Error("values", "must not be empty (leave it out for free text)");
  }
  r.ReportUnknownKeys();
  return field;
}

// `[[qualify_fields]]`: what a qualify must record (optional).
void ReadQualifyFields(TableReader& root, SlaDocument& doc) {
  IdSet ids;
  policy_toml::ForEachTableOf(root, "qualify_fields", false, [&](TableReader& r) {
    doc.qualify_fields.push_back(ReadQualifyField(r, ids));
  });
}

// A webhook name: 1-64 characters of a-z, 0-9, _ and -.
bool IsWebhookName(const std::string& name) {
  return name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
         });
}

void ReadChannels(TableReader& r, EscalationStep& step) {
  auto names = r.Strings("channels", false);
  if (!names) return;
  const toml::array& values = *r.Get("channels", false)->as_array();
  for (size_t i = 0; i < names->size(); ++i) {
    auto channel = ParseNotifyChannel((*names)[i]);
    std::string path = Index(r.PathOf("channels"), i);
    int line = policy_toml::LineOf(*values.get(i));
    if (!channel) {
      r.errors().Add(path, line, "unknown channel \"" + (*names)[i] + "\" (email, webhook)");
    } else if (std::find(step.channels.begin(), step.channels.end(), *channel) !=
               step.channels.end()) {
      r.errors().Add(path, line, "listed twice");
    } else {
      step.channels.push_back(*channel);
    }
  }
}

void ReadWebhook(TableReader& r, const SlaContext& ctx, EscalationStep& step) {
  bool wanted = std::find(step.channels.begin(), step.channels.end(), NotifyChannel::kWebhook) !=
                step.channels.end();
  auto name = r.String("webhook", false);
  if (!r.Has("webhook") && wanted) {
    r.errors().Add(r.PathOf("webhook"), r.line(),
                   "required: the webhook channel needs a webhook name from tandem.toml");
  }
  if (!name) return;
  if (!wanted) {
    r.Error("webhook", "only a step with the webhook channel names a webhook");
  } else if (!IsWebhookName(*name)) {
    r.Error("webhook", "must be 1-64 characters of a-z, 0-9, _ and -");
  } else if (!ctx.webhooks.empty() &&
             std::find(ctx.webhooks.begin(), ctx.webhooks.end(), *name) == ctx.webhooks.end()) {
    r.Error("webhook", "unknown webhook \"" + *name + "\" (tandem.toml configures none by it)");
  } else {
    step.webhook = *name;
  }
}

std::optional<double> ReadAt(TableReader& r) {
  auto at = r.Number("at", true);
  if (at && (*at <= 0 || *at > kMaxEscalationAt)) {
    r.Error("at", "must be more than 0 and at most 10 (0.5: half-way, 1: at breach)");
    return std::nullopt;
  }
  return at;
}

// Everything of a step but `at`.
EscalationStep ReadStep(TableReader& r, const SlaContext& ctx) {
  EscalationStep step;
  step.line = r.line();
  auto action = r.String("action", true);
  if (action) {
    if (auto parsed = ParseEscalationAction(*action)) {
      step.action = *parsed;
    } else {
      r.Error("action",
              "unknown action \"" + *action + "\" (remind_owner, alert_manager, reassign)");
    }
  }
  ReadChannels(r, step);
  if (!r.Has("channels") && action && *action != "reassign") {
    r.errors().Add(r.PathOf("channels"), r.line(),
                   "required: " + *action + " needs at least one channel (email, webhook)");
  }
  ReadWebhook(r, ctx, step);
  return step;
}

void ReadEscalation(TableReader& root, const SlaContext& ctx, SlaDocument& doc) {
  std::optional<std::pair<double, std::string>> latest;  // the highest valid `at`, its path
  policy_toml::ForEachTableOf(root, "escalation", false, [&](TableReader& r) {
    EscalationStep step = ReadStep(r, ctx);
    std::optional<double> at = ReadAt(r);
    if (at && latest && *at <= latest->first) {
      r.Error("at",
              "must be more than " + latest->second + ": steps go in strictly increasing order");
    } else if (at) {
      step.at = *at;
      latest.emplace(*at, r.PathOf("at") + " (" + Format(*at) + ")");
    }
    r.ReportUnknownKeys();
    doc.escalation.push_back(std::move(step));
  });
}

void ReadTopLevel(TableReader& r, SlaDocument& doc) {
  if (auto name = r.String("name", true)) doc.name = *name;
  if (auto days = r.Integer("horizon_days", false, 1, 3650)) {
    doc.horizon = std::chrono::days(*days);
    doc.horizon_derived = false;
  }
}

}  // namespace

SlaContext SlaContextFor(const QualificationPolicy& policy) {
  SlaContext ctx;
  for (const StageRule& rule : policy.stages) {
    if (rule.to == Stage::kMql || rule.to == Stage::kSql) ctx.stage_rules.push_back(rule.id);
  }
  return ctx;
}

Result<SlaDocument> ParseSla(std::string_view text, const SlaContext& ctx) {
  if (text.size() > kMaxSlaBytes) {
    return Status(Code::kTooLarge, "the SLA is " + std::to_string(text.size()) +
                                       " bytes; at most " + std::to_string(kMaxSlaBytes));
  }
  Result<toml::table> root = policy_toml::ParseDocument(text, "SLA");
  if (!root.ok()) return root.status();
  Errors errors;
  TableReader r(*root, "", errors);
  SlaDocument doc;
  ReadTopLevel(r, doc);
  ReadMarketing(r, doc.marketing);
  doc.lead_types = sla_toml::ReadLeadTypes(r, ctx);
  ReadReasons(r, doc);
  ReadQualifyFields(r, doc);
  ReadEscalation(r, ctx, doc);
  doc.routing = sla_toml::ReadRouting(r, ctx);
  r.ReportUnknownKeys();
  if (!errors.empty()) return policy_toml::InvalidDocument("SLA", errors);
  if (doc.horizon_derived) doc.horizon = LongestClock(doc);
  return doc;
}

}  // namespace tandem::engine
