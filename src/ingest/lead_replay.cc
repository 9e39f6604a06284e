#include "ingest/lead_replay.h"

#include <simdjson.h>

#include <cstring>

namespace tandem::ingest {
namespace {

namespace dom = simdjson::dom;

// The parsed document of the last DecodeProperties/ParseObject call on this thread.
dom::element* ParseObject(std::string_view json) {
  thread_local dom::parser parser;
  thread_local std::string buffer;
  thread_local dom::element doc;
  if (buffer.size() < json.size() + simdjson::SIMDJSON_PADDING)
    buffer.resize(json.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(buffer.data(), json.data(), json.size());
  if (parser.parse(buffer.data(), json.size(), false).get(doc) != simdjson::SUCCESS ||
      !doc.is_object())
    return nullptr;
  return &doc;
}

}  // namespace

void DecodeProperties(std::string_view json, std::vector<engine::Property>& props) {
  thread_local std::string scratch;
  thread_local std::vector<std::pair<size_t, size_t>> spans;
  props.clear();
  scratch.clear();
  spans.clear();
  dom::element* doc = json.size() > 2 ? ParseObject(json) : nullptr;
  if (!doc) return;
  for (auto [key, value] : dom::object(*doc)) {
    std::string_view text;
    if (value.get_string().get(text) == simdjson::SUCCESS) {
      props.push_back({key, text});
      spans.emplace_back(SIZE_MAX, 0);
      continue;
    }
    std::string other = simdjson::minify(value);
    spans.emplace_back(scratch.size(), other.size());
    scratch += other;
    props.push_back({key, {}});
  }
  for (size_t i = 0; i < props.size(); ++i) {
    if (spans[i].first != SIZE_MAX)
      props[i].value = std::string_view(scratch).substr(spans[i].first, spans[i].second);
  }
}

std::optional<ActionStage> StageOfAction(std::string_view payload) {
  dom::element* doc = payload.size() > 2 ? ParseObject(payload) : nullptr;
  if (!doc) return std::nullopt;
  std::string_view stage_name, hold;
  if ((*doc)["stage"].get_string().get(stage_name) != simdjson::SUCCESS) return std::nullopt;
  auto stage = ParseStage(stage_name);
  if (!stage) return std::nullopt;
  ActionStage out{.stage = *stage};
  if ((*doc)["hold_until"].get_string().get(hold) == simdjson::SUCCESS) {
    out.hold_until = ParseTimestamp(hold);
  }
  return out;
}

JournalReplay::JournalReplay(
    engine::LeadEngine& engine,
    std::map<int64_t, std::shared_ptr<const engine::CompiledPolicy>> policies)
    : engine_(engine), policies_(std::move(policies)) {
  if (!policies_.empty()) engine_.SetPolicy(policies_.begin()->second);
}

void JournalReplay::EngineSink::Profile(PersonId person, const engine::Profile& profile,
                                        Timestamp at, Seq cause) {
  if (replay->only_.valid() && person != replay->only_) return;
  replay->engine_.OnProfile(person, profile, at, cause, *log);
}

void JournalReplay::EngineSink::Erased(PersonId person, Timestamp, Seq) {
  if (replay->only_.valid() && person != replay->only_) return;
  replay->engine_.Forget(person);
}

void JournalReplay::Apply(const ReplayRow& row, engine::DecisionLog& log) {
  EngineSink sink;
  sink.replay = this;
  sink.log = &log;
  if (row.kind == "policy_activated") return Activate(row, sink);
  if (row.kind == "company_changed") {
    return fold_.CompanyChanged(row.subject, row.payload, row.occurred_at, row.seq, sink);
  }
  if (row.kind == "person_changed") {
    return fold_.PersonChanged(row.subject, row.payload, row.occurred_at, row.seq, sink);
  }
  if (row.kind == "erased") return fold_.PersonErased(row.subject, row.occurred_at, row.seq, sink);
  if (only_.valid() && row.subject != only_.value()) return;
  if (row.kind == "action") {
    if (auto a = StageOfAction(row.payload)) {
      engine_.SetStage(PersonId(row.subject), a->stage, row.occurred_at, a->hold_until);
    }
    return;
  }
  if (row.kind != "activity") return;
  DecodeProperties(row.payload, props_);
  engine_.OnActivity({.person = PersonId(row.subject),
                      .seq = row.seq,
                      .at = row.occurred_at,
                      .type = row.type,
                      .properties = props_},
                     log);
}

void JournalReplay::Activate(const ReplayRow& row, EngineSink& sink) {
  auto it = policies_.find(row.seq.value());
  if (it == policies_.end()) return;
  if (&engine_.policy() != it->second.get()) engine_.SetPolicy(it->second);
  fold_.EachKnown(row.occurred_at, row.seq, sink);
}

}  // namespace tandem::ingest
