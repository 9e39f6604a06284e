#include "ingest/csv.h"

#include <gtest/gtest.h>

#include <random>
#include <sstream>

namespace tandem::ingest {
namespace {

using Fields = std::vector<std::string>;

std::vector<CsvRecord> ReadAll(const std::string& text, size_t max_bytes = kMaxCsvRecordBytes) {
  std::istringstream in(text);
  CsvReader reader(in, max_bytes);
  std::vector<CsvRecord> out;
  CsvRecord rec;
  while (reader.Next(rec)) out.push_back(rec);
  return out;
}

TEST(CsvReaderTest, StripsTheByteOrderMark) {
  auto recs = ReadAll(
      "\xEF\xBB\xBF"
      "email,name\na@x.com,Ann\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, (Fields{"email", "name"}));
  EXPECT_EQ(recs[0].raw, "email,name");
}

TEST(CsvReaderTest, AcceptsCrLfAndALastLineWithoutNewline) {
  auto recs = ReadAll("a,b\r\nc,d\ne,f");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].fields, (Fields{"a", "b"}));
  EXPECT_EQ(recs[1].fields, (Fields{"c", "d"}));
  EXPECT_EQ(recs[2].fields, (Fields{"e", "f"}));
  EXPECT_EQ(recs[2].row, 3);
  EXPECT_EQ(ReadAll("a,b\r")[0].fields, (Fields{"a", "b"}));
}

TEST(CsvReaderTest, QuotedFieldsKeepCommasNewlinesAndDoubledQuotes) {
  auto recs = ReadAll("h1,h2\n\"a,b\",\"say \"\"hi\"\"\"\n\"line1\r\nline2\nline3\",x\nlast,row\n");
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[1].fields, (Fields{"a,b", "say \"hi\""}));
  EXPECT_EQ(recs[2].fields, (Fields{"line1\r\nline2\nline3", "x"}));
  EXPECT_EQ(recs[2].raw, "\"line1\r\nline2\nline3\",x");
  // Rows are physical lines, so a user finds "last,row" on line 6.
  EXPECT_EQ(recs[2].row, 3);
  EXPECT_EQ(recs[3].row, 6);
  EXPECT_TRUE(recs[3].ok());
}

TEST(CsvReaderTest, StrayQuoteRejectsOnlyThatRecord) {
  auto recs = ReadAll("a,b\nab\"c,d\ne,f\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].error, "stray quote in unquoted field");
  EXPECT_EQ(recs[1].error_field, 0);
  EXPECT_EQ(recs[1].raw, "ab\"c,d");
  EXPECT_TRUE(recs[2].ok());
  EXPECT_EQ(recs[2].fields, (Fields{"e", "f"}));
  EXPECT_EQ(recs[2].row, 3);
}

TEST(CsvReaderTest, TextAfterClosingQuoteIsAnError) {
  auto recs = ReadAll("x,\"ab\"c\nok,1\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].error, "text after closing quote");
  EXPECT_EQ(recs[0].error_field, 1);
  EXPECT_TRUE(recs[1].ok());
}

TEST(CsvReaderTest, ABadRecordResynchronisesOutsideQuotes) {
  // The bad record's later quoted field holds a newline; the next record starts after it.
  auto recs = ReadAll("ab\"c,\"x\ny\"\nnext,1\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_FALSE(recs[0].ok());
  EXPECT_EQ(recs[1].fields, (Fields{"next", "1"}));
  EXPECT_EQ(recs[1].row, 3);
}

TEST(CsvReaderTest, UnterminatedQuoteAtTheEndKeepsEarlierRows) {
  auto recs = ReadAll("a,b\nc,d\n\"open,e\nf,g\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_TRUE(recs[0].ok());
  EXPECT_TRUE(recs[1].ok());
  EXPECT_EQ(recs[2].error, "unterminated quoted field");
  EXPECT_EQ(recs[2].row, 3);
  EXPECT_EQ(recs[2].error_field, 0);
}

TEST(CsvReaderTest, InvalidUtf8NamesTheField) {
  auto recs = ReadAll("a,b,c\nok,bad\xC3(,fine\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].error, "invalid UTF-8");
  EXPECT_EQ(recs[1].error_field, 1);
}

TEST(CsvReaderTest, TrailingCommasGiveEmptyFields) {
  auto recs = ReadAll("a,b,,\n1,2,,\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, (Fields{"a", "b", "", ""}));
  EXPECT_EQ(recs[1].fields, (Fields{"1", "2", "", ""}));
}

TEST(CsvReaderTest, RecordsOfOtherWidthsAreReportedAsRead) {
  // Column counts are the importer's business: the reader reports what it found.
  auto recs = ReadAll("a,b,c\n1,2\n1,2,3,4\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].fields.size(), 2u);
  EXPECT_EQ(recs[2].fields.size(), 4u);
  EXPECT_TRUE(recs[1].ok() && recs[2].ok());
}

TEST(CsvReaderTest, BlankLinesAreSkippedButCounted) {
  auto recs = ReadAll("a\n\n\r\nb\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].fields, (Fields{"b"}));
  EXPECT_EQ(recs[1].row, 4);
  EXPECT_EQ(ReadAll("a\n\"\"\n")[1].fields, (Fields{""}));
}

TEST(CsvReaderTest, OversizedRecordIsRejectedAndReadingGoesOn) {
  std::string big(100, 'x');
  auto recs = ReadAll("a,b\n" + big + ",\"" + big + "\n" + big + "\"\nc,d\n", 64);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].error, "record is larger than 64 bytes");
  EXPECT_TRUE(recs[1].raw.empty());
  EXPECT_EQ(recs[2].fields, (Fields{"c", "d"}));
  EXPECT_EQ(recs[2].row, 4);
}

TEST(CsvReaderTest, CountsBytesRead) {
  std::string text =
      "\xEF\xBB\xBF"
      "a,b\r\n\"c\nd\",e\n";
  std::istringstream in(text);
  CsvReader reader(in);
  CsvRecord rec;
  while (reader.Next(rec)) {
  }
  EXPECT_EQ(reader.bytes_read(), static_cast<int64_t>(text.size()));
}

TEST(CsvWriterTest, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(FormatCsvRecord({"a", "b c", "d,e", "say \"x\"", "l1\nl2"}),
            "a,b c,\"d,e\",\"say \"\"x\"\"\",\"l1\nl2\"");
  EXPECT_EQ(FormatCsvRecord({""}), "\"\"");
}

// Property: any fields written as CSV read back as the same fields, at the same rows.
TEST(CsvPropertyTest, WrittenFieldsReadBackTheSame) {
  std::mt19937 rng(20261110);
  const std::vector<std::string> pieces = {"a",    "Z", "0",    " ",    ",",   "\"",   "\r", "\n",
                                           "\r\n", "é", "日本", "🙂", "x y", "\"\"", ",\n"};
  for (int round = 0; round < 200; ++round) {
    std::vector<Fields> records(1 + rng() % 30);
    std::string text = round % 2 ? "\xEF\xBB\xBF" : "";
    std::vector<int64_t> rows;
    int64_t line = 1;
    for (auto& rec : records) {
      rec.resize(1 + rng() % 6);
      for (auto& f : rec) {
        for (size_t n = rng() % 8; n > 0; --n) f += pieces[rng() % pieces.size()];
      }
      std::string written = FormatCsvRecord(rec);
      rows.push_back(line);
      line += 1 + std::count(written.begin(), written.end(), '\n');
      text += written + (rng() % 2 ? "\r\n" : "\n");
    }
    if (rng() % 2) text.pop_back();  // sometimes no final newline (or a bare CR after a CRLF)
    auto back = ReadAll(text);
    ASSERT_EQ(back.size(), records.size()) << "round " << round;
    for (size_t i = 0; i < records.size(); ++i) {
      ASSERT_TRUE(back[i].ok()) << back[i].error << " in round " << round;
      ASSERT_EQ(back[i].fields, records[i]) << "round " << round << " record " << i;
      ASSERT_EQ(back[i].row, rows[i]) << "round " << round << " record " << i;
    }
  }
}

// Property: records spanning the reader's internal buffer boundaries read back intact.
TEST(CsvPropertyTest, LargeInputsReadBackTheSame) {
  std::mt19937 rng(7);
  std::vector<Fields> records(3000);
  std::string text;
  for (auto& rec : records) {
    rec = {std::string(rng() % 80, 'a'), "q\"" + std::string(rng() % 40, '\n') + "\"", "z"};
    text += FormatCsvRecord(rec) + "\n";
  }
  auto back = ReadAll(text);
  ASSERT_EQ(back.size(), records.size());
  for (size_t i = 0; i < records.size(); ++i) ASSERT_EQ(back[i].fields, records[i]) << i;
}

}  // namespace
}  // namespace tandem::ingest
