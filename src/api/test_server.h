// Test support: a real Tandem API server on an ephemeral loopback port over a temporary store,
// and a blocking HTTP client to talk to it.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/api.h"
#include "api/http_server.h"
#include "base/time.h"
#include "ingest/lead_model.h"
#include "store/store.h"

namespace tandem::api {

struct TestReply {
  int status = 0;
  std::string content_type;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
};

class TestServer {
 public:
  explicit TestServer(size_t max_body_bytes = 32u << 20);
  ~TestServer();

  // Creates a user with role and returns a fresh token for them.
  std::string TokenFor(const std::string& email, Role role);

  TestReply Call(const std::string& method, const std::string& target, const std::string& token,
                 const std::string& body = "");
  // The same with extra request headers (they replace the defaults, e.g. Content-Type).
  TestReply Call(const std::string& method, const std::string& target, const std::string& token,
                 const std::string& body,
                 const std::vector<std::pair<std::string, std::string>>& headers);

  store::Store& store() { return *store_; }
  FakeClock& clock() { return clock_; }
  Api& api() { return *api_; }
  ingest::LeadModel& leads() { return *leads_; }
  ingest::SlaModel& sla() { return *sla_; }
  int port() const { return server_->port(); }

 private:
  FakeClock clock_{*ParseTimestamp("2026-11-10T12:00:00Z")};
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ingest::LeadModel> leads_;
  std::unique_ptr<ingest::SlaModel> sla_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<HttpServer> server_;
};

}  // namespace tandem::api
