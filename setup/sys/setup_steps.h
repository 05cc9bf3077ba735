// The steps of a node's first boot, shared by `maculaos setup --unattended` (lines) and the
// wizard (screens): k3s and Flux fetched, verified, installed; k3s started and waited for; the
// node's identity and address; the .configured flag. Each step's state persists under
// /var/lib/maculaos/setup, so any step can be run again, after a cut or a reboot too.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/result.h"
#include "qr/qr_code.h"
#include "setup/setup_plan.h"
#include "names/names.h"

namespace macula {


struct SetupRun {
  SetupSettings settings;
  std::string arch;
  std::string k3s_mode;  // server or agent
  std::string server_url;
};

// What to install from where: the node config's maculaos.setup, its source replaced by `from`
// (an offline bundle) when given.
Result<SetupRun> plan_setup(const std::optional<std::string>& from);

// The directories the steps keep their state and programs in.
Result<void> prepare_setup();

// Whether the download source answers: the k3s release's sums file is fetched (TLS verified).
Result<void> check_source(const SetupRun& run);

// k3s installed (and its airgap images when asked), (re)started, and answering: its API's
// readiness (a server) or its service running (an agent).
Result<void> run_k3s_step(const SetupRun& run);

// Something is at kK3sBinary: setup has installed k3s on this node.
bool k3s_set_up();

// k3s follows the OS (setup/k3s_versions.h), on a node where k3s_set_up(): kK3sBinary pointed
// at the version the booted image's config pins, fetched and verified first when not
// installed. Run before each start of the k3s service. Returns what it did, as a sentence.
Result<std::string> follow_pinned_k3s(const SetupRun& run);

// The boot's health check of k3s, on a node where k3s_set_up(): k3s is the pinned version and
// answers within wait, under its service.
Result<void> check_k3s_follows(const SetupRun& run, std::chrono::seconds wait);

// The Flux CLI installed (callers skip it when no flux_version is set).
Result<void> install_flux(const SetupRun& run);

// GitOps: the manifests that point Flux at run.settings.gitops (its repository, branch and path),
// written where the Console step applies them from; returns their path.
Result<std::string> write_gitops_manifests(const SetupRun& run);

// Console: once k3s's kubeconfig works, Flux's controllers (`flux install --export`) and the
// GitOps step's manifests applied to the cluster, the second once the first's resource kinds
// exist. An agent has nothing to apply: its server holds the cluster's state. Returns what it
// did, as a sentence.
Result<std::string> apply_gitops(const SetupRun& run);

// The node identity's fingerprint (the identity made now if missing).
Result<std::string> node_fingerprint();

struct NodeSummary {
  std::string fingerprint;  // the node identity's (made now if missing)
  std::string url;          // http://HOSTNAME.local
  QrMatrix qr;              // of url
};
Result<NodeSummary> node_summary();

// Sets kConfiguredFlag and removes kSetupNeededCue.
Result<void> mark_configured();

// A live session keeps what setup installs in RAM only.
bool is_live_session();

}  // namespace macula
