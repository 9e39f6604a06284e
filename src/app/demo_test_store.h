// For the demo's tests: a store in its own temporary directory, opened with a demo clock and
// the models every writer runs (the built-in default policy and SLA), removed when done.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "app/demo.h"
#include "ingest/default_policy.h"
#include "ingest/default_sla.h"
#include "ingest/lead_model.h"
#include "ingest/sla_model.h"
#include "store/journal.h"
#include "store/people.h"

namespace tandem::app {

class TempStore {
 public:
  TempStore(const std::string& name, Timestamp now) : clock_(DemoHistoryStart(now)) {
    dir_ = std::filesystem::temp_directory_path() /
           ("tandem-demo-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir_);
    auto opened = store::Store::Open((dir_ / "t.db").string(), clock_, {.synchronous_full = false});
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    auto leads = ingest::LeadModel::Open(*store_, ingest::EmbeddedDefaultPolicy());
    EXPECT_TRUE(leads.ok()) << leads.status().ToString();
    leads_ = std::move(*leads);
    auto sla = ingest::OpenSlaModel(*store_, ingest::EmbeddedDefaultSla(), *leads_);
    EXPECT_TRUE(sla.ok()) << sla.status().ToString();
    sla_ = std::move(*sla);
  }
  ~TempStore() {
    sla_.reset();
    leads_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  store::Store& operator*() { return *store_; }
  ingest::LeadModel& leads() { return *leads_; }
  ingest::SlaModel& sla() { return *sla_; }
  DemoClock& clock() { return clock_; }

  Result<DemoSummary> Load(const DemoOptions& options) {
    return LoadDemo(*store_, {.clock = clock_, .sla = *sla_}, options);
  }

  // Runs a query returning one integer.
  int64_t Count(const std::string& sql) {
    int64_t n = -1;
    EXPECT_TRUE(store_
                    ->Read([&](sql::Db& db) {
                      auto s = db.Prepare(sql);
                      if (!s.ok()) return s.status();
                      if ((*s)->Step()) n = (*s)->Int(0);
                      return (*s)->status();
                    })
                    .ok())
        << sql;
    return n;
  }

  // Calls fn with every journal entry, in seq order.
  template <typename Fn>
  void ForEachEntry(Fn fn) {
    EXPECT_TRUE(store_
                    ->Read([&](sql::Db& db) {
                      for (Seq after;;) {
                        auto rows = store::ReadJournal(db, after, 5000);
                        if (rows.empty()) return Status::Ok();
                        for (const auto& e : rows) fn(e);
                        after = rows.back().seq;
                      }
                    })
                    .ok());
  }

  // A digest of every journal row's content (when it was recorded included) and every
  // person row.
  std::string Digest() {
    std::string text;
    ForEachEntry([&](const store::JournalEntry& e) {
      text += e.kind + '|' + std::to_string(e.subject) + '|' + e.type + '|' + e.source + '|' +
              e.client_id + '|' + std::to_string(ToMicros(e.occurred_at)) + '|' +
              std::to_string(ToMicros(e.recorded_at)) + '|' + e.actor + '|' +
              std::to_string(e.cause.value()) + '|' + e.reason + '|' + e.payload + '\n';
    });
    return store::ContentDigest(text + PeopleText());
  }

 private:
  std::string PeopleText() {
    std::string text;
    EXPECT_TRUE(store_
                    ->Read([&](sql::Db& db) {
                      for (int64_t after = 0;;) {
                        auto page = store::ListPeople(db, {}, after, 1000);
                        if (!page.ok()) return page.status();
                        if (page->empty()) return Status::Ok();
                        for (const Person& p : *page) {
                          text += std::to_string(p.id.value()) + p.first_name + '|' + p.last_name +
                                  '|' + p.job_title + '|' + p.country + '|' +
                                  std::to_string(p.company_id.value()) + '|' +
                                  std::to_string(p.owner.value()) + '|';
                          for (const auto& e : p.emails) text += e + ',';
                          for (const auto& ph : p.phones) text += ph.raw + '/' + ph.e164 + ',';
                          text += std::to_string(p.consent.size()) + '\n';
                        }
                        after = page->back().id.value();
                      }
                    })
                    .ok());
    return text;
  }

  DemoClock clock_;
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ingest::LeadModel> leads_;
  std::unique_ptr<ingest::SlaModel> sla_;
};

}  // namespace tandem::app
