// The fixture the backtest and calibration tests share: a fresh store in a temporary
// directory, people and activities put in through the real ingest path, and policies
// compiled from TOML.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "engine/compiled_policy.h"
#include "engine/policy_toml.h"
#include "ingest/activities.h"
#include "ingest/records.h"

namespace tandem::ingest {

class AnalysisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tandem-analysis-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    store_ = std::move(*store::Store::Open((dir_ / "t.db").string(), clock_));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Creates a person (now, by the clock) with an e-mail and optionally a job title.
  PersonId AddPerson(const std::string& email, const std::string& job_title = "") {
    PersonId id;
    Status st = store_->Write([&](store::WriteTxn& txn) {
      PersonFields f{.emails = std::vector<std::string>{email}};
      if (!job_title.empty()) f.job_title = job_title;
      auto r = CreatePerson(txn, f, {});
      if (r.ok()) id = r->person.id;
      return r.status();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return id;
  }

  // Posts `count` activities of type for email, one minute apart from `at`.
  void Post(const std::string& email, const std::string& type, const std::string& at, int count = 1,
            const std::string& properties = "{}") {
    std::string body = "[";
    Timestamp t = *ParseTimestamp(at);
    for (int i = 0; i < count; ++i) {
      if (i) body += ",";
      body += R"({"id":"a)" + std::to_string(next_id_++) + R"(","type":")" + type +
              R"(","email":")" + email + R"(","occurred_at":")" +
              FormatTimestamp(t + std::chrono::minutes(i)) + R"(","properties":)" + properties +
              "}";
    }
    body += "]";
    auto parsed = ParseActivities(body, *ParseTimestamp("2026-04-30T00:00:00Z"), {});
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    ASSERT_TRUE(parsed->rejected.empty()) << parsed->rejected[0].reason;
    auto r = StoreActivities(*store_, parsed->items, parsed->rejected, {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->accepted, count);
  }

  static std::shared_ptr<const engine::CompiledPolicy> Compile(const std::string& toml,
                                                               int version = 0) {
    auto parsed = engine::ParsePolicy(toml);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    auto compiled = engine::CompiledPolicy::Compile(std::move(*parsed), version);
    EXPECT_TRUE(compiled.ok()) << compiled.status().ToString();
    return *compiled;
  }

  // People are created on 1 March 2026; activities may be dated up to the end of April.
  FakeClock clock_{*ParseTimestamp("2026-03-01T00:00:00Z")};
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  int next_id_ = 1;
};

}  // namespace tandem::ingest
