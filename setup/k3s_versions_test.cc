#include "setup/k3s_versions.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

using Versions = std::vector<std::string>;
constexpr const char* kOld = "v1.31.4+k3s1";
constexpr const char* kNew = "v1.32.1+k3s1";

TEST_CASE("k3s versions: the link names its version's binary, relative to the bin directory") {
  CHECK(k3s_version_binary(kNew) == "/opt/macula/k3s/v1.32.1+k3s1/k3s");
  CHECK(k3s_link_target(kNew) == "../k3s/v1.32.1+k3s1/k3s");
  CHECK(k3s_linked_version(k3s_link_target(kNew)) == kNew);
}

TEST_CASE("k3s versions: a link of another shape names no version") {
  CHECK_FALSE(k3s_linked_version("/usr/bin/k3s"));
  CHECK_FALSE(k3s_linked_version("../k3s//k3s"));
  CHECK_FALSE(k3s_linked_version("../k3s/../k3s"));
  CHECK_FALSE(k3s_linked_version("../k3s/a/b/k3s"));
  CHECK_FALSE(k3s_linked_version("../k3s/v1.31.4+k3s1/kubectl"));
}

TEST_CASE("k3s follows the OS: the pinned version linked already is left as it is, the other slot's kept") {
  const K3sFollowPlan plan = plan_k3s_follow(kNew, kNew, Versions{kOld, kNew});
  CHECK(plan.action == K3sFollow::nothing);
  CHECK(plan.unneeded.empty());  // kOld may be the other slot's: a run of setup again keeps it
}

TEST_CASE("k3s follows the OS: a new slot's first boot fetches its newer k3s and keeps the old one") {
  const K3sFollowPlan plan = plan_k3s_follow(kNew, kOld, Versions{kOld});
  CHECK(plan.action == K3sFollow::fetch);
  CHECK(plan.unneeded.empty());  // a fallback runs the old slot's k3s again
}

TEST_CASE("k3s follows the OS: a fallback points the link back at the old slot's k3s, still installed") {
  const K3sFollowPlan plan = plan_k3s_follow(kOld, kNew, Versions{kNew, kOld});
  CHECK(plan.action == K3sFollow::relink);
  CHECK(plan.unneeded.empty());
}

TEST_CASE("k3s follows the OS: versions neither slot pins are unneeded") {
  const K3sFollowPlan plan = plan_k3s_follow(kNew, kOld, Versions{"v1.30.0+k3s1", kOld, kNew});
  CHECK(plan.action == K3sFollow::relink);
  CHECK(plan.unneeded == Versions{"v1.30.0+k3s1"});
}

TEST_CASE("k3s follows the OS: a link whose version directory is gone is fetched again") {
  CHECK(plan_k3s_follow(kOld, kOld, Versions{}).action == K3sFollow::fetch);
}

TEST_CASE("k3s follows the OS: a k3s installed before versions had directories is replaced by the pinned one") {
  const K3sFollowPlan plan = plan_k3s_follow(kOld, std::nullopt, Versions{});
  CHECK(plan.action == K3sFollow::fetch);
}

}  // namespace
}  // namespace macula
