// The HTTP routes every agreed document has (DESIGN.md, "Policy and SLA documents"), shared by
// the qualification policy and the SLA: GET /api/v1/<doc> (the active version), PUT (a new
// draft from TOML text), GET /versions, GET /versions/{v} and POST /versions/{v}/approve.
// Versions answer as TOML for Accept: application/toml, else as JSON (lead_json.h), with an
// ETag and a Tandem-<Doc>-Version header.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/router.h"
#include "base/status.h"
#include "domain/user.h"
#include "ingest/agreed_documents.h"

namespace tandem::api {

// What the routes need of a document's model (ingest::LeadModel, ingest::SlaModel).
// Implementations must be safe to call from any thread.
class AgreedDocumentPort {
 public:
  virtual ~AgreedDocumentPort() = default;
  virtual std::vector<ingest::DocumentVersion> Versions() const = 0;
  // kNotFound if there is no such version.
  virtual Result<ingest::DocumentVersion> Version(int version) const = 0;
  // Version 0 when none is active.
  virtual ingest::DocumentVersion Active() const = 0;
  // The model's checks: kInvalidArgument (key and line), kPermissionDenied, kTooLarge,
  // kFailedPrecondition (a stale if_match).
  virtual Result<ingest::DocumentVersion> Propose(std::string_view toml, const User& author,
                                                  std::optional<int> if_match) = 0;
  virtual Result<ingest::DocumentVersion> Approve(int version, const User& approver) = 0;
  // The parsed document of v as one JSON value, added to single-version answers as
  // "document"; "" to add nothing.
  virtual std::string DocumentJson(const ingest::DocumentVersion&) const { return ""; }
};

// An AgreedDocumentPort forwarding to a model with the same five methods.
template <typename Model>
class ModelDocuments : public AgreedDocumentPort {
 public:
  explicit ModelDocuments(Model& model) : model_(model) {}
  std::vector<ingest::DocumentVersion> Versions() const override { return model_.Versions(); }
  Result<ingest::DocumentVersion> Version(int version) const override {
    return model_.Version(version);
  }
  ingest::DocumentVersion Active() const override { return model_.Active(); }
  Result<ingest::DocumentVersion> Propose(std::string_view toml, const User& author,
                                          std::optional<int> if_match) override {
    return model_.Propose(toml, author, if_match);
  }
  Result<ingest::DocumentVersion> Approve(int version, const User& approver) override {
    return model_.Approve(version, approver);
  }

 protected:
  Model& model_;
};

// How one document is named on the wire.
struct DocumentNames {
  std::string segment;         // the path: /api/v1/<segment>
  std::string name;            // in messages: "policy", "SLA"
  std::string a_name;          // with its article: "a policy", "an SLA"
  std::string long_name;       // in summaries: "qualification policy"
  std::string version_header;  // "Tandem-Policy-Version"
  size_t max_bytes = 0;        // larger documents are refused unread (413)
};

// Adds the five routes for the document `names` describes, served by port.
void AddDocumentRoutes(Router& router, const DocumentNames& names,
                       std::shared_ptr<AgreedDocumentPort> port);

// The caller of c as the models see them.
User CallerOf(const Call& c);

}  // namespace tandem::api
