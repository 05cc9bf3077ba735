#include "upgrade/github_releases.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

// A fixture in the shape of GitHub's releases list (newest first, fields trimmed to those read):
// a nightly, a beta newer than the stable, a draft, a stable without arm64 assets, an older
// stable, and a release of something else in the same repository.
std::string asset(const std::string& tag, const std::string& name) {
  return R"({"name": ")" + name + R"(", "browser_download_url": "https://github.com/fixture-org/fixture-os/releases/download/)" +
         tag + "/" + name + R"("})";
}

std::string release(const std::string& tag, bool prerelease, bool draft, const std::string& assets) {
  return R"({"tag_name": ")" + tag + R"(", "prerelease": )" + (prerelease ? "true" : "false") + R"(, "draft": )" +
         (draft ? "true" : "false") + R"(, "html_url": "https://github.com/fixture-org/fixture-os/releases/tag/)" + tag +
         R"(", "published_at": "2026-12-0)" + std::to_string(tag.size() % 9) + R"(T10:00:00Z", "assets": [)" + assets + "]}";
}

std::string both(const std::string& tag, const std::string& arch) {
  return asset(tag, "manifest-" + arch + ".json") + ", " + asset(tag, "manifest-" + arch + ".json.sig");
}

const std::string kFixtureReleases = "[" +
    release("nightly", true, false, both("nightly", "amd64")) + ", " +
    release("v0.3.0-beta.1", true, false, both("v0.3.0-beta.1", "amd64") + ", " + both("v0.3.0-beta.1", "arm64")) + ", " +
    release("v0.2.5", false, true, both("v0.2.5", "amd64")) + ", " +
    release("v0.2.0", false, false, both("v0.2.0", "amd64")) + ", " +
    release("v0.1.0", false, false, both("v0.1.0", "amd64") + ", " + both("v0.1.0", "arm64")) + ", " +
    release("portal-1.0.0", false, false, asset("portal-1.0.0", "portal.tar.gz")) + "]";

TEST_CASE("github:// sources: OWNER/REPO, anything else is not one, and a malformed one is named") {
  auto repo = parse_github_source("github://macula-io/macula-os");
  REQUIRE(repo);
  REQUIRE(*repo);
  CHECK((*repo)->owner == "macula-io");
  CHECK((*repo)->name == "macula-os");
  CHECK(github_releases_url(**repo) == "https://api.github.com/repos/macula-io/macula-os/releases?per_page=100");
  auto https = parse_github_source("https://mirror.example/maculaos");
  REQUIRE(https);
  CHECK_FALSE(*https);
  for (const char* bad : {"github://macula-io", "github://a/b/c", "github://a/..", "github:///repo", "github://a b/c"}) {
    auto refused = parse_github_source(bad);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().text() == std::string("release source '") + bad + "': expected github://OWNER/REPO");
  }
}

TEST_CASE("stable: the newest release that is not a prerelease and has this architecture's manifest, drafts never") {
  auto amd64 = pick_github_release(kFixtureReleases, "stable", "amd64", "fixture releases");
  REQUIRE(amd64);
  CHECK(amd64->tag == "v0.2.0");
  CHECK(amd64->manifest_url == "https://github.com/fixture-org/fixture-os/releases/download/v0.2.0/manifest-amd64.json");
  CHECK(amd64->signature_url == amd64->manifest_url + ".sig");
  CHECK(amd64->notes_url == "https://github.com/fixture-org/fixture-os/releases/tag/v0.2.0");
  CHECK_FALSE(amd64->prerelease);
  auto arm64 = pick_github_release(kFixtureReleases, "stable", "arm64", "fixture releases");
  REQUIRE(arm64);
  CHECK(arm64->tag == "v0.1.0");  // v0.2.0 has no arm64 manifest
}

TEST_CASE("beta is the newest prerelease, nightly the release tagged nightly") {
  auto beta = pick_github_release(kFixtureReleases, "beta", "amd64", "fixture releases");
  REQUIRE(beta);
  CHECK(beta->tag == "v0.3.0-beta.1");
  CHECK(beta->prerelease);
  auto nightly = pick_github_release(kFixtureReleases, "nightly", "amd64", "fixture releases");
  REQUIRE(nightly);
  CHECK(nightly->tag == "nightly");
  auto none = pick_github_release(kFixtureReleases, "nightly", "arm64", "fixture releases");
  REQUIRE_FALSE(none);
  CHECK(none.error().text() ==
        "fixture releases: no nightly release with manifest-arm64.json and manifest-arm64.json.sig among the newest 100");
}

TEST_CASE("a channel GitHub sources do not have, and an answer that is not a list, are errors naming them") {
  auto channel = pick_github_release(kFixtureReleases, "edge", "amd64", "fixture releases");
  REQUIRE_FALSE(channel);
  CHECK(channel.error().text() == "fixture releases: channel 'edge': a GitHub source has stable, beta and nightly");
  auto object = pick_github_release(R"({"message": "Not Found"})", "stable", "amd64", "fixture releases");
  REQUIRE_FALSE(object);
  CHECK(object.error().text() == "fixture releases: expected a JSON list");
}

TEST_CASE("an asset offered over plain http is not taken") {
  const std::string plain = R"([{"tag_name": "v1.0.0", "prerelease": false, "assets": [)"
                            R"({"name": "manifest-amd64.json", "browser_download_url": "http://fixture.example/m.json"},)"
                            R"({"name": "manifest-amd64.json.sig", "browser_download_url": "https://fixture.example/m.sig"}]}])";
  CHECK_FALSE(pick_github_release(plain, "stable", "amd64", "fixture releases"));
}

TEST_CASE("the rate limit: Retry-After, or no requests left until the reset, on a 403 or 429 only") {
  const std::int64_t now = 1'800'000'000;
  CHECK(rate_limited_until(429, {.retry_after = "60"}, now) == now + 60);
  CHECK(rate_limited_until(403, {.remaining = "0", .reset = "1800000900"}, now) == 1'800'000'900);
  CHECK(rate_limited_until(403, {.remaining = "0", .reset = "1700000000"}, now) == now);  // a reset already past
  CHECK_FALSE(rate_limited_until(403, {.remaining = "12", .reset = "1800000900"}, now));  // forbidden for another reason
  CHECK_FALSE(rate_limited_until(200, {.retry_after = "60"}, now));
  CHECK_FALSE(rate_limited_until(429, {.retry_after = "soon"}, now));
}

}  // namespace
}  // namespace macula
