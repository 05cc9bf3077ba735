#include "upgrade/sys/auto_apply_run.h"

#include <sodium.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <thread>

#include "ab/sys/boot_context.h"
#include "common/files.h"
#include "names/names.h"
#include "upgrade/auto_apply.h"
#include "upgrade/sys/kubectl_cluster.h"

namespace macula {

namespace {

constexpr std::chrono::minutes kLockRetry{5};

void say(const std::string& line) {
  std::printf("auto_apply: %s\n", line.c_str());
  std::fflush(stdout);
}

LocalTime local_now() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  ::localtime_r(&now, &local);  // maculaos.timezone is /etc/localtime
  return {local.tm_wday, local.tm_hour, local.tm_min, local.tm_sec};
}

std::string node_name() {
  char name[256] = "";
  ::gethostname(name, sizeof name - 1);  // k3s names its node after the host
  return name;
}

bool exists(const char* path) { return ::access(path, F_OK) == 0; }

// The node uncordoned and its Lease given back, then the note of them removed (kept while that
// fails: the service's next pass tries again).
Result<void> give_back(const PendingApply& pending) {
  KubectlCluster cluster;
  if (auto r = release_node(cluster, pending, std::time(nullptr)); !r) return r;
  ::unlink(kPendingApplyPath);
  return {};
}

// A k3s server: the Lease taken and the node drained, the pending apply kept for the boot after;
// nullopt when the cluster or this node says wait.
std::optional<PendingApply> lock_and_drain(const UpgradeCheck& check, const UpgradeSettings& settings) {
  KubectlCluster cluster;
  const std::string node = node_name();
  auto lease = take_upgrade_lease(cluster, node, settings.max_unavailable, std::time(nullptr));
  if (!lease || !*lease) {
    say(lease ? std::to_string(settings.max_unavailable) + " node(s) of the cluster are upgrading: trying again in 5 min"
              : "the cluster's upgrade lock: " + lease.error().text() + ": trying again in 5 min");
    return std::nullopt;
  }
  const PendingApply pending{node, **lease, check.available};
  // without the note, the boot after would leave the node cordoned: no drain without it
  auto ready = make_directory(kUpgradeStateDir, 0755);
  if (ready) ready = write_file_atomic(kPendingApplyPath, pending_apply_json(pending), 0644);
  if (ready) {
    say("holding " + pending.lease + "; draining " + node);
    ready = cluster.drain(node);
  }
  if (!ready) {
    say(ready.error().text() + ": not applied; trying again in 5 min");
    if (auto back = give_back(pending); !back) say(back.error().text());
    return std::nullopt;
  }
  return pending;
}

}  // namespace

std::optional<std::chrono::seconds> auto_apply(UpgradeSystem& system, const ReleaseSource& source,
                                               const UpgradeCheck& check, const UpgradeSettings& settings) {
  auto window = parse_maintenance_window(settings.maintenance_window);
  if (!window) {  // the schema refused it already
    say("maculaos.upgrade.maintenance_window '" + settings.maintenance_window + "': " + window.error().text());
    return std::nullopt;
  }
  auto view = read_boot_view();
  const ApplyTiming timing =
      apply_timing(*window, local_now(), view ? &*view : nullptr, check.available, ::randombytes_random());
  if (timing.never) {
    say(check.available + " fell back on this node before: not applied again by itself (sudo maculaos upgrade --apply)");
    return std::nullopt;
  }
  if (!timing.window_open) {
    say(check.available + " waits for the maintenance window '" + settings.maintenance_window + "' (opens in " +
        std::to_string(timing.wait.count() / 60) + " min)");
    return timing.wait;
  }
  say(check.available + ": applying in " + std::to_string(timing.wait.count()) + " s (a random moment in the window)");
  std::this_thread::sleep_for(timing.wait);
  std::optional<PendingApply> pending;
  if (exists(kK3sBinary)) {
    if (!exists(kK3sAdminKubeconfig)) {
      say("a k3s agent has no admin kubeconfig to take the cluster's upgrade lock: not applied "
          "(sudo maculaos upgrade --apply, or system-upgrade-controller: docs/upgrades.md)");
      return std::nullopt;
    }
    pending = lock_and_drain(check, settings);
    if (!pending) return kLockRetry;
  }
  say("applying " + check.available + ", then rebooting into it");
  if (auto r = apply_upgrade(system, source, {.reboot = true}); !r) {
    say(r.error().text());
    if (pending)
      if (auto back = give_back(*pending); !back) say(back.error().text());
  }
  return std::nullopt;
}

bool settle_pending_apply() {
  auto text = read_file(kPendingApplyPath);
  if (!text) return true;  // nothing pending
  auto pending = parse_pending_apply(*text, kPendingApplyPath);
  if (!pending) {
    say(pending.error().text() + ": removed");
    ::unlink(kPendingApplyPath);
    return true;
  }
  if (auto r = give_back(*pending); !r) {
    say("back in service after the upgrade to " + pending->version + ": " + r.error().text() + " (trying again)");
    return false;
  }
  say(pending->node + " uncordoned and " + pending->lease + " given back after the upgrade to " + pending->version);
  return true;
}

}  // namespace macula
