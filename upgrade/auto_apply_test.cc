#include "upgrade/auto_apply.h"

#include <catch2/catch.hpp>
#include <map>
#include <vector>

#include "common/json_fields.h"
#include "upgrade/cluster_lease.h"

namespace macula {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::int64_t kNow = 1'800'000'000;

// The API server's Leases of kube-system and the nodes' schedulability, as kubectl would see
// them: a create of a Lease that exists and a replace on a stale resourceVersion are refused.
struct FakeApiServer {
  std::map<std::string, std::string> leases;  // name -> stored JSON
  std::map<std::string, bool> cordoned;
  std::vector<std::string> calls;
  int next_version = 100;
  std::string lost_race_on;  // a create or replace of this Lease loses to another node

  std::string store(const std::string& manifest) {
    auto doc = parse_json_object(manifest, "fixture manifest");
    REQUIRE(doc);
    json_object* metadata = nullptr;
    REQUIRE(json_object_object_get_ex(doc->get(), "metadata", &metadata));
    const std::string name = field_string(metadata, "name");
    json_object_object_add(metadata, "resourceVersion", json_object_new_string(std::to_string(next_version++).c_str()));
    leases[name] = json_object_to_json_string(doc->get());
    return name;
  }
  static std::string name_of(const std::string& manifest) {
    auto doc = parse_json_object(manifest, "fixture manifest");
    json_object* metadata = nullptr;
    json_object_object_get_ex(doc->get(), "metadata", &metadata);
    return field_string(metadata, "name");
  }
};

class FakeCluster : public UpgradeCluster {
 public:
  explicit FakeCluster(FakeApiServer& api) : api_(api) {}
  Result<std::optional<std::string>> get_lease(const std::string& name) override {
    api_.calls.push_back("get " + name);
    auto it = api_.leases.find(name);
    if (it == api_.leases.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  Result<bool> create_lease(const std::string& manifest) override {
    const std::string name = FakeApiServer::name_of(manifest);
    api_.calls.push_back("create " + name);
    if (api_.lost_race_on == name) {
      api_.lost_race_on.clear();
      api_.store(lease_manifest(name, "edge-other", kNow));
      return false;
    }
    if (api_.leases.count(name)) return false;
    api_.store(manifest);
    return true;
  }
  Result<bool> replace_lease(const std::string& manifest) override {
    const std::string name = FakeApiServer::name_of(manifest);
    api_.calls.push_back("replace " + name);
    auto stored = parse_lease(api_.leases.at(name), "stored");
    auto wanted = parse_lease(manifest, "replace");
    if (api_.lost_race_on == name || stored->resource_version != wanted->resource_version) return false;
    api_.store(manifest);
    return true;
  }
  Result<void> delete_lease(const std::string& name) override {
    api_.calls.push_back("delete " + name);
    api_.leases.erase(name);
    return {};
  }
  Result<void> drain(const std::string& node) override {
    api_.calls.push_back("drain " + node);
    api_.cordoned[node] = true;
    return {};
  }
  Result<void> uncordon(const std::string& node) override {
    api_.calls.push_back("uncordon " + node);
    api_.cordoned[node] = false;
    return {};
  }

 private:
  FakeApiServer& api_;
};

std::string holder(const FakeApiServer& api, const std::string& name) {
  auto lease = parse_lease(api.leases.at(name), "stored");
  REQUIRE(lease);
  return lease->holder;
}

TEST_CASE("with one place, the first node takes the lease and the second waits until it is given back") {
  FakeApiServer api;
  FakeCluster one(api), two(api);
  auto first = take_upgrade_lease(one, "edge-1", 1, kNow);
  REQUIRE(first);
  CHECK(*first == std::optional<std::string>("maculaos-upgrade-0"));
  auto second = take_upgrade_lease(two, "edge-2", 1, kNow + 60);
  REQUIRE(second);
  CHECK_FALSE(second->has_value());
  CHECK(holder(api, "maculaos-upgrade-0") == "edge-1");

  REQUIRE(release_node(one, {"edge-1", "maculaos-upgrade-0", "0.2.0"}, kNow + 600));
  CHECK(api.leases.empty());
  auto later = take_upgrade_lease(two, "edge-2", 1, kNow + 660);
  REQUIRE(later);
  CHECK(*later == std::optional<std::string>("maculaos-upgrade-0"));
}

TEST_CASE("max_unavailable places: a second node takes the next lease") {
  FakeApiServer api;
  FakeCluster one(api), two(api), three(api);
  REQUIRE(take_upgrade_lease(one, "edge-1", 2, kNow));
  auto second = take_upgrade_lease(two, "edge-2", 2, kNow);
  REQUIRE(second);
  CHECK(*second == std::optional<std::string>("maculaos-upgrade-1"));
  auto third = take_upgrade_lease(three, "edge-3", 2, kNow);
  REQUIRE(third);
  CHECK_FALSE(third->has_value());
}

TEST_CASE("a lease whose holder died is taken once it expired, on the version read") {
  FakeApiServer api;
  FakeCluster dead(api), alive(api);
  REQUIRE(take_upgrade_lease(dead, "edge-1", 1, kNow));
  auto early = take_upgrade_lease(alive, "edge-2", 1, kNow + 7199);
  REQUIRE(early);
  CHECK_FALSE(early->has_value());
  auto expired = take_upgrade_lease(alive, "edge-2", 1, kNow + 7200);
  REQUIRE(expired);
  CHECK(*expired == std::optional<std::string>("maculaos-upgrade-0"));
  CHECK(holder(api, "maculaos-upgrade-0") == "edge-2");
  // the dead node, back, finds its lease taken: it uncordons itself and leaves the lease alone
  api.calls.clear();
  REQUIRE(release_node(dead, {"edge-1", "maculaos-upgrade-0", "0.2.0"}, kNow + 7300));
  CHECK(api.calls == std::vector<std::string>{"uncordon edge-1", "get maculaos-upgrade-0"});
  CHECK(holder(api, "maculaos-upgrade-0") == "edge-2");
}

TEST_CASE("a node that loses the race to create or to replace a lease does not hold it") {
  FakeApiServer api;
  FakeCluster node(api);
  api.lost_race_on = "maculaos-upgrade-0";
  auto lost = take_upgrade_lease(node, "edge-1", 1, kNow);
  REQUIRE(lost);
  CHECK_FALSE(lost->has_value());
  CHECK(holder(api, "maculaos-upgrade-0") == "edge-other");
  // expired, but another node's replace comes first
  api.lost_race_on = "maculaos-upgrade-0";
  auto again = take_upgrade_lease(node, "edge-1", 1, kNow + 7200);
  REQUIRE(again);
  CHECK_FALSE(again->has_value());
}

TEST_CASE("a node that held its lease before the reboot takes it again") {
  FakeApiServer api;
  FakeCluster node(api);
  REQUIRE(take_upgrade_lease(node, "edge-1", 1, kNow));
  auto again = take_upgrade_lease(node, "edge-1", 1, kNow + 60);
  REQUIRE(again);
  CHECK(*again == std::optional<std::string>("maculaos-upgrade-0"));
}

TEST_CASE("the pending apply reads back, and one changed by hand is an error naming it") {
  const PendingApply pending{"edge-1", "maculaos-upgrade-0", "0.2.0"};
  auto back = parse_pending_apply(pending_apply_json(pending), "fixture applying.json");
  REQUIRE(back);
  CHECK((back->node == "edge-1" && back->lease == "maculaos-upgrade-0" && back->version == "0.2.0"));
  auto bad = parse_pending_apply(R"({"node": "edge-1"})", "fixture applying.json");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().text() == "fixture applying.json: expected node, lease and version");
}

TEST_CASE("when to apply: in the window after a random delay in its first half, before it the wait") {
  auto window = parse_maintenance_window("Sun 02:00-04:00");
  REQUIRE(window);
  const ApplyTiming closed = apply_timing(*window, {0, 1, 0, 0}, nullptr, "0.2.0", 12345);
  CHECK_FALSE(closed.window_open);
  CHECK(closed.wait == hours(1));
  const ApplyTiming open = apply_timing(*window, {0, 2, 0, 0}, nullptr, "0.2.0", 12345);
  CHECK(open.window_open);
  CHECK(open.wait == seconds(12345 % 3600));
  // 20 minutes left: the delay stays within the first 10
  CHECK(apply_timing(*window, {0, 3, 40, 0}, nullptr, "0.2.0", 4'000'000'000u).wait < minutes(10));
}

TEST_CASE("a release that fell back on this node is never applied by itself again") {
  BootView view;
  view.state.b = {.health = SlotHealth::bad, .version = "0.2.0"};
  view.state.a = {.health = SlotHealth::good, .version = "0.1.0"};
  auto any = parse_maintenance_window("");
  REQUIRE(any);
  CHECK(apply_timing(*any, {0, 2, 0, 0}, &view, "0.2.0", 1).never);
  CHECK_FALSE(apply_timing(*any, {0, 2, 0, 0}, &view, "0.2.1", 1).never);
}

}  // namespace
}  // namespace macula
