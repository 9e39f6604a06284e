#include "api/router.h"

#include "base/strings.h"

namespace tandem::api {
namespace {

bool MatchSegments(const std::vector<std::string>& pattern,
                   const std::vector<std::string_view>& path,
                   std::map<std::string, std::string>& params) {
  if (pattern.size() != path.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const std::string& p = pattern[i];
    bool is_param = p.size() > 2 && p.front() == '{' && p.back() == '}';
    if (is_param ? path[i].empty() : p != path[i]) return false;
  }
  for (size_t i = 0; i < pattern.size(); ++i) {
    const std::string& p = pattern[i];
    if (p.size() > 2 && p.front() == '{') params[p.substr(1, p.size() - 2)] = path[i];
  }
  return true;
}

}  // namespace

void Router::Add(Route route) {
  std::vector<std::string> segs;
  for (auto s : Split(route.pattern, '/')) segs.emplace_back(s);
  segments_.push_back(std::move(segs));
  routes_.push_back(std::move(route));
}

const Route* Router::Match(const std::string& method, const std::string& path,
                           std::map<std::string, std::string>& params, bool* path_known) const {
  *path_known = false;
  auto parts = Split(path, '/');
  for (size_t i = 0; i < routes_.size(); ++i) {
    std::map<std::string, std::string> p;
    if (!MatchSegments(segments_[i], parts, p)) continue;
    *path_known = true;
    if (routes_[i].method == method || (method == "HEAD" && routes_[i].method == "GET")) {
      params = std::move(p);
      return &routes_[i];
    }
  }
  return nullptr;
}

}  // namespace tandem::api
