#include "setup/sys/setup_steps.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <thread>
#include <vector>

#include "common/boot_report_facts.h"
#include "common/fd.h"
#include "common/files.h"
#include "common/openrc_state.h"
#include "common/process.h"
#include "names/names.h"
#include "config/config_sources.h"
#include "config/k3s_config.h"
#include "identity/node_identity.h"
#include "net/sys/download.h"
#include "net/sys/fetch_file.h"
#include "net/sys/resource.h"
#include "setup/k3s_versions.h"
#include "setup/sys/k3s_node.h"

namespace macula {

namespace {

// Each step's state, kept across runs and reboots: per release, its sums file, downloads in
// progress (FILE.part, resumed) and a marker per installed file naming the SHA-256 it was.
// Where k3s imports image tarballs from at start (k3s's airgap layout).
constexpr const char* kAirgapImagesDir = "/var/lib/rancher/k3s/agent/images";
// k3s links these names to its own binary (install.sh does the same).
constexpr const char* kK3sLinks[] = {"kubectl", "crictl", "ctr"};
constexpr std::uint64_t kMaxSumsBytes = 1 << 20;
// What the GitOps and Console steps write and apply, kept with the rest in kSetupDir.
const std::string kFluxComponentsFile = std::string(kSetupDir) + "/flux-components.yaml";
const std::string kFluxSyncFile = std::string(kSetupDir) + "/flux-sync.yaml";
// The kinds flux-sync.yaml uses, which the components define: applied only once they exist.
constexpr const char* kFluxSyncKinds[] = {"crd/gitrepositories.source.toolkit.fluxcd.io",
                                          "crd/kustomizations.kustomize.toolkit.fluxcd.io"};
// A k3s server's first start (certificates, the datastore, the API) under emulation.
constexpr std::chrono::seconds kApiWait{600};
// A boot of the default runlevel under emulation, k3s's own first start included.
constexpr std::chrono::seconds kBootWait{900};

std::string bin_path(std::string_view name) { return std::string(kProductBinDir) + "/" + std::string(name); }

// setup_download_dir, made when missing: a component's sums, downloads and markers.
Result<std::string> component_dir(std::string_view name, const std::string& version) {
  std::string dir = setup_download_dir(name, version);
  if (auto r = make_directory(dir, 0700); !r) return fail(r.error());
  return dir;
}

// The release's sums file: kept from an earlier run, else fetched (TLS verified: it is what
// vouches for everything else).
Result<std::string> sums_text(const SetupAsset& asset, const std::string& work_dir) {
  const std::string kept = work_dir + "/" + asset.sums_name;
  if (auto text = read_file(kept)) return *text;
  auto text = read_resource(asset.sums_url, {}, kMaxSumsBytes);
  if (!text) return fail(text.error());
  if (auto written = write_file_atomic(kept, *text, 0644); !written) return fail(written.error());
  return *text;
}

// What to do with a download once it is verified: move it into place.
using Installer = std::function<Result<void>(const std::string& verified)>;

// Fetches asset into work_dir (resuming what an earlier run left), verified against its sums,
// and installs it, unless the file at `installed` is this very one already.
Result<void> install_asset(const SetupAsset& asset, const std::string& work_dir, const std::string& what,
                           const std::string& installed, const Installer& install) {
  auto sums = sums_text(asset, work_dir);
  if (!sums) return fail("checksums of " + what, sums.error());
  auto expected = checksum_for(*sums, asset.name, asset.sums_url);
  if (!expected) return fail(expected.error());
  const std::string marker = work_dir + "/" + asset.name + ".installed";
  if (auto done = read_file(marker); done && *done == *expected + "\n" && ::access(installed.c_str(), F_OK) == 0) {
    std::printf("setup: %s: installed already (SHA-256 %s)\n", what.c_str(), expected->c_str());
    return {};
  }
  // The download is there only once whole and verified: fetch_to_file renames FILE.part then.
  const std::string download = work_dir + "/" + asset.name;
  if (::access(download.c_str(), F_OK) != 0) {
    std::printf("setup: %s: fetching %s\n", what.c_str(), asset.url.c_str());
    std::fflush(stdout);
    auto fetched = fetch_to_file({.download = {.url = asset.url, .progress = what}, .output = download, .sha256 = *expected});
    if (!fetched) return fail(what, fetched.error());
  }
  std::printf("setup: %s: verified (SHA-256 %s)\n", what.c_str(), expected->c_str());
  if (auto r = install(download); !r) return fail("install " + what, r.error());
  return write_file_atomic(marker, *expected + "\n", 0644);
}

// Puts `from` at `to` with `mode`, by a rename over it: a reader sees the old file or the
// whole new one, after a power cut too.
Result<void> move_into_place(const std::string& from, const std::string& to, mode_t mode) {
  if (::chmod(from.c_str(), mode) != 0) return fail_errno("chmod " + from);
  if (::rename(from.c_str(), to.c_str()) == 0) return {};
  if (errno != EXDEV) return fail_errno("rename " + from + " to " + to);
  // On an installed disk /opt and /var are file systems of their own: a copy beside the
  // target, made durable, is what gets renamed.
  const std::string copy = to + ".new";
  std::error_code ec;
  std::filesystem::copy_file(from, copy, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) return fail("copy " + from + " to " + copy + ": " + ec.message());
  UniqueFd fd(::open(copy.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd || ::fchmod(fd.get(), mode) != 0 || ::fsync(fd.get()) != 0) return fail_errno("sync " + copy);
  if (::rename(copy.c_str(), to.c_str()) != 0) return fail_errno("rename " + copy + " to " + to);
  ::unlink(from.c_str());
  return {};
}

Result<void> link_k3s_tools() {
  for (const char* name : kK3sLinks) {
    const std::string link = bin_path(name);
    std::error_code ec;
    if (std::filesystem::read_symlink(link, ec) == "k3s") continue;
    std::filesystem::remove(link, ec);
    if (::symlink("k3s", link.c_str()) != 0) return fail_errno("link " + link + " to k3s");
  }
  return {};
}


// What is at kK3sBinary: nothing (setup has not run), a link (naming its version when setup
// made it), or the file an earlier setup installed there.
struct K3sLink {
  bool set_up = false;
  std::optional<std::string> version;
};

K3sLink read_k3s_link() {
  struct stat st {};
  if (::lstat(kK3sBinary, &st) != 0) return {};
  std::error_code ec;
  const std::filesystem::path target = std::filesystem::read_symlink(kK3sBinary, ec);
  return {true, ec ? std::nullopt : k3s_linked_version(target.string())};
}

// The versions with a binary in kK3sVersionsDir.
std::vector<std::string> installed_k3s_versions() {
  std::vector<std::string> versions;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(kK3sVersionsDir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string version = it->path().filename().string();
    if (::access(k3s_version_binary(version).c_str(), X_OK) == 0) versions.push_back(version);
  }
  return versions;
}

// Points kK3sBinary at version's binary by a rename over it (a start of k3s finds the old link
// or the new one, after a power cut too); whether it named another before.
Result<bool> link_k3s_version(const std::string& version, const K3sLink& now) {
  if (now.version == version) return false;
  if (auto r = replace_symlink(k3s_link_target(version), kK3sBinary); !r) return fail(r.error());
  return true;
}

// Removes the versions no slot pins any more; a failure only costs space, so it is said, not returned.
void remove_k3s_versions(const std::vector<std::string>& versions) {
  for (const std::string& version : versions) {
    std::error_code ec;
    std::filesystem::remove_all(std::string(kK3sVersionsDir) + "/" + version, ec);
    if (ec) std::fprintf(stderr, "setup: remove k3s %s: %s\n", version.c_str(), ec.message().c_str());
    else std::printf("setup: k3s %s removed: no slot pins it\n", version.c_str());
  }
}

// k3s run.settings.k3s_version in its version's directory (fetched and verified unless there
// already), kK3sBinary pointed at it, the versions neither slot needs removed; whether the link
// changed (a running k3s is then an old one).
Result<bool> install_k3s(const SetupRun& run) {
  const std::string& version = run.settings.k3s_version;
  auto work_dir = component_dir("k3s", version);
  if (!work_dir) return fail(work_dir.error());
  const std::string what = "k3s " + version;
  const std::string binary = k3s_version_binary(version);
  auto installed = install_asset(k3s_binary_asset(run.settings, run.arch), *work_dir, what, binary,
                                 [&](const std::string& verified) -> Result<void> {
                                   const std::string dir = std::filesystem::path(binary).parent_path();
                                   if (auto made = make_directory(dir, 0755); !made) return fail(made.error());
                                   return move_into_place(verified, binary, 0755);
                                 });
  if (!installed) return fail(installed.error());
  const K3sLink before = read_k3s_link();
  auto replaced = link_k3s_version(version, before);
  if (!replaced) return fail(replaced.error());
  if (auto r = link_k3s_tools(); !r) return fail(r.error());
  if (*replaced) remove_k3s_versions(plan_k3s_follow(version, before.version, installed_k3s_versions()).unneeded);
  if (run.settings.airgap_images) {
    const SetupAsset images = k3s_images_asset(run.settings, run.arch);
    const std::string target = std::string(kAirgapImagesDir) + "/" + images.name;
    auto r = install_asset(images, *work_dir, what + " images", target, [&](const std::string& verified) -> Result<void> {
      if (auto made = make_directory(kAirgapImagesDir, 0755); !made) return fail(made.error());
      return move_into_place(verified, target, 0644);
    });
    if (!r) return fail(r.error());
  }
  return *replaced;
}

// Until OpenRC has finished the boot (common/openrc_state.h): a login comes before it, and the
// k3s service started now, with the runlevel still to reach it, would be started twice.
Result<void> wait_for_boot() {
  const auto deadline = std::chrono::steady_clock::now() + kBootWait;
  for (bool said = false;; said = true) {
    const RunlevelFacts facts = read_runlevel_facts();
    if (boot_finished(facts)) return {};
    if (std::chrono::steady_clock::now() >= deadline)
      return fail(ErrorKind::busy, "the boot has not finished starting its services within " +
                                       std::to_string(kBootWait.count()) + " s (OpenRC's runlevel: '" +
                                       facts.softlevel + "'): run setup again once it has (rc-status)");
    if (!said) std::printf("setup: waiting for the boot to finish starting its services (rc-status)\n");
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

std::string node_name() {
  struct utsname names {};
  ::uname(&names);
  return names.nodename;
}

// The fingerprint of the node identity, made now (for the node called name) if missing.
Result<std::string> fingerprint_of(const std::string& name) {
  auto identity = ensure_node_identity(kNodeIdentityDir, name);
  if (!identity) return fail("node identity", identity.error());
  return identity->identity.fingerprint;
}

}  // namespace

Result<void> install_flux(const SetupRun& run) {
  auto work_dir = component_dir("flux", run.settings.flux_version);
  if (!work_dir) return fail(work_dir.error());
  return install_asset(flux_asset(run.settings, run.arch), *work_dir, "flux " + run.settings.flux_version,
                       bin_path("flux"), [&](const std::string& tarball) -> Result<void> {
                         // The release tarball holds the one binary, flux.
                         auto extracted = run_command({"tar", "-xzf", tarball, "-C", *work_dir, "--no-same-owner", "flux"});
                         if (!extracted) return fail(extracted.error());
                         if (auto r = move_into_place(*work_dir + "/flux", bin_path("flux"), 0755); !r) return r;
                         ::unlink(tarball.c_str());
                         return {};
                       });
}

Result<std::string> write_gitops_manifests(const SetupRun& run) {
  if (!run.settings.gitops) return fail("no maculaos.setup.gitops.url in the node config: expected the repository Flux follows");
  if (auto r = write_file_atomic(kFluxSyncFile, flux_sync_manifests(*run.settings.gitops), 0600); !r) return fail(r.error());
  return kFluxSyncFile;
}

Result<std::string> apply_gitops(const SetupRun& run) {
  if (!run.settings.gitops) return fail("no maculaos.setup.gitops.url in the node config: nothing to apply");
  if (run.k3s_mode == "agent") return "An agent: its server (" + run.server_url + ") keeps the cluster's GitOps.";
  if (::access(kFluxSyncFile.c_str(), R_OK) != 0) return fail_errno(kFluxSyncFile + " (the GitOps step writes it)");
  auto components = run_command({bin_path("flux"), "install", "--export"}, "", std::chrono::seconds(120));
  if (!components) return fail("flux install --export", components.error());
  if (auto r = write_file_atomic(kFluxComponentsFile, *components, 0600); !r) return fail(r.error());
  const auto kubectl = [](std::vector<std::string> args) {
    args.insert(args.begin(), {bin_path("k3s"), "kubectl"});
    return run_command(args, "", std::chrono::seconds(180));
  };
  if (auto r = kubectl({"apply", "-f", kFluxComponentsFile}); !r) return fail("apply Flux's controllers", r.error());
  std::vector<std::string> wait = {"wait", "--for=condition=established", "--timeout=120s"};
  wait.insert(wait.end(), std::begin(kFluxSyncKinds), std::end(kFluxSyncKinds));
  if (auto r = kubectl(wait); !r) return fail("wait for Flux's resource kinds", r.error());
  if (auto r = kubectl({"apply", "-f", kFluxSyncFile}); !r) return fail("apply the GitOps manifests", r.error());
  return "The cluster has Flux, following " + run.settings.gitops->url + ".";
}

Result<std::string> node_fingerprint() { return fingerprint_of(node_name()); }

Result<NodeSummary> node_summary() {
  const std::string name = node_name();
  auto fingerprint = fingerprint_of(name);
  if (!fingerprint) return fail(fingerprint.error());
  NodeSummary summary{std::move(*fingerprint), "http://" + name + ".local", {}};
  auto code = qr_encode(summary.url);
  if (!code) return fail(code.error());
  summary.qr = std::move(*code);
  return summary;
}

Result<void> prepare_setup() {
  if (auto r = make_directory(kSetupDir, 0700); !r) return r;
  if (auto r = make_directory(kK3sVersionsDir, 0755); !r) return r;
  return make_directory(kProductBinDir, 0755);
}

Result<void> run_k3s_step(const SetupRun& run) {
  if (auto r = wait_for_boot(); !r) return r;  // its network too, which the download needs
  auto replaced = install_k3s(run);
  if (!replaced) return fail(replaced.error());
  NodeK3s node;
  if (auto r = start_k3s(node, *replaced); !r) return r;
  return k3s_answers_under_its_service(node, {run.k3s_mode, run.server_url}, kApiWait);
}

bool k3s_set_up() { return read_k3s_link().set_up; }

Result<std::string> follow_pinned_k3s(const SetupRun& run) {
  const std::string& pinned = run.settings.k3s_version;
  const K3sLink link = read_k3s_link();
  const K3sFollowPlan plan = plan_k3s_follow(pinned, link.version, installed_k3s_versions());
  const std::string was = " (it was " + link.version.value_or("a k3s installed before versions had directories") + ")";
  switch (plan.action) {
    case K3sFollow::nothing: return "k3s " + pinned + ", the version this image pins";
    case K3sFollow::relink: {
      if (auto r = link_k3s_version(pinned, link); !r) return fail(r.error());
      remove_k3s_versions(plan.unneeded);
      return "k3s " + pinned + ", the version this image pins, is installed already: linked" + was;
    }
    case K3sFollow::fetch: {
      if (auto r = install_k3s(run); !r) return fail("k3s " + pinned + ", the version this image pins", r.error());
      return "k3s " + pinned + ", the version this image pins: verified, installed and linked" + was;
    }
  }
  return fail("unknown plan");
}

Result<void> check_k3s_follows(const SetupRun& run, std::chrono::seconds wait) {
  const K3sLink link = read_k3s_link();
  if (link.version != run.settings.k3s_version)
    return fail("k3s " + link.version.value_or("(not from a version directory)") + " is linked where this image pins " +
                run.settings.k3s_version + " (its fetch failed?): see " + kK3sLogPath);
  NodeK3s node;
  return k3s_answers_under_its_service(node, {run.k3s_mode, run.server_url}, wait);
}

Result<void> check_source(const SetupRun& run) {
  const SetupAsset k3s = k3s_binary_asset(run.settings, run.arch);
  auto sums = read_resource(k3s.sums_url, {}, kMaxSumsBytes);
  if (!sums) return fail(sums.error());
  return {};
}

Result<void> mark_configured() {
  if (auto r = write_file_atomic(kConfiguredFlag, "", 0644); !r) return r;
  if (::unlink(kSetupNeededCue) != 0 && errno != ENOENT) return fail_errno("remove " + std::string(kSetupNeededCue));
  return {};
}

bool is_live_session() { return read_boot_report().mode == "live"; }

Result<SetupRun> plan_setup(const std::optional<std::string>& from) {
  auto config = read_node_config();
  if (!config) return fail("read the node config", config.error());
  auto settings = setup_settings(config->config);
  if (!settings) return fail(settings.error());
  if (from) settings->source = *from;
  if (auto plain = require_verified_transport(settings->source, "--from DIR"); !plain) return fail(plain.error());
  struct utsname machine {};
  ::uname(&machine);
  auto arch = release_arch(machine.machine);
  if (!arch) return fail(arch.error());
  const K3sConfig k3s = k3s_config(config->config);
  return SetupRun{*settings, *arch, k3s.mode, config_text(config->config, "maculaos.server_url").value_or("")};
}


}  // namespace macula
