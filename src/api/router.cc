#include "api/router.h"

#include "base/strings.h"

namespace tandem::api {
namespace {

bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string>& params) {
  auto ps = Split(pattern, '/');
  auto xs = Split(path, '/');
  if (ps.size() != xs.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < ps.size(); ++i) {
    if (ps[i].size() > 2 && ps[i].front() == '{' && ps[i].back() == '}') {
      if (xs[i].empty()) return false;
      found[std::string(ps[i].substr(1, ps[i].size() - 2))] = std::string(xs[i]);
    } else if (ps[i] != xs[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

const Route* Router::Match(const std::string& method, const std::string& path,
                           std::map<std::string, std::string>& params, bool* path_known) const {
  *path_known = false;
  for (const auto& r : routes_) {
    std::map<std::string, std::string> p;
    if (!MatchPattern(r.pattern, path, p)) continue;
    *path_known = true;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      params = std::move(p);
      return &r;
    }
  }
  return nullptr;
}

}  // namespace tandem::api
