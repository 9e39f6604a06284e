// The route table: method + path pattern → permission and handler. The OpenAPI document and
// its completeness test are built from the same table.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "api/http.h"
#include "domain/user.h"

namespace tandem::api {

// What a caller must be allowed to do for a route.
enum class Permission {
  kPublic,     // no token (only /health and the API document)
  kRead,       // any valid token
  kWrite,      // people, companies, activities: every role but viewer
  kConfigure,  // policy, SLA, activity types: admin and marketing
  kAdmin,      // users and tokens of others
};

struct Call {
  const Request& request;
  std::map<std::string, std::string> params;  // from {name} segments of the pattern
  TokenInfo caller;                           // unset for kPublic routes
};

using RouteHandler = std::function<Response(const Call&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/people/{id}"
  Permission permission;
  std::string summary;  // one line for the API document
  RouteHandler handler;
};

class Router {
 public:
  void Add(Route route);
  const std::vector<Route>& routes() const { return routes_; }

  // The route for method and path, with its params. When the path matches but no method
  // does, *path_known is set so the caller can answer 405.
  const Route* Match(const std::string& method, const std::string& path,
                     std::map<std::string, std::string>& params, bool* path_known) const;

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;  // routes_[i].pattern split on '/'
};

}  // namespace tandem::api
