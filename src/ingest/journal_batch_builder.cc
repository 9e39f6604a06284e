#include "ingest/journal_batch_builder.h"

#include <cstring>

#include "ingest/lead_replay.h"

namespace tandem::ingest {
namespace {

// A batch is handed on once it holds this many rows or this much text.
constexpr size_t kBatchRows = 4096;
constexpr size_t kBatchText = 1 << 20;
// Spare batches kept: more than the queues between the stages ever hold.
constexpr size_t kMaxSpare = 64;

}  // namespace

namespace {

// The position of the first '"' or '\\' in s[i, n), or n. Eight bytes at a time: keys and
// values are short, and a library call per string costs more than the search.
size_t QuoteOrEscape(const char* s, size_t i, size_t n) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, s + i, 8);
    const uint64_t q = w ^ (kOnes * '"'), b = w ^ (kOnes * '\\');
    // A byte of q or b is zero where w has the character; exact for the lowest such byte.
    const uint64_t found = ((q - kOnes) & ~q & kHigh) | ((b - kOnes) & ~b & kHigh);
    if (found) return i + static_cast<size_t>(__builtin_ctzll(found)) / 8;
  }
  while (i < n && s[i] != '"' && s[i] != '\\') ++i;
  return i;
}

}  // namespace

bool DecodeFlatObject(std::string_view json, std::vector<std::pair<size_t, size_t>>& spans) {
  spans.clear();
  const size_t n = json.size();
  if (n < 2 || json.front() != '{' || json.back() != '}') return false;
  if (n == 2) return true;
  const char* s = json.data();
  size_t i = 1;
  // A string without escapes (valid JSON has no raw control characters in strings).
  auto string = [&] {
    if (i >= n || s[i] != '"') return false;
    const size_t begin = ++i;
    i = QuoteOrEscape(s, i, n);
    if (i >= n || s[i] != '"') return false;
    spans.emplace_back(begin, i - begin);
    ++i;
    return true;
  };
  while (true) {
    if (!string() || i >= n || s[i++] != ':' || !string()) return false;
    if (i >= n) return false;
    char c = s[i++];
    if (c == '}') return i == n;
    if (c != ',') return false;
  }
}

std::unique_ptr<DecodedBatch> BatchPool::Take() {
  {
    std::lock_guard lock(mu_);
    if (!spare_.empty()) {
      auto b = std::move(spare_.back());
      spare_.pop_back();
      return b;
    }
  }
  auto b = std::make_unique<DecodedBatch>();
  b->entries_.reserve(kBatchRows);
  b->text_.reserve(kBatchText + (64 << 10));
  return b;
}

std::shared_ptr<const DecodedBatch> BatchPool::Share(std::unique_ptr<DecodedBatch> batch) {
  return std::shared_ptr<const DecodedBatch>(batch.release(),
                                             [pool = shared_from_this()](const DecodedBatch* b) {
                                               pool->GiveBack(const_cast<DecodedBatch*>(b));
                                             });
}

void BatchPool::GiveBack(DecodedBatch* batch) {
  std::unique_ptr<DecodedBatch> b(batch);
  b->entries_.clear();
  b->text_.clear();
  b->properties_.clear();  // profiles_ stay: the decoder assigns over them
  std::lock_guard lock(mu_);
  if (spare_.size() < kMaxSpare) spare_.push_back(std::move(b));
}

void RowCollector::Start() {
  raw_.batch = pool_->Take();
  raw_.rows.clear();
  raw_.rows.reserve(kBatchRows);
}

void RowCollector::Add(RowKind kind, Seq seq, Timestamp at, int64_t subject, std::string_view type,
                       std::string_view payload) {
  std::string& text = raw_.batch->text_;
  RawBatch::Row& row = raw_.rows.emplace_back();
  row.kind = kind;
  row.seq = seq;
  row.at = at;
  row.subject = subject;
  row.type_begin = static_cast<uint32_t>(text.size());
  row.type_size = static_cast<uint32_t>(type.size());
  text.append(type);
  row.payload_begin = static_cast<uint32_t>(text.size());
  row.payload_size = static_cast<uint32_t>(payload.size());
  text.append(payload);
}

bool RowCollector::Full() const {
  return raw_.rows.size() >= kBatchRows || raw_.batch->text_.size() >= kBatchText;
}

RawBatch RowCollector::Take() {
  RawBatch out = std::move(raw_);
  raw_ = {};
  Start();
  return out;
}

std::shared_ptr<const DecodedBatch> BatchDecoder::Decode(RawBatch raw) {
  batch_ = raw.batch.get();
  profiles_ = 0;
  offsets_.clear();
  pending_.clear();
  for (const RawBatch::Row& row : raw.rows) {
    const std::string_view payload = Text(row.payload_begin, row.payload_size);
    switch (row.kind) {
      case RowKind::kActivity:
        Activity(row);
        break;
      case RowKind::kPersonChanged:
        fold_.PersonChanged(row.subject, payload, row.at, row.seq, *this);
        break;
      case RowKind::kCompanyChanged:
        fold_.CompanyChanged(row.subject, payload, row.at, row.seq, *this);
        break;
      case RowKind::kErased:
        fold_.PersonErased(row.subject, row.at, row.seq, *this);
        break;
    }
  }
  Finish();
  batch_ = nullptr;
  return pool_->Share(std::move(raw.batch));
}

void BatchDecoder::Activity(const RawBatch::Row& row) {
  const size_t first = offsets_.size();
  AddProperties(row.payload_begin, row.payload_size);
  batch_->entries_.push_back({.kind = DecodedEntry::Kind::kActivity,
                              .seq = row.seq,
                              .at = row.at,
                              .subject = row.subject});
  pending_.push_back({.type_begin = row.type_begin,
                      .type_size = row.type_size,
                      .first = first,
                      .end = offsets_.size()});
}

void BatchDecoder::Profile(PersonId person, const engine::Profile& profile, Timestamp at,
                           Seq cause) {
  auto& profiles = batch_->profiles_;
  if (profiles_ < profiles.size()) {
    profiles[profiles_] = profile;  // into the strings of a recycled batch: no allocation
  } else {
    profiles.push_back(profile);
  }
  batch_->entries_.push_back(
      {.kind = DecodedEntry::Kind::kProfile, .seq = cause, .at = at, .subject = person.value()});
  pending_.push_back({.profile = profiles_++});
}

void BatchDecoder::Erased(PersonId person, Timestamp at, Seq cause) {
  batch_->entries_.push_back(
      {.kind = DecodedEntry::Kind::kErased, .seq = cause, .at = at, .subject = person.value()});
  pending_.push_back({});
}

// Views into the payload (already in the batch's text) when it is a flat object of strings;
// otherwise decoded by DecodeProperties (as the live engine's path does) and copied.
void BatchDecoder::AddProperties(size_t begin, size_t size) {
  if (DecodeFlatObject(Text(begin, size), flat_)) {
    for (size_t m = 0; m + 1 < flat_.size(); m += 2) {
      offsets_.push_back({{begin + flat_[m].first, flat_[m].second},
                          {begin + flat_[m + 1].first, flat_[m + 1].second}});
    }
    return;
  }
  DecodeProperties(Text(begin, size), scratch_);
  std::string& text = batch_->text_;
  for (const auto& p : scratch_) {
    std::pair<size_t, size_t> key{text.size(), p.key.size()};
    text.append(p.key);
    std::pair<size_t, size_t> value{text.size(), p.value.size()};
    text.append(p.value);
    offsets_.push_back({key, value});
  }
}

// Points the entries' views into the batch, now that its text and profiles stop moving.
void BatchDecoder::Finish() {
  DecodedBatch& b = *batch_;
  b.properties_.reserve(offsets_.size());
  for (const auto& [k, v] : offsets_) {
    b.properties_.push_back({Text(k.first, k.second), Text(v.first, v.second)});
  }
  const std::span<const engine::Property> all(b.properties_);
  for (size_t i = 0; i < b.entries_.size(); ++i) {
    const Pending& p = pending_[i];
    DecodedEntry& e = b.entries_[i];
    if (e.kind == DecodedEntry::Kind::kActivity) {
      e.type = Text(p.type_begin, p.type_size);
      e.properties = all.subspan(p.first, p.end - p.first);
    }
    if (p.profile != SIZE_MAX) e.profile = &b.profiles_[p.profile];
  }
}

}  // namespace tandem::ingest
