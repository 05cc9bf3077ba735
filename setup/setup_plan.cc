#include "setup/setup_plan.h"

#include "names/names.h"

#include <algorithm>
#include <cctype>

#include "common/text_lines.h"
#include "config/config_schema.h"

namespace macula {

namespace {

std::string release_base(const SetupSettings& settings, std::string_view repo, std::string_view tag) {
  std::string base = settings.source;
  while (base.ends_with('/')) base.pop_back();
  return base + "/" + std::string(repo) + "/releases/download/" + std::string(tag) + "/";
}

SetupAsset k3s_asset(const SetupSettings& settings, const std::string& arch, std::string name) {
  const std::string base = release_base(settings, "k3s-io/k3s", settings.k3s_version);
  const std::string sums = "sha256sum-" + arch + ".txt";
  return {name, base + name, sums, base + sums};
}

bool is_hex_sha256(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

Result<SetupSettings> setup_settings(const ConfigNode& config) {
  SetupSettings settings;
  if (auto source = config_text(config, "maculaos.setup.source")) settings.source = *source;
  auto k3s = config_text(config, "maculaos.setup.k3s_version");
  if (!k3s || k3s->empty())
    return fail("maculaos.setup.k3s_version is not set: expected the k3s release to install (e.g. v1.31.4+k3s1)");
  settings.k3s_version = *k3s;
  settings.flux_version = config_text(config, "maculaos.setup.flux_version").value_or("");
  settings.airgap_images = config_flag(config, "maculaos.setup.airgap_images", false);
  if (auto url = config_text(config, "maculaos.setup.gitops.url"); url && !url->empty()) {
    if (settings.flux_version.empty())
      return fail("maculaos.setup.gitops.url is set but maculaos.setup.flux_version is not: expected the Flux "
                  "version that installs the controllers which read the repository");
    GitopsSource gitops{.url = *url};
    gitops.branch = config_text(config, "maculaos.setup.gitops.branch").value_or(gitops.branch);
    gitops.path = config_text(config, "maculaos.setup.gitops.path").value_or(gitops.path);
    settings.gitops = std::move(gitops);
  }
  return settings;
}

std::string setup_download_dir(std::string_view component, std::string_view version) {
  return std::string(kSetupDir) + "/" + std::string(component) + "-" + std::string(version);
}

Result<std::string> release_arch(std::string_view machine) {
  if (machine == "x86_64") return std::string("amd64");
  if (machine == "aarch64" || machine == "arm64") return std::string("arm64");
  if (machine.starts_with("armv7")) return std::string("arm");
  return fail(ErrorKind::refused, "machine '" + std::string(machine) +
                                      "': expected x86_64, aarch64 or armv7 (the architectures k3s is released for)");
}

SetupAsset k3s_binary_asset(const SetupSettings& settings, const std::string& arch) {
  // k3s names its arm release armhf in the binary's name, arm in the sums and images.
  const std::string suffix = arch == "amd64" ? "" : arch == "arm" ? "-armhf" : "-" + arch;
  return k3s_asset(settings, arch, "k3s" + suffix);
}

SetupAsset k3s_images_asset(const SetupSettings& settings, const std::string& arch) {
  return k3s_asset(settings, arch, "k3s-airgap-images-" + arch + ".tar.zst");
}

SetupAsset flux_asset(const SetupSettings& settings, const std::string& arch) {
  const std::string& v = settings.flux_version;
  const std::string base = release_base(settings, "fluxcd/flux2", "v" + v);
  const std::string name = "flux_" + v + "_linux_" + arch + ".tar.gz";
  const std::string sums = "flux_" + v + "_checksums.txt";
  return {name, base + name, sums, base + sums};
}

Result<std::string> checksum_for(std::string_view sums, std::string_view name, std::string_view sums_source) {
  for (std::string_view line : text_lines(sums)) {
    const auto space = line.find(' ');
    if (space == std::string_view::npos) continue;
    std::string_view file = line.substr(space);
    file.remove_prefix(std::min(file.find_first_not_of(' '), file.size()));
    if (file.starts_with('*')) file.remove_prefix(1);  // sha256sum --binary
    while (file.ends_with('\r')) file.remove_suffix(1);
    if (file != name) continue;
    std::string hex(line.substr(0, space));
    std::transform(hex.begin(), hex.end(), hex.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!is_hex_sha256(hex))
      return fail(std::string(sums_source) + ": the line for " + std::string(name) + " has '" + std::string(line.substr(0, space)) +
                  "': expected a SHA-256 of 64 hex digits");
    return hex;
  }
  return fail(std::string(sums_source) + " has no SHA-256 for " + std::string(name) + ": expected a line '<sha256>  " +
              std::string(name) + "'");
}

std::string flux_sync_manifests(const GitopsSource& source) {
  // The schema allows no quote, newline or space in these values: quoted, they stay one scalar.
  return "---\n"
         "apiVersion: source.toolkit.fluxcd.io/v1\n"
         "kind: GitRepository\n"
         "metadata:\n"
         "  name: flux-system\n"
         "  namespace: flux-system\n"
         "spec:\n"
         "  interval: 1m0s\n"
         "  ref:\n"
         "    branch: \"" + source.branch + "\"\n"
         "  url: \"" + source.url + "\"\n"
         "---\n"
         "apiVersion: kustomize.toolkit.fluxcd.io/v1\n"
         "kind: Kustomization\n"
         "metadata:\n"
         "  name: flux-system\n"
         "  namespace: flux-system\n"
         "spec:\n"
         "  interval: 10m0s\n"
         "  path: \"" + source.path + "\"\n"
         "  prune: true\n"
         "  sourceRef:\n"
         "    kind: GitRepository\n"
         "    name: flux-system\n";
}

}  // namespace macula
