// The fixture the CSV import tests share (import_test.cc, import_other_test.cc): a fresh
// store in a temporary directory, files written there, and ways to look at the result.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "ingest/import.h"
#include "store/journal.h"
#include "store/people.h"
#include "store/users.h"

namespace tandem::ingest {

// Not in an anonymous namespace: both test files' TEST_Fs must see one fixture type.
class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tandem-import-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = std::move(*store::Store::Open((dir_ / "t.db").string(), clock_));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string File(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  ImportReport Import(ImportKind kind, const std::string& path, ImportOptions opt = {}) {
    auto r = ImportCsv(*store_, kind, path, opt);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : ImportReport{};
  }
  ImportReport People(const std::string& path, ImportOptions opt = {}) {
    return Import(ImportKind::kPeople, path, std::move(opt));
  }

  int64_t Count(const char* sql) {
    int64_t n = -1;
    (void)store_->Read([&](sql::Db& db) {
      auto s = db.Prepare(sql);
      (*s)->Step();
      n = (*s)->Int(0);
      return Status::Ok();
    });
    return n;
  }
  int64_t JournalRows() { return Count("SELECT COUNT(*) FROM journal"); }

  Person PersonByEmail(const std::string& email) {
    Person p;
    (void)store_->Read([&](sql::Db& db) {
      auto id = store::FindPersonByEmail(db, email);
      EXPECT_TRUE(id.has_value()) << email;
      if (id) p = *store::LoadPerson(db, *id);
      return Status::Ok();
    });
    return p;
  }

  FakeClock clock_{*ParseTimestamp("2026-11-10T12:00:00Z")};
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace tandem::ingest
