// A streaming RFC 4180 CSV reader and a matching writer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::ingest {

constexpr size_t kMaxCsvRecordBytes = 1 << 20;  // 1 MiB

// One record of a CSV file.
struct CsvRecord {
  // The 1-based physical line the record starts on (the header is row 1), so a user can find
  // it in an editor even when earlier fields hold quoted line breaks.
  int64_t row = 0;
  std::vector<std::string> fields;
  // The record's bytes as read, without its line end; empty if the record was too large.
  std::string raw;
  // Empty if well-formed. Otherwise why not: "unterminated quoted field", "stray quote in
  // unquoted field", "text after closing quote", "invalid UTF-8" or "record is larger than
  // 1 MiB". Fields are then unreliable; raw is not.
  std::string error;
  // The 0-based field the error is in, or -1 when it is about the record as a whole.
  int error_field = -1;

  bool ok() const { return error.empty(); }
};

// Reads records one at a time from a stream, never holding more than one record.
//
// Accepts LF and CRLF line ends, a last line without one, and a leading UTF-8 byte order mark.
// Blank lines are skipped (they still count as lines). A malformed record is reported with
// its error and the reader resynchronises at the next line end outside quotes; a quote left
// open swallows the rest of the input into one bad record ("unterminated quoted field").
//
// Not thread-safe; the stream must outlive the reader.
class CsvReader {
 public:
  explicit CsvReader(std::istream& in, size_t max_record_bytes = kMaxCsvRecordBytes);

  // Reads the next record into rec. Returns false at the end of the input.
  bool Next(CsvRecord& rec);

  // Bytes consumed from the stream so far (for progress).
  int64_t bytes_read() const { return bytes_read_; }

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };

  int Get();   // the next byte, or -1 at the end
  int Peek();  // the next byte without consuming it, or -1
  bool Fill();
  void SkipBom();
  // Handles one byte (-1 at the end); returns true when it ended the record.
  bool Step(int c, State& state, std::string& field, CsvRecord& rec);
  // Moves the state on by ch, which is not a line end outside quotes; returns whether ch is
  // part of the field's value.
  bool Consume(char ch, State& state, std::string& field, CsvRecord& rec);
  void AppendRaw(char ch, std::string& field, CsvRecord& rec);
  void EndField(std::string& field, CsvRecord& rec);
  void Fail(CsvRecord& rec, std::string why, int field = -1);

  std::istream& in_;
  size_t max_record_bytes_;
  std::vector<char> buf_;
  size_t pos_ = 0, end_ = 0;
  int64_t bytes_read_ = 0;
  int64_t line_ = 1;
  bool started_ = false;
  bool oversized_ = false;
};

// One record as CSV text without a line end: fields holding a comma, a quote, CR or LF are
// quoted, quotes doubled. A record of one empty field is written as "" so it is not a blank
// line.
std::string FormatCsvRecord(const std::vector<std::string>& fields);

// A single field, quoted if needed.
std::string FormatCsvField(std::string_view field);

}  // namespace tandem::ingest
