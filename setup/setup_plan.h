// What `maculaos setup` fetches and from where, decided from the node config (maculaos.setup)
// and the machine's architecture. Pure: the upstream layouts of k3s's and Flux's GitHub
// releases, so a mirror or a bundle on a stick only has to copy them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "config/config_tree.h"

namespace macula {

// The public upstreams: release assets live under <source>/<owner>/<repo>/releases/download/.
inline constexpr const char* kDefaultSetupSource = "https://github.com";

// The Git repository Flux keeps the node's cluster in step with (maculaos.setup.gitops).
struct GitopsSource {
  std::string url;            // an https:// repository (Flux reads http, https and ssh URLs)
  std::string branch = "main";
  std::string path = "./";    // the directory in it that Flux applies
};

struct SetupSettings {
  std::string source = kDefaultSetupSource;  // a URL, or a directory of the same layout (--from)
  std::string k3s_version;                   // a k3s release tag, v1.31.4+k3s1
  std::string flux_version;                  // a Flux release without its v, 2.4.0; empty: no Flux
  bool airgap_images = false;                // also k3s-airgap-images-<arch>.tar.zst
  std::optional<GitopsSource> gitops;        // none: Flux is installed but given no source
};

// maculaos.setup.{source,k3s_version,flux_version,airgap_images,gitops.{url,branch,path}} (the
// image's config pins the versions). No k3s_version, or a GitOps repository without a Flux
// version to read it, is an error naming the key.
Result<SetupSettings> setup_settings(const ConfigNode& config);

// One file to fetch: from `url`, checked against the line for `name` in the sums file at
// `sums_url`, saved as `name`.
struct SetupAsset {
  std::string name;
  std::string url;
  std::string sums_name;  // the sums file's own name (what it is saved as)
  std::string sums_url;
};

// Where setup keeps a component's (k3s, flux) downloads of one version: its sums file, the
// download in progress (FILE.part) and, once whole and verified, FILE. An upgrade stages the
// k3s a release carries there too.
std::string setup_download_dir(std::string_view component, std::string_view version);

// uname's machine name -> the release architecture (x86_64 -> amd64, aarch64 -> arm64,
// armv7l -> arm); an error for one k3s is not released for.
Result<std::string> release_arch(std::string_view machine);

// k3s's binary (k3s on amd64, k3s-<arch> otherwise) and sha256sum-<arch>.txt.
SetupAsset k3s_binary_asset(const SetupSettings& settings, const std::string& arch);
// k3s-airgap-images-<arch>.tar.zst, checked against the same sums.
SetupAsset k3s_images_asset(const SetupSettings& settings, const std::string& arch);
// flux_<ver>_linux_<arch>.tar.gz and flux_<ver>_checksums.txt.
SetupAsset flux_asset(const SetupSettings& settings, const std::string& arch);

// The SHA-256 a sums file (`<hex>  <name>` lines, sha256sum's format; `*name` for binary mode)
// gives for name; an error naming `sums_source` when it has no line for it or the hash is not
// 64 hex digits.
Result<std::string> checksum_for(std::string_view sums, std::string_view name, std::string_view sums_source);

// What Flux needs to follow source: a GitRepository and a Kustomization of its path, both named
// flux-system in the flux-system namespace (what `flux bootstrap` makes), as one YAML stream.
std::string flux_sync_manifests(const GitopsSource& source);

}  // namespace macula
