// The cluster's lock on upgrades (maculaos.upgrade.max_unavailable): a node of a k3s cluster
// reboots into a new release only while it holds one of the Leases maculaos-upgrade-0 ..
// maculaos-upgrade-(N-1) in kube-system, as kured coordinates reboots through the cluster and
// no server of ours. A Lease is taken by creating it, or by replacing one whose holder let it
// expire (the replace names the resourceVersion read, so of two nodes replacing at once the API
// server lets one through). Pure: the Lease's JSON in and out; kubectl is upgrade/sys's.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace macula {

inline constexpr std::string_view kLeaseNamespace = "kube-system";
inline constexpr std::string_view kLeasePrefix = "maculaos-upgrade-";
// Long enough for a download, a reboot, a trial and its assessment on a slow node; a node that
// dies holding it frees its place after this.
inline constexpr std::chrono::hours kLeaseDuration{2};

// maculaos-upgrade-0 .. -(max_unavailable - 1)
std::vector<std::string> upgrade_lease_names(int max_unavailable);

// The Lease as `kubectl create -f -` and `kubectl replace -f -` take it, held by holder from
// now (seconds since the epoch); resource_version: the one read, for a replace ("" to create).
std::string lease_manifest(std::string_view name, std::string_view holder, std::int64_t now,
                           std::string_view resource_version = "");

struct LeaseView {
  std::string holder;             // spec.holderIdentity ("" when none)
  std::int64_t renewed = 0;       // spec.renewTime, else spec.acquireTime (seconds since the epoch)
  std::int64_t duration = 0;      // spec.leaseDurationSeconds
  std::string resource_version;   // metadata.resourceVersion
};
// `kubectl get lease NAME -o json`; an error names source.
Result<LeaseView> parse_lease(std::string_view json, std::string_view source);

enum class LeaseStanding { mine, free, held };
// mine: holder is this node (taken before a reboot); free: no holder, or its time ran out.
LeaseStanding lease_standing(const LeaseView& lease, std::string_view node, std::int64_t now);

// Kubernetes' MicroTime: 2026-12-07T20:00:00.000000Z, and back (nullopt-like 0 when it does not read).
std::string micro_time(std::int64_t seconds);
std::int64_t parse_micro_time(std::string_view text);

}  // namespace macula
