// An activity: something that happened to a person, at a time, from a source.
#pragma once

#include <string>

#include "base/ids.h"
#include "base/time.h"

namespace tandem {

// How an incoming activity names its person; exactly one route is used, in this order.
struct PersonRef {
  PersonId person_id;
  std::string email;        // normalised
  std::string external_id;  // "system:id"
};

// Invariants: (source, client_id) is the idempotency key; the same key always carries the
// same content; properties is a JSON object's text.
struct Activity {
  std::string client_id;
  std::string source = "api";
  std::string type;
  PersonRef person;
  Timestamp occurred_at{};
  std::string properties = "{}";
};

}  // namespace tandem
