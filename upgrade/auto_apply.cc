#include "upgrade/auto_apply.h"

#include "common/json.h"
#include "common/json_fields.h"
#include "upgrade/cluster_lease.h"

namespace macula {

Result<std::optional<std::string>> take_upgrade_lease(UpgradeCluster& cluster, const std::string& node,
                                                      int max_unavailable, std::int64_t now) {
  for (const std::string& name : upgrade_lease_names(max_unavailable)) {
    auto current = cluster.get_lease(name);
    if (!current) return fail("read the Lease " + name, current.error());
    if (!*current) {
      auto created = cluster.create_lease(lease_manifest(name, node, now));
      if (!created) return fail("create the Lease " + name, created.error());
      if (*created) return std::optional<std::string>(name);
      continue;  // another node created it first
    }
    auto lease = parse_lease(**current, "the Lease " + name);
    if (!lease) return fail(lease.error());
    if (lease_standing(*lease, node, now) == LeaseStanding::held) continue;
    // free, or this node's from before: taken anew, on the version read
    auto replaced = cluster.replace_lease(lease_manifest(name, node, now, lease->resource_version));
    if (!replaced) return fail("take the Lease " + name, replaced.error());
    if (*replaced) return std::optional<std::string>(name);
  }
  return std::optional<std::string>();
}

std::string pending_apply_json(const PendingApply& pending) {
  JsonObject o;
  o.add("node", pending.node).add("lease", pending.lease).add("version", pending.version);
  return o.str() + "\n";
}

Result<PendingApply> parse_pending_apply(std::string_view json, std::string_view source) {
  auto root = parse_json_object(json, source);
  if (!root) return fail(root.error());
  const char* node = field_string(root->get(), "node");
  const char* lease = field_string(root->get(), "lease");
  const char* version = field_string(root->get(), "version");
  if (!node || !lease || !version) return fail(std::string(source) + ": expected node, lease and version");
  return PendingApply{node, lease, version};
}

Result<void> release_node(UpgradeCluster& cluster, const PendingApply& pending, std::int64_t now) {
  if (auto r = cluster.uncordon(pending.node); !r) return fail("uncordon " + pending.node, r.error());
  auto current = cluster.get_lease(pending.lease);
  if (!current) return fail("read the Lease " + pending.lease, current.error());
  if (!*current) return {};
  auto lease = parse_lease(**current, "the Lease " + pending.lease);
  if (!lease) return fail(lease.error());
  if (lease_standing(*lease, pending.node, now) != LeaseStanding::mine) return {};
  if (auto r = cluster.delete_lease(pending.lease); !r) return fail("give back the Lease " + pending.lease, r.error());
  return {};
}

ApplyTiming apply_timing(const MaintenanceWindow& window, const LocalTime& now, const BootView* boot,
                         std::string_view version, std::uint32_t random) {
  if (boot) {
    for (Slot slot : {Slot::a, Slot::b}) {
      const SlotInfo& info = boot->state.info(slot);
      if (info.health == SlotHealth::bad && info.version == version) return {.never = true};
    }
  }
  const WindowTiming timing = window_timing(window, now);
  if (timing.wait.count() > 0) return {.wait = timing.wait};
  // a random moment in the first half of what is left of the window (any time: the first hour)
  const auto half = std::min<std::chrono::seconds>(timing.open_for / 2, std::chrono::hours(1));
  return {.wait = std::chrono::seconds(half.count() > 0 ? random % half.count() : 0), .window_open = true};
}

}  // namespace macula
