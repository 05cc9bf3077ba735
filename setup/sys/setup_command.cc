#include "setup/sys/setup_command.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <optional>

#include "common/args.h"
#include "common/terminal.h"
#include "setup/sys/setup_steps.h"
#include "setup/sys/wizard.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos setup [--unattended] [--from DIR]
       maculaos setup --follow-os | --k3s-health

Sets up the node on its first boot, from the versions and source in the node config
(maculaos.setup: k3s_version, flux_version, source, airgap_images, gitops; the image pins
the versions): checks the download source, makes the node's identity (maculaos identity),
installs k3s (its binary, with kubectl, crictl and ctr linked to it) and the Flux CLI into
/opt/macula/bin, k3s's airgap images when asked (once the boot has finished starting its
services), starts the k3s service and waits until its API answers (a server) or it runs (an
agent) under the service; with gitops.url (and branch, path), applies
Flux's controllers and a GitRepository and Kustomization of that repository to the cluster;
then shows the node's address with a QR code and sets /var/lib/maculaos/.configured. Every
file is checked against its release's SHA-256 sums before it is installed or run; downloads
resume after a cut or a reboot, and what is installed already is skipped.

On a terminal it is a full-screen wizard (Enter: go on or run the step, r: run it again,
b: back, q: quit); it starts by itself at a login on tty1 until the node is set up.

  --unattended   never ask (fleets, tests): the same steps, progress as lines
  --from DIR     install from DIR, a bundle of the releases in their download layout
                 (DIR/k3s-io/k3s/releases/download/VERSION/k3s, ...): no network

k3s follows the OS: each k3s version is kept in /opt/macula/k3s/VERSION, and
/opt/macula/bin/k3s links to the one the booted image pins (a fallback to the previous slot
runs its k3s again).
  --follow-os    point k3s at the version the node config pins, fetching and verifying it
                 first when it is not installed (the k3s service runs this before each start)
  --k3s-health   the boot's health check: exit 0 when setup has not run, or when k3s is the
                 pinned version and answers within 45 s under its service
)";

constexpr OptionSpec kOptions[] = {
    {"unattended", 0, false}, {"from", 0, true}, {"follow-os", 0, false}, {"k3s-health", 0, false}};

// The boot's health checks have 60 s each (maculaos boot assess).
constexpr std::chrono::seconds kHealthWait{45};

// The steps in order, as lines (a log, a serial console, a fleet's script).
Result<int> run_unattended(const SetupRun& run) {
  std::printf("setup: k3s %s (%s, %s) and flux %s from %s\n", run.settings.k3s_version.c_str(), run.k3s_mode.c_str(),
              run.arch.c_str(), run.settings.flux_version.empty() ? "(none)" : run.settings.flux_version.c_str(),
              run.settings.source.c_str());
  if (is_live_session())  // the root and its changes are in RAM
    std::printf("setup: a live session: what setup installs lives in RAM until the next boot (install to a disk to keep it)\n");
  std::fflush(stdout);
  if (auto r = run_k3s_step(run); !r) return fail(r.error());
  if (!run.settings.flux_version.empty())
    if (auto r = install_flux(run); !r) return fail(r.error());
  if (run.settings.gitops) {
    const GitopsSource& gitops = *run.settings.gitops;
    auto manifests = write_gitops_manifests(run);
    if (!manifests) return fail(manifests.error());
    std::printf("setup: GitOps: %s (branch %s, path %s) in %s\n", gitops.url.c_str(), gitops.branch.c_str(),
                gitops.path.c_str(), manifests->c_str());
    std::fflush(stdout);
    auto applied = apply_gitops(run);
    if (!applied) return fail(applied.error());
    std::printf("setup: %s\n", applied->c_str());
  }
  auto summary = node_summary();
  if (!summary) return fail(summary.error());
  std::printf("setup: node identity: ED25519 %s\nsetup: on the LAN: %s\n%s", summary->fingerprint.c_str(),
              summary->url.c_str(), qr_text(summary->qr, terminal_utf8()).c_str());
  if (auto r = mark_configured(); !r) return fail(r.error());
  std::printf("setup: done (%s set)\n", kConfiguredFlag);
  return 0;
}

Result<int> run_setup(std::span<const std::string> argv) {
  auto args = parse_args("maculaos setup", kOptions, argv);
  if (!args) return fail(args.error());
  if (!args->positional.empty()) return usage_error("unexpected '" + args->positional[0] + "' (see maculaos setup --help)");
  const bool follow = args->has("follow-os"), health = args->has("k3s-health");
  if ((follow || health) && (args->has("from") || args->has("unattended") || (follow && health)))
    return usage_error("--follow-os and --k3s-health each go alone (see maculaos setup --help)");
  // Before the node config is read: a config error of setup's keys must not fail the boot's
  // health check of a node that never set up k3s.
  if ((follow || health) && !k3s_set_up()) {
    std::printf("setup: k3s is not set up (maculaos setup installs it): nothing to %s\n", follow ? "follow" : "check");
    return 0;
  }
  auto run = plan_setup(args->has("from") ? std::optional(args->values.at("from")) : std::nullopt);
  if (!run) return fail(run.error());
  if (health) {
    if (auto r = check_k3s_follows(*run, kHealthWait); !r) return fail("k3s health", r.error());
    return 0;
  }
  if (auto r = prepare_setup(); !r) return fail(r.error());
  if (follow) {
    auto said = follow_pinned_k3s(*run);
    if (!said) return fail("k3s follows the OS", said.error());
    std::printf("setup: %s\n", said->c_str());
    return 0;
  }
  if (args->has("unattended") || !::isatty(STDIN_FILENO) || !::isatty(STDOUT_FILENO)) return run_unattended(*run);
  return run_wizard(*run);
}

}  // namespace

Applet setup_applet() {
  return {.name = "setup", .summary = "set up the node: k3s and Flux (verified, resumable), identity, address", .usage = kUsage,
          .run = run_setup, .options = kOptions, .needs_root = true};
}

}  // namespace macula
