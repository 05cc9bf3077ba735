// A release source that is a GitHub repository's releases: `github://OWNER/REPO`, the image's
// default (github://macula-io/macula-os). The releases list of GitHub's REST API
// (GET /repos/OWNER/REPO/releases, no token) names, per release, its tag, whether it is a
// prerelease and its assets' download URLs. A MaculaOS release carries, per architecture,
// manifest-ARCH.json and manifest-ARCH.json.sig beside the files the manifest names (relative
// URLs, so they resolve to the same release's assets). The channels (docs/upgrades.md):
// stable is a release that is not a prerelease, beta a prerelease, nightly the release tagged
// `nightly` (moved to each nightly build). Pure: the API's answer in, the choice out; fetching
// it is upgrade/sys's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace macula {

inline constexpr std::string_view kGithubScheme = "github://";
inline constexpr std::string_view kGithubApi = "https://api.github.com";
inline constexpr std::string_view kNightlyTag = "nightly";

struct GithubRepo {
  std::string owner, name;
};

// nullopt when url is not a github:// source; an error naming url when it is one but not
// github://OWNER/REPO (GitHub's characters: letters, digits, '-', '_' and '.').
Result<std::optional<GithubRepo>> parse_github_source(std::string_view url);

// The releases list, newest first, 100 of them (the API's largest page).
std::string github_releases_url(const GithubRepo& repo);

// manifest-ARCH.json
std::string manifest_asset_name(std::string_view arch);

struct GithubRelease {
  std::string tag;
  std::string manifest_url, signature_url;  // the assets' browser_download_url
  std::string notes_url{};                  // the release's page (html_url)
  std::string published_at{};               // as GitHub gives it: 2026-12-01T10:00:00Z
  bool prerelease = false;
};

// The newest release of channel (by the SemVer of its tag, a leading 'v' aside) among those
// that carry arch's manifest and its signature; drafts never. An error names source and says
// what was looked for: an unknown channel, or no release of it for arch.
Result<GithubRelease> pick_github_release(std::string_view releases_json, std::string_view channel,
                                          std::string_view arch, std::string_view source);

// An answer's headers that matter for GitHub's rate limit (absent: empty).
struct RateLimitHeaders {
  std::string retry_after{};  // seconds
  std::string remaining{};    // X-RateLimit-Remaining
  std::string reset{};        // X-RateLimit-Reset: seconds since the epoch
};

// When the answer (HTTP status and headers) is GitHub's rate limit: the time (seconds since the
// epoch) to try again. A 403 or 429 with Retry-After, or with no requests remaining and a reset
// time; nullopt for any other answer (a 403 for another reason among them).
std::optional<std::int64_t> rate_limited_until(long status, const RateLimitHeaders& headers, std::int64_t now);

}  // namespace macula
