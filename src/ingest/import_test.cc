// CSV import of people: matching, updating, rejected rows and the rejected file, warnings,
// batches, dry runs and --map. Companies, activities and file-level errors are in
// import_other_test.cc.
#include "ingest/import.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "ingest/import_test_fixture.h"
#include "store/people.h"
#include "store/users.h"

namespace tandem::ingest {
namespace {

namespace fs = std::filesystem;

constexpr const char* kThreePeople =
    "email,first_name,last_name,job_title,country\n"
    "ana@example.com,Ana,Silva,CTO,pt\n"
    "bo@example.com,Bo,Berg,Engineer,SE\n"
    "cy@example.com,Cy,Chan,,\n";

TEST_F(ImportTest, PeopleAreCreatedUpdatedOrLeftUnchanged) {
  auto first = People(File("people.csv", kThreePeople));
  EXPECT_EQ(first.rows_read, 3);
  EXPECT_EQ(first.imported, 3);
  EXPECT_EQ(PersonByEmail("ana@example.com").country, "PT");

  auto second = People(File("people2.csv",
                            "email,first_name,last_name,job_title,country\n"
                            "ana@example.com,Ana,Silva,CEO,PT\n"
                            "bo@example.com,Bo,Berg,Engineer,SE\n"
                            "dee@example.com,Dee,Diaz,,\n"));
  EXPECT_EQ(second.imported, 1);
  EXPECT_EQ(second.updated, 1);
  EXPECT_EQ(second.unchanged, 1);
  EXPECT_TRUE(second.rejected.empty());
  EXPECT_EQ(PersonByEmail("ana@example.com").job_title, "CEO");
}

TEST_F(ImportTest, ReimportingTheSameFileChangesNothing) {
  std::string path = File("people.csv",
                          "Email,First Name,Company,Website,Phone,Lead Source,external_id\n"
                          "ana@example.com,Ana,Acme,acme.com,+1 415 555 2671,webinar,crm:1\n"
                          "bo@example.com,Bo,Acme,acme.com,not a phone,fair,crm:2\n");
  auto first = People(path);
  EXPECT_EQ(first.imported, 2);
  int64_t journal = JournalRows();
  ASSERT_GT(journal, 0);

  auto second = People(path);
  EXPECT_EQ(second.imported, 0);
  EXPECT_EQ(second.updated, 0);
  EXPECT_EQ(second.unchanged, 2);
  EXPECT_EQ(JournalRows(), journal);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM companies"), 1);
}

TEST_F(ImportTest, HeadersMatchAliasesCaseInsensitively) {
  auto r = People(File("people.csv",
                       " E-Mail ,FIRST NAME,Surname,Job Title,Company Name,Domain,Mobile,Email 2\n"
                       "Ana@Example.com,Ana,Silva,CTO,Acme Inc,https://www.acme.com/,"
                       "+44 20 7123 4567,ana.silva@acme.com\n"));
  ASSERT_EQ(r.imported, 1);
  EXPECT_TRUE(r.extra_columns.empty());
  Person p = PersonByEmail("ana@example.com");
  EXPECT_EQ(p.emails, (std::vector<std::string>{"ana@example.com", "ana.silva@acme.com"}));
  EXPECT_EQ(p.last_name, "Silva");
  EXPECT_EQ(p.job_title, "CTO");
  ASSERT_EQ(p.phones.size(), 1u);
  EXPECT_EQ(p.phones[0].e164, "+442071234567");
  (void)store_->Read([&](sql::Db& db) {
    auto c = store::LoadCompany(db, p.company_id);
    EXPECT_TRUE(c.ok());
    if (c.ok()) {
      EXPECT_EQ(c->domain, "acme.com");
      EXPECT_EQ(c->name, "Acme Inc");
    }
    return Status::Ok();
  });
}

TEST_F(ImportTest, BadRowsGoToTheRejectedFileWhileGoodRowsLand) {
  std::string path = File("people.csv",
                          "email,first_name\n"
                          "ana@example.com,Ana\n"
                          "not-an-email,Bob\n"
                          ",Nobody\n"
                          "cy@example.com,Cy,extra\n"
                          "dee@example.com,\"De\"e\n"
                          "eve@example.com,\"Eve\nMulti\"\n");
  auto r = People(path);
  EXPECT_EQ(r.imported, 2);
  ASSERT_EQ(r.rejected.size(), 4u);
  EXPECT_EQ(r.rejected[0].row, 3);
  EXPECT_EQ(r.rejected[0].column, "email");
  EXPECT_EQ(r.rejected[0].reason,
            "column 'email': e-mail must have exactly one '@' with a local part before it");
  EXPECT_EQ(r.rejected[1].row, 4);
  EXPECT_EQ(r.rejected[1].reason, "no e-mail or external_id to identify the person");
  EXPECT_EQ(r.rejected[2].row, 5);
  EXPECT_EQ(r.rejected[2].reason, "row has 3 fields; the header has 2");
  EXPECT_EQ(r.rejected[3].row, 6);
  EXPECT_EQ(r.rejected[3].reason, "column 'first_name': text after closing quote");
  EXPECT_EQ(PersonByEmail("eve@example.com").first_name, "Eve Multi");

  EXPECT_EQ(r.rejected_file, (dir_ / "people.rejected.csv").string());
  EXPECT_EQ(Slurp(r.rejected_file),
            "email,first_name,error\n"
            "not-an-email,Bob,column 'email': e-mail must have exactly one '@' with a local "
            "part before it\n"
            ",Nobody,no e-mail or external_id to identify the person\n"
            "cy@example.com,Cy,extra,row has 3 fields; the header has 2\n"
            "dee@example.com,\"De\"e,column 'first_name': text after closing quote\n");
}

TEST_F(ImportTest, AStaleRejectedFileIsRemovedWhenNothingIsRejected) {
  std::string stale = File("people.rejected.csv", "old");
  auto r = People(File("people.csv", kThreePeople));
  EXPECT_TRUE(r.rejected.empty());
  EXPECT_TRUE(r.rejected_file.empty());
  EXPECT_FALSE(fs::exists(stale));
}

TEST_F(ImportTest, UnknownColumnsBecomeCustomFields) {
  auto r = People(File("people.csv",
                       "email,Lead Source,Favourite colour\n"
                       "ana@example.com,webinar,\n"));
  ASSERT_EQ(r.extra_columns.size(), 2u);
  EXPECT_EQ(r.extra_columns[0].column, "Lead Source");
  EXPECT_EQ(r.extra_columns[0].field, "lead_source");
  Person p = PersonByEmail("ana@example.com");
  EXPECT_EQ(p.custom.at("lead_source"), "webinar");
  EXPECT_FALSE(p.custom.contains("favourite_colour"));  // empty cells set nothing
}

TEST_F(ImportTest, AnUnparseablePhoneWarnsButKeepsTheRow) {
  auto r = People(File("people.csv", "email,phone\nana@example.com,call me maybe\n"));
  EXPECT_EQ(r.imported, 1);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].row, 2);
  EXPECT_EQ(r.warnings[0].column, "phone");
  EXPECT_EQ(r.warnings[0].reason,
            "column 'phone': 'call me maybe' is not a valid phone number; kept as given");
  Person p = PersonByEmail("ana@example.com");
  ASSERT_EQ(p.phones.size(), 1u);
  EXPECT_EQ(p.phones[0].raw, "call me maybe");
  EXPECT_TRUE(p.phones[0].e164.empty());
}

TEST_F(ImportTest, AnOwnerWhoIsNoUserWarnsAndLeavesTheOwnerUnset) {
  User rep{.email = "rep@corp.com", .name = "Rep"};
  ASSERT_TRUE(
      store_->Write([&](store::WriteTxn& txn) { return store::InsertUser(txn, rep); }).ok());
  auto r = People(File("people.csv",
                       "email,owner\nana@example.com,REP@corp.com\n"
                       "bo@example.com,ghost@corp.com\n"));
  EXPECT_EQ(r.imported, 2);
  EXPECT_EQ(PersonByEmail("ana@example.com").owner, rep.id);
  EXPECT_FALSE(PersonByEmail("bo@example.com").owner.valid());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].reason,
            "column 'owner': no user has the e-mail ghost@corp.com; owner left unset");
}

TEST_F(ImportTest, ExternalIdMatchesBeforeEmailAndEmailsAreAddedNotReplaced) {
  People(File("a.csv", "external_id,email\nhubspot:7,ana@example.com\n"));
  auto r = People(File("b.csv", "external_id,email\nhubspot:7,ana@newjob.com\n"));
  EXPECT_EQ(r.updated, 1);
  Person p = PersonByEmail("ana@newjob.com");
  EXPECT_EQ(p.emails, (std::vector<std::string>{"ana@example.com", "ana@newjob.com"}));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people"), 1);
}

TEST_F(ImportTest, ARowFailingInTheStoreLeavesTheRestOfItsBatch) {
  People(File("a.csv", "email\nana@example.com\nbo@example.com\n"));
  auto r = People(File("b.csv",
                       "email,email_2,company\n"
                       "cy@example.com,,Cyco\n"
                       "ana@example.com,bo@example.com,Ghost Co\n"
                       "dee@example.com,,Deeco\n"));
  EXPECT_EQ(r.imported, 2);
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].row, 3);
  EXPECT_EQ(r.rejected[0].column, "email_2");
  EXPECT_NE(r.rejected[0].reason.find("bo@example.com belongs to person"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM companies"), 2);  // no Ghost Co
}

TEST_F(ImportTest, ARowRefusedAfterItWroteLeavesNoTrace) {
  // The company is created before the person's fields are found wanting.
  std::string long_name(2000, 'x');
  auto r = People(File("people.csv",
                       "email,first_name,company\n"
                       "ana@example.com,Ana,Acme\n"
                       "bo@example.com," +
                           long_name +
                           ",Ghost Co\n"
                           "cy@example.com,Cy,Beta\n"));
  EXPECT_EQ(r.imported, 2);
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].row, 3);
  EXPECT_EQ(r.rejected[0].reason, "column 'first_name': longer than 1024 bytes");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM companies WHERE name = 'Ghost Co'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM companies"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people"), 2);
}

TEST_F(ImportTest, SyntaxErrorsAreRejectedNamingTheColumn) {
  auto r = People(File("people.csv",
                       "email,first_name\nana@example.com,Ana\n"
                       "bo@example.com,B\xC3(\n"
                       "cy@example.com,\"Cy\n"));
  EXPECT_EQ(r.imported, 1);
  ASSERT_EQ(r.rejected.size(), 2u);
  EXPECT_EQ(r.rejected[0].reason, "column 'first_name': invalid UTF-8");
  EXPECT_EQ(r.rejected[1].reason, "column 'first_name': unterminated quoted field");
  EXPECT_EQ(r.rejected[1].row, 4);
}

TEST_F(ImportTest, DryRunWritesNothingButReportsTheSame) {
  std::string path = File(
      "people.csv", std::string(kThreePeople) + "bad,row\n" + "ana@example.com,Ana,Silva,CTO,PT\n");
  std::string stale = File("people.rejected.csv", "old");
  ImportOptions opt{.dry_run = true, .batch_rows = 2};
  auto dry = People(path, opt);
  EXPECT_TRUE(dry.dry_run);
  EXPECT_EQ(dry.imported, 3);
  EXPECT_EQ(dry.unchanged, 1);  // sees the row created earlier in the same file
  EXPECT_EQ(dry.rejected.size(), 1u);
  EXPECT_EQ(JournalRows(), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people"), 0);
  EXPECT_TRUE(dry.rejected_file.empty());
  EXPECT_EQ(Slurp(stale), "old");

  auto real = People(path, {.batch_rows = 2});
  EXPECT_EQ(real.imported, dry.imported);
  EXPECT_EQ(real.unchanged, dry.unchanged);
  EXPECT_EQ(real.rejected.size(), dry.rejected.size());
}

TEST_F(ImportTest, EveryGoodRowLandsAcrossBatches) {
  std::string text = "email\n";
  for (int i = 0; i < 25; ++i) {
    text += i % 7 == 3 ? "broken\n" : "p" + std::to_string(i) + "@example.com\n";
  }
  std::vector<ImportProgress> progress;
  ImportOptions opt{.progress = [&](const ImportProgress& p) { progress.push_back(p); },
                    .batch_rows = 4};
  auto r = People(File("people.csv", text), opt);
  EXPECT_EQ(r.imported, 21);
  EXPECT_EQ(r.rejected.size(), 4u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM people"), 21);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().rows_done, 25);
  EXPECT_EQ(progress.back().bytes_done, progress.back().total_bytes);
}

TEST_F(ImportTest, TrailingCommasAreTolerated) {
  auto r = People(File("people.csv",
                       "email,first_name,,\r\nana@example.com,Ana,,\r\n"
                       "bo@example.com,Bo\r\ncy@example.com,Cy,,x\r\n"));
  EXPECT_EQ(r.imported, 2);
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].reason, "row has 4 fields; the header has 2");
}

TEST_F(ImportTest, MapOverridesColumnNames) {
  ImportOptions opt{
      .column_map = {{"Correo", "email"}, {"Notas", "custom.notes"}, {"Ignore me", "-"}}};
  auto r = People(File("people.csv", "correo,notas,ignore me\nana@example.com,hola,x\n"), opt);
  EXPECT_EQ(r.imported, 1);
  EXPECT_EQ(PersonByEmail("ana@example.com").custom,
            (std::map<std::string, std::string>{{"notes", "hola"}}));
}

TEST_F(ImportTest, TwentyThousandPeopleImportInSeconds) {
  std::string path = (dir_ / "big.csv").string();
  {
    std::ofstream out(path);
    out << "email,first_name,last_name,company,phone\n";
    for (int i = 0; i < 20'000; ++i) {
      out << "p" << i << "@example.com,First" << i << ",Last,Company " << i % 500 << ",+1 415 555 "
          << 1000 + i % 9000 << "\n";
    }
  }
  auto start = std::chrono::steady_clock::now();
  auto r = People(path);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.imported, 20'000);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM companies"), 500);
  EXPECT_LT(took, std::chrono::seconds(60));  // generous: batched, it takes a few seconds
}

}  // namespace
}  // namespace tandem::ingest
