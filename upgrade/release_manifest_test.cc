#include "upgrade/release_manifest.h"

#include <catch2/catch.hpp>

#include <string>

namespace macula {

namespace {

const std::string kHash(64, 'a');

std::string artifact(const std::string& name, const std::string& extra = "") {
  return R"({"name": ")" + name + R"(", "url": ")" + name + R"(.zst", "compression": "zstd", "size": 10, "sha256": ")" +
         kHash + "\"" + extra + "}";
}

std::string manifest(const std::string& artifacts, const std::string& format = "1") {
  return R"({"format": )" + format + R"(, "version": "0.2.0", "channel": "stable", "artifacts": [)" + artifacts + "]}";
}

const std::string kAll = artifact("vmlinuz") + "," + artifact("rootfs.squashfs", R"(, "download_size": 4)") + "," +
                         artifact("initrd.zst");

// A manifest carrying k3s: `files` inside "k3s": {"version": VERSION, "files": [...]}.
std::string with_k3s(const std::string& files, const std::string& version = "v1.31.5+k3s1") {
  std::string json = manifest(kAll);
  return json.insert(json.size() - 1, R"(, "k3s": {"version": ")" + version + R"(", "files": [)" + files + "]}");
}

std::string error_of(const std::string& json) {
  auto m = parse_manifest(json, "m.json");
  REQUIRE_FALSE(m);
  return m.error().message;
}

}  // namespace

TEST_CASE("a complete manifest parses, artifacts in slot order") {
  auto m = parse_manifest(manifest(kAll), "m.json");
  REQUIRE(m);
  CHECK(m->version == "0.2.0");
  CHECK(m->channel == "stable");
  REQUIRE(m->artifacts.size() == 3);
  CHECK(m->artifacts[0].name == "rootfs.squashfs");
  CHECK(m->artifacts[0].download_size == 4);
  CHECK(m->artifacts[1].name == "vmlinuz");
  CHECK(m->artifacts[2].name == "initrd.zst");
  CHECK(m->artifacts[2].zstd);
  CHECK(m->artifacts[2].size == 10);
}

TEST_CASE("a manifest missing or mangling what a slot needs is refused, naming it") {
  CHECK(error_of("{not json") .find("m.json: not valid JSON") == 0);
  CHECK(error_of(manifest(kAll, "2")).find("\"format\" must be 1") != std::string::npos);
  CHECK(error_of(manifest(artifact("vmlinuz") + "," + artifact("initrd.zst"))) ==
        "m.json: no artifact named rootfs.squashfs (a slot needs it)");
  CHECK(error_of(manifest(kAll + "," + artifact("vmlinuz"))) == "m.json: artifact vmlinuz is listed twice");
  CHECK(error_of(manifest(kAll + "," + artifact("../../etc/shadow"))).find("unknown artifact") != std::string::npos);
  std::string bad_hash = manifest(kAll);
  bad_hash.replace(bad_hash.find(kHash), 64, std::string(64, 'G'));
  CHECK(error_of(bad_hash).find("\"sha256\" must be 64 lower-case hex digits") != std::string::npos);
  std::string no_version = manifest(kAll);
  no_version.replace(no_version.find("\"0.2.0\""), 7, "\"\"");
  CHECK(error_of(no_version) == "m.json: missing \"version\"");
}

TEST_CASE("artifact URLs are taken relative to the manifest") {
  CHECK(resolve_location("http://h/stable/manifest.json", "rootfs.squashfs.zst") == "http://h/stable/rootfs.squashfs.zst");
  CHECK(resolve_location("/srv/rel/manifest.json", "vmlinuz.zst") == "/srv/rel/vmlinuz.zst");
  CHECK(resolve_location("http://h/m.json", "https://cdn/x.zst") == "https://cdn/x.zst");
  CHECK(resolve_location("manifest.json", "x.zst") == "x.zst");
}

TEST_CASE("a manifest from a server never names a local file") {
  CHECK(resolve_location("http://h:8080/stable/manifest.json", "/etc/shadow") == "http://h:8080/etc/shadow");
  CHECK(resolve_location("https://h/m.json", "/x.zst") == "https://h/x.zst");
  CHECK(resolve_location("/srv/rel/manifest.json", "/srv/other/x.zst") == "/srv/other/x.zst");
}

TEST_CASE("versions compare numerically, pre-releases before releases") {
  CHECK(compare_versions("0.10.0", "0.9.1") > 0);
  CHECK(compare_versions("0.1.0", "0.1.0") == 0);
  CHECK(compare_versions("0.1", "0.1.0") == 0);
  CHECK(compare_versions("0.2.0-rc1", "0.2.0") < 0);
  CHECK(compare_versions("0.2.0", "0.1.9-x") > 0);
  CHECK(compare_versions("1.0.0-rc1", "1.0.0-rc2") < 0);
}

TEST_CASE("SemVer precedence: pre-release identifiers one by one, build metadata ignored") {
  // The chain of semver.org's section 11.
  const char* chain[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                         "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"};
  for (size_t i = 0; i + 1 < std::size(chain); ++i) {
    CAPTURE(chain[i], chain[i + 1]);
    CHECK(compare_versions(chain[i], chain[i + 1]) < 0);
    CHECK(compare_versions(chain[i + 1], chain[i]) > 0);
  }
  CHECK(compare_versions("1.0.0+build.5", "1.0.0+build.7") == 0);
  CHECK(compare_versions("1.0.0-rc.10", "1.0.0-rc.9") > 0);
}

TEST_CASE("a manifest's version must be SemVer") {
  for (const char* ok : {"0.2.0", "1.0.0-rc.1", "1.0.0+20261201", "10.20.30-alpha-1.x+b.7"}) CHECK(is_semver(ok));
  for (const char* bad : {"0.2", "01.2.3", "1.2.3-", "1.2.3-01", "1.2.3+", "v1.2.3", "1.2.3.4", ""}) {
    CAPTURE(bad);
    CHECK_FALSE(is_semver(bad));
  }
  CHECK_FALSE(is_semver("1.2.3-" + std::string(70, 'x')));
}

TEST_CASE("a release may carry the k3s its image pins: the files under k3s's own names") {
  CHECK_FALSE(parse_manifest(manifest(kAll), "m.json")->k3s);
  auto m = parse_manifest(with_k3s(artifact("k3s") + "," + artifact("sha256sum-amd64.txt")), "m.json");
  REQUIRE(m);
  REQUIRE(m->k3s);
  CHECK(m->k3s->version == "v1.31.5+k3s1");
  REQUIRE(m->k3s->files.size() == 2);
  CHECK(m->k3s->files[0].name == "k3s");
  CHECK(m->k3s->files[0].url == "k3s.zst");
  CHECK(m->k3s->files[1].name == "sha256sum-amd64.txt");
  CHECK(m->artifacts.size() == 3);
}

TEST_CASE("a carried k3s whose names would leave its directory is refused, naming them") {
  CHECK(error_of(with_k3s(artifact("../../usr/bin/maculaos"))) ==
        "m.json: k3s file 1 (../../usr/bin/maculaos): unknown artifact (expected a plain file name)");
  CHECK(error_of(with_k3s(artifact(".hidden"))).find("unknown artifact") != std::string::npos);
  CHECK(error_of(with_k3s(artifact("k3s"), "../v1")).starts_with("m.json: k3s: \"version\" must be a k3s release tag"));
  CHECK(error_of(with_k3s(artifact("k3s") + "," + artifact("k3s"))) == "m.json: k3s: file k3s is listed twice");
  CHECK(error_of(with_k3s("")) == "m.json: k3s: missing \"files\" (a list of the binary and its sums file)");
}

}  // namespace macula
