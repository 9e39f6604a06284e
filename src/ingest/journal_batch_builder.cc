#include "ingest/journal_batch_builder.h"

#include <cstring>

#include "ingest/lead_replay.h"

namespace tandem::ingest {
namespace {

// A batch is handed on once it holds this many entries or this much text.
constexpr size_t kBatchEntries = 4096;
constexpr size_t kBatchText = 1 << 20;

}  // namespace

bool DecodeFlatObject(std::string_view json, std::vector<std::pair<size_t, size_t>>& spans) {
  spans.clear();
  const size_t n = json.size();
  if (n < 2 || json.front() != '{' || json.back() != '}') return false;
  if (n == 2) return true;
  size_t i = 1;
  // A string without escapes (valid JSON has no raw control characters in strings).
  auto string = [&] {
    if (i >= n || json[i] != '"') return false;
    const size_t begin = ++i;
    const void* quote = std::memchr(json.data() + begin, '"', n - begin);
    if (!quote) return false;
    const size_t end = static_cast<size_t>(static_cast<const char*>(quote) - json.data());
    if (std::memchr(json.data() + begin, '\\', end - begin)) return false;
    spans.emplace_back(begin, end - begin);
    i = end + 1;
    return true;
  };
  while (true) {
    if (!string() || i >= n || json[i++] != ':' || !string()) return false;
    if (i >= n) return false;
    char c = json[i++];
    if (c == '}') return i == n;
    if (c != ',') return false;
  }
}

void BatchBuilder::Activity(Seq seq, Timestamp at, int64_t person, std::string_view type,
                            std::string_view payload) {
  size_t first = offsets_.size();
  Span type_span = Copy(type);
  AddProperties(payload);
  batch_->entries_.push_back(
      {.kind = DecodedEntry::Kind::kActivity, .seq = seq, .at = at, .subject = person});
  pending_.push_back({.type = type_span, .first = first, .end = offsets_.size()});
}

void BatchBuilder::Profile(PersonId person, engine::Profile profile, Timestamp at, Seq cause) {
  batch_->entries_.push_back(
      {.kind = DecodedEntry::Kind::kProfile, .seq = cause, .at = at, .subject = person.value()});
  pending_.push_back({.profile = batch_->profiles_.size()});
  batch_->profiles_.push_back(std::move(profile));
}

void BatchBuilder::Erased(PersonId person, Timestamp at, Seq cause) {
  batch_->entries_.push_back(
      {.kind = DecodedEntry::Kind::kErased, .seq = cause, .at = at, .subject = person.value()});
  pending_.push_back({});
}

bool BatchBuilder::Full() const {
  return batch_->entries_.size() >= kBatchEntries || batch_->text_.size() >= kBatchText;
}

std::shared_ptr<const DecodedBatch> BatchBuilder::Seal() {
  DecodedBatch& b = *batch_;
  b.properties_.reserve(offsets_.size());
  for (const auto& [k, v] : offsets_) b.properties_.push_back({View(k), View(v)});
  const std::span<const engine::Property> all(b.properties_);
  for (size_t i = 0; i < b.entries_.size(); ++i) {
    const Pending& p = pending_[i];
    DecodedEntry& e = b.entries_[i];
    e.type = View(p.type);
    e.properties = all.subspan(p.first, p.end - p.first);
    if (p.profile != SIZE_MAX) e.profile = &b.profiles_[p.profile];
  }
  std::shared_ptr<const DecodedBatch> out = std::move(batch_);
  Reset();
  return out;
}

// Views into a copy of the payload when it is a flat object of strings; otherwise decoded by
// DecodeProperties (as the live engine's path does) and copied.
void BatchBuilder::AddProperties(std::string_view json) {
  if (DecodeFlatObject(json, flat_)) {
    Span copy = Copy(json);
    for (size_t m = 0; m + 1 < flat_.size(); m += 2) {
      offsets_.push_back({{copy.begin + flat_[m].first, flat_[m].second},
                          {copy.begin + flat_[m + 1].first, flat_[m + 1].second}});
    }
    return;
  }
  DecodeProperties(json, scratch_);
  for (const auto& p : scratch_) offsets_.push_back({Copy(p.key), Copy(p.value)});
}

BatchBuilder::Span BatchBuilder::Copy(std::string_view text) {
  Span s{batch_->text_.size(), text.size()};
  batch_->text_.append(text);
  return s;
}

std::string_view BatchBuilder::View(Span s) const {
  return std::string_view(batch_->text_).substr(s.begin, s.size);
}

void BatchBuilder::Reset() {
  batch_ = std::make_shared<DecodedBatch>();
  batch_->entries_.reserve(kBatchEntries);
  batch_->text_.reserve(kBatchText + (64 << 10));
  offsets_.clear();
  pending_.clear();
}

}  // namespace tandem::ingest
