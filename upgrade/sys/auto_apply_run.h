// auto_apply's effects on this node (upgrade/auto_apply.h decides): the maintenance window in
// local time, the cluster's Lease and the drain when the node runs a k3s server, the apply and
// its reboot, and after the boot that follows, the node back in service. Called by
// `maculaos upgrade --watch`; what it does goes to that service's log.
#pragma once

#include <chrono>
#include <optional>

#include "config/node_config.h"
#include "upgrade/upgrade_sequence.h"

namespace macula {

// Applies check's release when the window allows (the node then reboots), or says in how long
// to come back (the window opens, or the cluster's Leases are all held); nullopt: at the next
// check as usual (a release that fell back here, an agent, an apply that failed).
std::optional<std::chrono::seconds> auto_apply(UpgradeSystem& system, const ReleaseSource& source,
                                               const UpgradeCheck& check, const UpgradeSettings& settings);

// After the reboot of an auto_apply on a k3s node (kPendingApplyPath), once the booted slot is
// no longer on trial: uncordons the node and gives the Lease back. False while that fails
// (k3s still starting): the caller tries again soon.
bool settle_pending_apply();

}  // namespace macula
