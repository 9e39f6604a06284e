// CSV import of companies and activities, and problems with a file as a whole.
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "ingest/import.h"
#include "ingest/import_test_fixture.h"
#include "store/journal.h"

namespace tandem::ingest {
namespace {

TEST_F(ImportTest, FileLevelProblemsAreErrors) {
  auto missing = ImportPeople(*store_, (dir_ / "nope.csv").string(), {});
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  auto empty = ImportPeople(*store_, File("empty.csv", ""), {});
  EXPECT_EQ(empty.status().code(), Code::kInvalidArgument);
  auto no_id = ImportPeople(*store_, File("noid.csv", "first_name\nAna\n"), {});
  EXPECT_EQ(no_id.status().code(), Code::kInvalidArgument);
  auto bad_map =
      ImportPeople(*store_, File("p.csv", "email\na@b.com\n"), {.column_map = {{"mail", "email"}}});
  EXPECT_EQ(bad_map.status().code(), Code::kInvalidArgument);
  auto twice = ImportPeople(*store_, File("t.csv", "first name,firstname,email\n"), {});
  EXPECT_EQ(twice.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(JournalRows(), 0);
}

TEST_F(ImportTest, CompaniesMatchByDomainThenName) {
  std::string path = File("companies.csv",
                          "Company Name,Website,Industry,Employees,Country\n"
                          "Acme,acme.com,Manufacturing,250,US\n"
                          "Globex,,Energy,5000+,\n"
                          "Initech,initech.com,Software,lots,\n");
  auto first = Import(ImportKind::kCompanies, path);
  EXPECT_EQ(first.imported, 2);
  ASSERT_EQ(first.rejected.size(), 1u);
  EXPECT_EQ(first.rejected[0].column, "Employees");
  int64_t journal = JournalRows();

  auto again = Import(ImportKind::kCompanies, path);
  EXPECT_EQ(again.unchanged, 2);
  EXPECT_EQ(JournalRows(), journal);

  auto renamed = Import(ImportKind::kCompanies, File("c2.csv",
                                                     "name,domain\nAcme Corp,acme.com\n"
                                                     "Globex,globex.com\n"));
  EXPECT_EQ(renamed.updated, 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM companies"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM companies WHERE size_band = '201-1000'"), 1);
}

TEST_F(ImportTest, ActivitiesWithAnIdColumnAreStoredOnce) {
  std::string path = File("acts.csv",
                          "id,type,email,occurred_at,form\n"
                          "w1,form_submit,ana@example.com,2026-11-02T09:14:00Z,contact-us\n"
                          "w2,page_view,ana@example.com,2026-11-02T09:15:00Z,\n"
                          "w3,no such type,ana@example.com,2026-11-02T09:16:00Z,\n"
                          "w4,page_view,ana@example.com,2030-01-01T00:00:00Z,\n");
  auto r = Import(ImportKind::kActivities, path);
  EXPECT_EQ(r.imported, 2);
  EXPECT_EQ(r.people_created, 1);
  ASSERT_EQ(r.rejected.size(), 2u);
  EXPECT_EQ(r.rejected[0].column, "type");
  EXPECT_EQ(r.rejected[1].reason, "column 'occurred_at': '2030-01-01T00:00:00Z' is in the future");
  EXPECT_EQ(r.extra_columns.size(), 1u);
  (void)store_->Read([&](sql::Db& db) {
    auto entries = store::ReadJournal(db, Seq(0), 100);
    bool found = false;
    for (const auto& e : entries) {
      if (e.client_id == "w1") found = e.payload == R"({"form":"contact-us"})" && e.source == "csv";
    }
    EXPECT_TRUE(found);
    return Status::Ok();
  });

  int64_t journal = JournalRows();
  auto again = Import(ImportKind::kActivities, path);
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.unchanged, 2);
  EXPECT_EQ(JournalRows(), journal);
}

TEST_F(ImportTest, ActivitiesWithoutAnIdColumnGetDeterministicIds) {
  std::string path = File("acts.csv",
                          "type,email,when,source\n"
                          "page_view,ana@example.com,2026-11-02T09:15:00Z,web\n"
                          "email_open,ana@example.com,2026-11-03,\n");
  ImportOptions dry{.dry_run = true};
  auto preview = Import(ImportKind::kActivities, path, dry);
  EXPECT_EQ(preview.imported, 2);
  EXPECT_EQ(preview.people_created, 1);
  EXPECT_EQ(JournalRows(), 0);

  auto first = Import(ImportKind::kActivities, path);
  EXPECT_EQ(first.imported, 2);
  int64_t journal = JournalRows();
  auto second = Import(ImportKind::kActivities, path);
  EXPECT_EQ(second.imported, 0);
  EXPECT_EQ(second.unchanged, 2);
  EXPECT_EQ(JournalRows(), journal);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM journal WHERE client_id LIKE 'row-%'"), 2);
}

// What a dry run of an activities file reports, row by row, is what the import then does:
// the dry run goes through the same store code inside a transaction it rolls back.
TEST_F(ImportTest, ADryRunOfActivitiesRejectsExactlyWhatTheImportRejects) {
  People(File("people.csv", "email\nana@example.com\nbo@example.com\n"));
  std::string ana = std::to_string(PersonByEmail("ana@example.com").id.value());
  std::string bo = std::to_string(PersonByEmail("bo@example.com").id.value());
  std::string text =
      "id,type,email,person_id,occurred_at\n"
      "a1,page_view,ana@example.com,,2026-11-02T09:00:00Z\n";
  text += "a2,page_view,bo@example.com," + ana + ",2026-11-02T09:01:00Z\n";  // two people
  text +=
      "a3,page_view,,999,2026-11-02T09:02:00Z\n"                 // nobody
      "a1,page_view,ana@example.com,,2026-11-02T09:00:00Z\n"     // a duplicate
      "a1,email_open,ana@example.com,,2026-11-02T09:00:00Z\n"    // an id reused
      "a4,no_such_type,ana@example.com,,2026-11-02T09:03:00Z\n"  // not in the catalogue
      "a5,page_view,new@example.com,,2026-11-02T09:04:00Z\n"     // creates a person
      "a6,page_view,new@example.com,,2026-11-02T09:05:00Z\n";    // finds that person
  std::string path = File("acts.csv", text);
  int64_t journal = JournalRows();
  size_t pending = store_->pending_timeline().size();

  auto dry = Import(ImportKind::kActivities, path, {.dry_run = true, .batch_rows = 3});
  EXPECT_EQ(JournalRows(), journal);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people"), 2);
  EXPECT_EQ(store_->pending_timeline().size(), pending);
  EXPECT_TRUE(dry.rejected_file.empty());

  auto real = Import(ImportKind::kActivities, path, {.batch_rows = 3});
  EXPECT_EQ(real.imported, 3);
  EXPECT_EQ(real.unchanged, 1);
  EXPECT_EQ(real.people_created, 1);
  auto rows = [](const ImportReport& r) {
    std::vector<std::tuple<int64_t, std::string, std::string>> out;
    for (const auto& p : r.rejected) out.emplace_back(p.row, p.column, p.reason);
    return out;
  };
  using Row = std::tuple<int64_t, std::string, std::string>;
  ASSERT_EQ(rows(real).size(), 4u);
  EXPECT_EQ(rows(real)[0], Row(3, "", "email bo@example.com belongs to person " + bo));
  EXPECT_EQ(rows(real)[1], Row(4, "person_id", "column 'person_id': no person with id 999"));
  EXPECT_EQ(std::get<1>(rows(real)[2]), "id");
  EXPECT_EQ(std::get<1>(rows(real)[3]), "type");

  EXPECT_EQ(rows(dry), rows(real));
  EXPECT_EQ(dry.imported, real.imported);
  EXPECT_EQ(dry.unchanged, real.unchanged);
  EXPECT_EQ(dry.people_created, real.people_created);
}

}  // namespace
}  // namespace tandem::ingest
