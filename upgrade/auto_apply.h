// maculaos.upgrade.auto_apply (default off): the auto_check service applies a newer release it
// found, inside the maintenance window, and reboots into it. On a k3s node it first takes one of
// the cluster's upgrade Leases (upgrade/cluster_lease.h) and drains the node; the boot after
// (the new slot marked good, or a fallback to the old one) puts the node back in service and
// gives the Lease back. What is decided here is pure, and the cluster is an interface: kubectl
// through k3s is upgrade/sys's, a fake is the tests'.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ab/boot_status.h"
#include "common/result.h"
#include "upgrade/maintenance_window.h"

namespace macula {

// The cluster as an upgrading node sees it.
class UpgradeCluster {
 public:
  virtual ~UpgradeCluster() = default;
  // `kubectl get lease NAME -o json`; nullopt when there is none
  virtual Result<std::optional<std::string>> get_lease(const std::string& name) = 0;
  // create / replace a Lease manifest: false when another node's create or replace came first
  virtual Result<bool> create_lease(const std::string& manifest) = 0;
  virtual Result<bool> replace_lease(const std::string& manifest) = 0;
  virtual Result<void> delete_lease(const std::string& name) = 0;
  virtual Result<void> drain(const std::string& node) = 0;  // cordon, then evict its pods
  virtual Result<void> uncordon(const std::string& node) = 0;
};

// One of the upgrade Leases for node: a free one taken, or the one it holds already; nullopt
// when max_unavailable other nodes hold them all.
Result<std::optional<std::string>> take_upgrade_lease(UpgradeCluster& cluster, const std::string& node,
                                                      int max_unavailable, std::int64_t now);

// A k3s node drained for an upgrade, kept on the state (kPendingApplyPath) across the reboot.
struct PendingApply {
  std::string node, lease, version;
};
std::string pending_apply_json(const PendingApply& pending);
Result<PendingApply> parse_pending_apply(std::string_view json, std::string_view source);

// Back in service: uncordoned, and the Lease deleted while it is still the node's (one that
// expired and was taken by another node is left to it).
Result<void> release_node(UpgradeCluster& cluster, const PendingApply& pending, std::int64_t now);

// Whether to apply `version` now, and if not, how long until it may be: never a release whose
// slot fell back (it is marked bad: applying it again would loop), and only inside the window,
// after a random part of its first half (so that the nodes of a fleet spread out in it).
struct ApplyTiming {
  bool never = false;               // the release failed on this node before
  std::chrono::seconds wait{0};     // until the window opens, or the random delay inside it
  bool window_open = false;         // apply once `wait` is over
};
ApplyTiming apply_timing(const MaintenanceWindow& window, const LocalTime& now, const BootView* boot,
                         std::string_view version, std::uint32_t random);

}  // namespace macula
