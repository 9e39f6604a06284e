// Person and company changes folded into the profiles the engine grades — once, for any
// number of engines replaying the same journal side by side. JournalReplay (lead_replay.h)
// hands each change to one engine, backtests to several; profile_fold_test.cc checks that an
// engine decides the same fed either way.
//
// Thread-safety: none; one fold per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "base/time.h"
#include "engine/lead_engine.h"

namespace simdjson::dom {
class object;
}

namespace tandem::ingest {

class ProfileFold {
 public:
  // Where a change goes: `erased` (forget the person) or a new profile to grade them by.
  // `profile` is valid only during the call (the fold reuses it for the next one).
  struct Sink {
    virtual void Profile(PersonId person, const engine::Profile& profile, Timestamp at,
                         Seq cause) = 0;
    virtual void Erased(PersonId person, Timestamp at, Seq cause) = 0;

   protected:
    ~Sink() = default;
  };

  // A person_changed entry's payload ({"fields": {...}}): the person's facts updated, then
  // their profile, always (as JournalReplay re-grades on every change).
  void PersonChanged(int64_t id, std::string_view payload, Timestamp at, Seq seq, Sink& sink);
  // A company_changed entry's payload: when it touches a graded fact (industry, size band,
  // country), the profile of each of the company's people, by ascending id.
  void CompanyChanged(int64_t id, std::string_view payload, Timestamp at, Seq seq, Sink& sink);
  void PersonErased(int64_t id, Timestamp at, Seq seq, Sink& sink);
  // The profile of every person known now, by ascending id (a policy switch re-grades all).
  void EachKnown(Timestamp at, Seq cause, Sink& sink);

  // Whether a company_changed payload changes a fact grading looks at (industry, size band,
  // country); only then are the company's people re-graded.
  static bool TouchesCompanyFacts(std::string_view payload);

 private:
  struct PersonFacts {
    std::string job_title, country, email;
    int64_t company = 0;
    bool known = false;
  };
  struct CompanyFacts {
    std::string industry, size_band, country;
  };
  void Fold(int64_t id, simdjson::dom::object fields);
  PersonFacts& PersonAt(int64_t id);
  CompanyFacts& CompanyAt(int64_t id);
  // The profile of p, in profile_ (reused, so its strings keep their buffers).
  const engine::Profile& ProfileOf(const PersonFacts& p);

  // A growable array in pages of 4096, so growing never moves what it holds.
  template <typename T>
  class Paged {
   public:
    size_t size() const { return pages_.size() << kShift; }
    T& operator[](size_t i) { return pages_[i >> kShift][i & (kPage - 1)]; }
    const T& operator[](size_t i) const { return pages_[i >> kShift][i & (kPage - 1)]; }
    T& Grow(size_t i) {
      if (i >= (size_t{1} << 40)) throw std::length_error("record id out of range");
      while (i >= size()) pages_.push_back(std::make_unique<T[]>(kPage));
      return (*this)[i];
    }

   private:
    static constexpr size_t kShift = 12, kPage = size_t{1} << kShift;
    std::vector<std::unique_ptr<T[]>> pages_;
  };

  // By id (people and companies share one dense id space).
  Paged<PersonFacts> people_;
  Paged<CompanyFacts> companies_;
  std::vector<std::vector<int64_t>> members_;  // company → people (may be stale)
  engine::Profile profile_;
};

}  // namespace tandem::ingest
