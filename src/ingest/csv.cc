#include "ingest/csv.h"

#include "base/strings.h"

namespace tandem::ingest {
namespace {

constexpr size_t kBufferBytes = 64 * 1024;

std::string DescribeSize(size_t bytes) {
  if (bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

CsvReader::CsvReader(std::istream& in, size_t max_record_bytes)
    : in_(in), max_record_bytes_(max_record_bytes), buf_(kBufferBytes) {}

bool CsvReader::Fill() {
  pos_ = end_ = 0;
  if (!in_) return false;
  in_.read(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  end_ = static_cast<size_t>(in_.gcount());
  return end_ > 0;
}

int CsvReader::Get() {
  if (pos_ == end_ && !Fill()) return -1;
  ++bytes_read_;
  return static_cast<unsigned char>(buf_[pos_++]);
}

int CsvReader::Peek() {
  if (pos_ == end_ && !Fill()) return -1;
  return static_cast<unsigned char>(buf_[pos_]);
}

void CsvReader::SkipBom() {
  if (!Fill()) return;
  while (end_ < 3 && in_) {  // a stream may hand out fewer bytes than asked for
    in_.read(buf_.data() + end_, static_cast<std::streamsize>(3 - end_));
    end_ += static_cast<size_t>(in_.gcount());
  }
  if (end_ >= 3 && buf_[0] == '\xEF' && buf_[1] == '\xBB' && buf_[2] == '\xBF') {
    pos_ = 3;
    bytes_read_ += 3;
  }
}

void CsvReader::Fail(CsvRecord& rec, std::string why, int field) {
  if (!rec.error.empty()) return;  // the first error is the one worth reporting
  rec.error = std::move(why);
  rec.error_field = field;
}

void CsvReader::EndField(std::string& field, CsvRecord& rec) {
  if (oversized_) return;
  if (!IsValidUtf8(field)) {
    int index = static_cast<int>(rec.fields.size());
    Fail(rec, "invalid UTF-8", index);
  }
  rec.fields.push_back(std::move(field));
  field.clear();
}

void CsvReader::AppendRaw(char ch, std::string& field, CsvRecord& rec) {
  if (oversized_) return;
  rec.raw.push_back(ch);
  if (rec.raw.size() <= max_record_bytes_) return;
  oversized_ = true;  // keep parsing to find the record's end, but keep nothing
  rec.raw = std::string();
  rec.fields.clear();
  field = std::string();
  rec.error.clear();
  Fail(rec, "record is larger than " + DescribeSize(max_record_bytes_));
}

bool CsvReader::Consume(char ch, State& state, std::string& field, CsvRecord& rec) {
  int index = static_cast<int>(rec.fields.size());
  switch (state) {
    case State::kFieldStart:
      if (ch == '"') {
        state = State::kQuoted;
        return false;
      }
      if (ch == ',') {
        EndField(field, rec);
        return false;
      }
      state = State::kUnquoted;
      return true;
    case State::kUnquoted:
      if (ch == ',') {
        EndField(field, rec);
        state = State::kFieldStart;
        return false;
      }
      if (ch == '"') Fail(rec, "stray quote in unquoted field", index);
      return true;
    case State::kQuoted:
      if (ch == '"') state = State::kQuoteInQuoted;
      if (ch == '\n') ++line_;
      return ch != '"';
    case State::kQuoteInQuoted:
      if (ch == ',') {
        EndField(field, rec);
        state = State::kFieldStart;
        return false;
      }
      if (ch != '"') Fail(rec, "text after closing quote", index);
      state = ch == '"' ? State::kQuoted : State::kUnquoted;  // "" is one quote
      return true;
  }
  return false;
}

bool CsvReader::Step(int c, State& state, std::string& field, CsvRecord& rec) {
  if (c < 0) {
    if (state == State::kQuoted) {  // more precise than any error found on the way
      rec.error = "unterminated quoted field";
      rec.error_field = static_cast<int>(rec.fields.size());
    }
    EndField(field, rec);
    return true;
  }
  if (state != State::kQuoted) {
    bool line_end = c == '\n' || (c == '\r' && (Peek() == '\n' || Peek() < 0));
    if (line_end) {
      if (c == '\r' && Peek() == '\n') Get();
      ++line_;
      EndField(field, rec);
      return true;
    }
  }
  char ch = static_cast<char>(c);
  AppendRaw(ch, field, rec);
  if (Consume(ch, state, field, rec) && !oversized_) field.push_back(ch);
  return false;
}

bool CsvReader::Next(CsvRecord& rec) {
  if (!started_) {
    started_ = true;
    SkipBom();
  }
  std::string field;
  while (Peek() >= 0) {
    rec.fields.clear();
    rec.raw.clear();
    rec.error.clear();
    rec.error_field = -1;
    rec.row = line_;
    oversized_ = false;
    State state = State::kFieldStart;
    while (!Step(Get(), state, field, rec)) {
    }
    bool blank = rec.ok() && rec.raw.empty();
    if (!blank) return true;
  }
  return false;
}

std::string FormatCsvField(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out;
  out.reserve(field.size() + 2);
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string FormatCsvRecord(const std::vector<std::string>& fields) {
  if (fields.size() == 1 && fields[0].empty()) return "\"\"";
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += FormatCsvField(fields[i]);
  }
  return out;
}

}  // namespace tandem::ingest
