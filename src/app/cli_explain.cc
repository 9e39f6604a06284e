// tandem explain PERSON: why a person has their score, grade and stage — read from the store
// (replaying its journal), or through a running server's API with --url and --token.
#include <cctype>
#include <charconv>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "api/lead_json.h"
#include "app/cli.h"
#include "app/http_client.h"
#include "ingest/lead_model.h"
#include "ingest/normalise.h"
#include "store/people.h"

namespace tandem::app {
namespace {

using nlohmann::json;

struct ExplainArgs {
  std::string person;  // an id, or an e-mail
  bool json = false;
};

std::string Num(const json& v) { return v.is_number() ? api::JsonNumber(v.get<double>()) : "-"; }
std::string Str(const json& v) { return v.is_string() ? v.get<std::string>() : "-"; }

void PrintScore(const json& e) {
  std::printf("Score %s", Num(e["score"]).c_str());
  if (e["decayed"].is_number() && e["decayed"].get<double>() != 0) {
    std::printf(" (%s lost to decay)", Num(e["decayed"]).c_str());
  }
  std::printf("\n");
  for (const auto& r : e["rules"]) {
    int64_t n = r["activities"].get<int64_t>();
    std::printf("  %-24s %-20s %8s  from %lld %s\n", Str(r["rule"]).c_str(),
                Str(r["activity"]).c_str(), Num(r["points"]).c_str(), static_cast<long long>(n),
                n == 1 ? "activity" : "activities");
  }
}

void PrintGrade(const json& e) {
  std::printf("\nGrade %s", Str(e["grade"]).c_str());
  if (e["persona"].is_string()) {
    std::printf(", persona %s", e["persona"].get<std::string>().c_str());
  } else {
    std::printf(", no persona fits");
  }
  std::printf("\n");
  for (const auto& c : e["criteria"]) {
    int thirds = c["thirds"].get<int>();
    std::printf("  %-16s %-24s %+d %s\n", Str(c["fact"]).c_str(), Str(c["value"]).c_str(), thirds,
                thirds == 1 || thirds == -1 ? "third" : "thirds");
  }
}

void PrintStage(const json& e) {
  std::printf("\nStage %s\n", Str(e["stage"]).c_str());
  for (const auto& s : e["stages"]) {
    std::printf("  %s -> %s by %s", Str(s["from"]).c_str(), Str(s["to"]).c_str(),
                Str(s["rule"]).c_str());
    if (s["policy_version"].get<int>() > 0) {
      std::printf(" (policy version %d)", s["policy_version"].get<int>());
    }
    std::printf(" at %s", Str(s["at"]).c_str());
    if (s["cause"].is_number()) {
      std::printf(", caused by journal entry %lld",
                  static_cast<long long>(s["cause"].get<int64_t>()));
    }
    std::printf("\n");
  }
}

void Print(const json& e, bool as_json) {
  if (as_json) {
    std::cout << e.dump(2) << "\n";
    return;
  }
  std::printf("Person %lld as of %s, under policy version %d\n\n",
              static_cast<long long>(e["person"].get<int64_t>()), Str(e["as_of"]).c_str(),
              e["policy_version"].get<int>());
  PrintScore(e);
  PrintGrade(e);
  PrintStage(e);
}

// Through the API: the person's id (looked up by e-mail if need be), then the explanation.
Result<json> Remote(const Globals& g, const std::string& person) {
  auto get = [&](const std::string& path) -> Result<json> {
    auto answer = CallApi(g.url, g.token, "GET", path);
    if (!answer.ok()) return answer.status();
    json j = json::parse(*answer, nullptr, false);
    if (j.is_discarded()) return FailedPrecondition("the server's answer is not JSON");
    return j;
  };
  std::string id = person;
  if (person.find('@') != std::string::npos) {
    auto page = get("/api/v1/people?email=" + QueryEscape(person));
    if (!page.ok()) return page.status();
    if ((*page)["items"].empty()) return NotFound("no person with e-mail " + person);
    id = std::to_string((*page)["items"][0]["id"].get<int64_t>());
  }
  return get("/api/v1/people/" + id + "/explain");
}

// The store, held while explaining: the lead model replays its journal, and a server holding
// it keeps part of that in memory, so with a server the answer comes through --url.
Result<std::unique_ptr<store::Store>> OpenStore(const Globals& g) {
  return g.OpenForWrite("tandem explain");
}

Result<PersonId> ResolvePerson(store::Store& store, const std::string& person) {
  if (person.find('@') == std::string::npos) {
    int64_t id = 0;
    auto [end, ec] = std::from_chars(person.data(), person.data() + person.size(), id);
    if (ec != std::errc() || end != person.data() + person.size() || id <= 0) {
      return InvalidArgument("PERSON must be a person id or an e-mail address");
    }
    return PersonId(id);
  }
  auto email = ingest::NormaliseEmail(person);
  if (!email.ok()) return InvalidArgument("PERSON: " + email.status().message());
  std::optional<PersonId> found;
  TANDEM_RETURN_IF_ERROR(store.Read([&](sql::Db& db) {
    found = store::FindPersonByEmail(db, *email);
    return Status::Ok();
  }));
  if (!found) return NotFound("no person with e-mail " + *email);
  return *found;
}

Result<json> Local(const Globals& g, const std::string& person) {
  auto store = OpenStore(g);
  if (!store.ok()) return store.status();
  auto id = ResolvePerson(**store, person);
  if (!id.ok()) return id.status();
  auto policy = DefaultPolicyText(g.Resolve());
  if (!policy.ok()) return policy.status();
  auto leads = ingest::LeadModel::Open(**store, *policy);
  if (!leads.ok()) return leads.status();
  auto e = (*leads)->Explain(*id, g.clock.Now());
  if (!e.ok()) return e.status();
  return json::parse(api::ExplanationJson(*e));
}

int Explain(const Globals& g, const ExplainArgs& a) {
  auto e = g.url.empty() ? Local(g, a.person) : Remote(g, a.person);
  if (!e.ok()) return Fail(e.status());
  Print(*e, a.json);
  return 0;
}

}  // namespace

void AddExplainCommand(CLI::App& app, Globals& g) {
  auto a = std::make_shared<ExplainArgs>();
  auto* sub = app.add_subcommand(
      "explain", "Why a person has their score, grade and stage under the active policy");
  sub->add_option("person", a->person, "A person id or e-mail address")->required();
  sub->add_flag("--json", a->json, "Print the explanation as JSON (as the API gives it)");
  sub->add_option("--url", g.url, "Ask a running server, e.g. http://127.0.0.1:8080");
  sub->add_option("--token", g.token, "A token for --url");
  sub->callback([&g, a] {
    if (int rc = Explain(g, *a)) throw CLI::RuntimeError(rc);
  });
}

}  // namespace tandem::app
