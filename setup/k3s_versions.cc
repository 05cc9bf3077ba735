#include "setup/k3s_versions.h"

#include <algorithm>

#include "names/names.h"

namespace macula {

namespace {

// kK3sBinary's directory and kK3sVersionsDir are siblings under /opt/macula.
constexpr std::string_view kLinkPrefix = "../k3s/";
constexpr std::string_view kLinkSuffix = "/k3s";

}  // namespace

std::string k3s_version_binary(std::string_view version) {
  return std::string(kK3sVersionsDir) + "/" + std::string(version) + std::string(kLinkSuffix);
}

std::string k3s_link_target(std::string_view version) {
  return std::string(kLinkPrefix) + std::string(version) + std::string(kLinkSuffix);
}

std::optional<std::string> k3s_linked_version(std::string_view target) {
  if (!target.starts_with(kLinkPrefix) || !target.ends_with(kLinkSuffix)) return std::nullopt;
  std::string_view version = target.substr(kLinkPrefix.size(), target.size() - kLinkPrefix.size() - kLinkSuffix.size());
  if (version.empty() || version.find('/') != std::string_view::npos || version == "." || version == "..")
    return std::nullopt;
  return std::string(version);
}

K3sFollowPlan plan_k3s_follow(std::string_view pinned, const std::optional<std::string>& linked,
                              const std::vector<std::string>& installed) {
  K3sFollowPlan plan;
  const bool pinned_installed = std::find(installed.begin(), installed.end(), pinned) != installed.end();
  // the other slot's version is not known here: it is the one linked before the last move
  if (linked == pinned && pinned_installed) return plan;
  plan.action = pinned_installed ? K3sFollow::relink : K3sFollow::fetch;
  for (const std::string& version : installed)
    if (version != pinned && version != linked) plan.unneeded.push_back(version);
  return plan;
}

}  // namespace macula
