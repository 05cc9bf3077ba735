#include "upgrade/cluster_lease.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;  // 2027-01-15T08:00:00Z

TEST_CASE("a lease per node that may upgrade at once") {
  CHECK(upgrade_lease_names(2) == std::vector<std::string>{"maculaos-upgrade-0", "maculaos-upgrade-1"});
}

TEST_CASE("the lease a node takes reads back as its own, for two hours") {
  const std::string created = lease_manifest("maculaos-upgrade-0", "edge-1", kNow);
  CHECK(created.find(R"("resourceVersion")") == std::string::npos);
  CHECK(created.find(R"("namespace": "kube-system")") != std::string::npos);
  CHECK(created.find(R"("renewTime": "2027-01-15T08:00:00.000000Z")") != std::string::npos);
  // what the API server answers a get with: the same, plus its resourceVersion
  const std::string stored = lease_manifest("maculaos-upgrade-0", "edge-1", kNow, "4711");
  auto lease = parse_lease(stored, "fixture lease");
  REQUIRE(lease);
  CHECK(lease->holder == "edge-1");
  CHECK(lease->renewed == kNow);
  CHECK(lease->duration == 7200);
  CHECK(lease->resource_version == "4711");
  CHECK(lease_standing(*lease, "edge-1", kNow + 60) == LeaseStanding::mine);
  CHECK(lease_standing(*lease, "edge-2", kNow + 60) == LeaseStanding::held);
  CHECK(lease_standing(*lease, "edge-2", kNow + 7200) == LeaseStanding::free);  // its holder let it expire
}

TEST_CASE("a lease with no holder is free, and one without a version is not a lease") {
  auto empty = parse_lease(R"({"metadata": {"name": "maculaos-upgrade-0", "resourceVersion": "9"}, "spec": {}})", "fixture lease");
  REQUIRE(empty);
  CHECK(lease_standing(*empty, "edge-1", kNow) == LeaseStanding::free);
  auto odd = parse_lease(R"({"metadata": {"name": "maculaos-upgrade-0"}})", "fixture lease");
  REQUIRE_FALSE(odd);
  CHECK(odd.error().text() == "fixture lease: expected a Lease with metadata.resourceVersion");
}

TEST_CASE("MicroTime with or without its fraction, and the epoch (so expired) for what does not read") {
  CHECK(parse_micro_time("2027-01-15T08:00:00.123456Z") == kNow);
  CHECK(parse_micro_time("2027-01-15T08:00:00Z") == kNow);
  CHECK(parse_micro_time("yesterday") == 0);
  CHECK(micro_time(kNow) == "2027-01-15T08:00:00.000000Z");
}

}  // namespace
}  // namespace macula
