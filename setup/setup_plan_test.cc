#include "setup/setup_plan.h"

#include <catch2/catch.hpp>

#include "config/config_test_tree.h"

namespace macula {
namespace {

constexpr const char* kPinned = "maculaos:\n  setup: {k3s_version: v1.31.4+k3s1, flux_version: 2.4.0}\n";

TEST_CASE("setup settings: the image's pinned versions from the public upstreams by default") {
  auto settings = setup_settings(parsed(kPinned));
  REQUIRE(settings);
  CHECK(settings->source == "https://github.com");
  CHECK(settings->k3s_version == "v1.31.4+k3s1");
  CHECK(settings->flux_version == "2.4.0");
  CHECK_FALSE(settings->airgap_images);
}

TEST_CASE("setup settings: no k3s version is refused, naming the key") {
  auto settings = setup_settings(parsed("maculaos: {setup: {flux_version: 2.4.0}}\n"));
  REQUIRE_FALSE(settings);
  CHECK(settings.error().message.starts_with("maculaos.setup.k3s_version is not set"));
}

TEST_CASE("setup settings: a GitOps repository on main at its root unless the config says otherwise") {
  CHECK_FALSE(setup_settings(parsed(kPinned))->gitops);
  auto plain = setup_settings(parsed("maculaos:\n  setup: {k3s_version: v1.31.4+k3s1, flux_version: 2.4.0,\n"
                                     "    gitops: {url: https://git.example.org/fleet}}\n"));
  REQUIRE(plain);
  REQUIRE(plain->gitops);
  CHECK(plain->gitops->url == "https://git.example.org/fleet");
  CHECK(plain->gitops->branch == "main");
  CHECK(plain->gitops->path == "./");
  auto chosen = setup_settings(parsed("maculaos:\n  setup: {k3s_version: v1.31.4+k3s1, flux_version: 2.4.0,\n"
                                      "    gitops: {url: https://g.example/f, branch: edge, path: ./clusters/a}}\n"));
  REQUIRE(chosen);
  CHECK(chosen->gitops->branch == "edge");
  CHECK(chosen->gitops->path == "./clusters/a");
}

TEST_CASE("setup settings: a GitOps repository without a Flux version is refused, naming both keys") {
  auto settings = setup_settings(parsed("maculaos: {setup: {k3s_version: v1.31.4+k3s1, gitops: {url: https://g.example/f}}}\n"));
  REQUIRE_FALSE(settings);
  CHECK(settings.error().message.starts_with("maculaos.setup.gitops.url is set but maculaos.setup.flux_version is not"));
}

TEST_CASE("Flux sync manifests: a GitRepository of the URL and branch, a Kustomization of the path") {
  const std::string yaml = flux_sync_manifests({.url = "https://g.example/fleet", .branch = "edge", .path = "./clusters/a"});
  auto tree = parse_config(yaml.substr(yaml.find("---\n") + 4, yaml.find("---\n", 4) - 4), "repository");
  REQUIRE(tree);
  CHECK(config_text(*tree, "kind") == "GitRepository");
  CHECK(config_text(*tree, "metadata.namespace") == "flux-system");
  CHECK(config_text(*tree, "spec.url") == "https://g.example/fleet");
  CHECK(config_text(*tree, "spec.ref.branch") == "edge");
  auto kustomization = parse_config(yaml.substr(yaml.find("---\n", 4) + 4), "kustomization");
  REQUIRE(kustomization);
  CHECK(config_text(*kustomization, "kind") == "Kustomization");
  CHECK(config_text(*kustomization, "spec.path") == "./clusters/a");
  CHECK(config_text(*kustomization, "spec.sourceRef.kind") == "GitRepository");
  CHECK(config_text(*kustomization, "spec.sourceRef.name") == "flux-system");
}

TEST_CASE("k3s assets follow the release layout: the binary per architecture and its sums file") {
  SetupSettings settings = *setup_settings(parsed(kPinned));
  settings.source = "https://mirror.example/gh/";  // a trailing slash is not doubled
  const SetupAsset amd64 = k3s_binary_asset(settings, "amd64");
  CHECK(amd64.name == "k3s");
  CHECK(amd64.url == "https://mirror.example/gh/k3s-io/k3s/releases/download/v1.31.4+k3s1/k3s");
  CHECK(amd64.sums_name == "sha256sum-amd64.txt");
  CHECK(amd64.sums_url == "https://mirror.example/gh/k3s-io/k3s/releases/download/v1.31.4+k3s1/sha256sum-amd64.txt");
  CHECK(k3s_binary_asset(settings, "arm64").name == "k3s-arm64");
  CHECK(k3s_binary_asset(settings, "arm").name == "k3s-armhf");
  CHECK(k3s_binary_asset(settings, "arm").sums_name == "sha256sum-arm.txt");
  const SetupAsset images = k3s_images_asset(settings, "amd64");
  CHECK(images.name == "k3s-airgap-images-amd64.tar.zst");
  CHECK(images.sums_url == amd64.sums_url);
}

TEST_CASE("the Flux asset: a tarball under the v-prefixed tag, with the release's checksums") {
  const SetupAsset flux = flux_asset(*setup_settings(parsed(kPinned)), "amd64");
  CHECK(flux.url == "https://github.com/fluxcd/flux2/releases/download/v2.4.0/flux_2.4.0_linux_amd64.tar.gz");
  CHECK(flux.sums_url == "https://github.com/fluxcd/flux2/releases/download/v2.4.0/flux_2.4.0_checksums.txt");
}

TEST_CASE("release architectures: uname's names mapped, others refused") {
  CHECK(*release_arch("x86_64") == "amd64");
  CHECK(*release_arch("aarch64") == "arm64");
  CHECK(*release_arch("armv7l") == "arm");
  auto other = release_arch("riscv64");
  REQUIRE_FALSE(other);
  CHECK(other.error().message.starts_with("machine 'riscv64': expected"));
  CHECK(other.error().kind == ErrorKind::refused);
}

TEST_CASE("checksum_for reads sha256sum's lines, text and binary mode, exact names only") {
  const std::string a(64, 'a'), b(64, 'b');
  const std::string sums = a + "  k3s-airgap-images-amd64.tar.zst\n" + b + "  k3s\r\n" + a + " *k3s-arm64\n";
  CHECK(*checksum_for(sums, "k3s", "sums.txt") == b);
  CHECK(*checksum_for(sums, "k3s-arm64", "sums.txt") == a);
  CHECK(*checksum_for(std::string(64, 'A') + "  k3s\n", "k3s", "sums.txt") == a);
  auto missing = checksum_for(sums, "k3s-armhf", "sums.txt");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message == "sums.txt has no SHA-256 for k3s-armhf: expected a line '<sha256>  k3s-armhf'");
  auto short_hash = checksum_for("abc123  k3s\n", "k3s", "sums.txt");
  REQUIRE_FALSE(short_hash);
  CHECK(short_hash.error().message == "sums.txt: the line for k3s has 'abc123': expected a SHA-256 of 64 hex digits");
}

}  // namespace
}  // namespace macula
