#include "upgrade/github_releases.h"

#include <algorithm>
#include <charconv>

#include "common/json_fields.h"
#include "upgrade/release_manifest.h"

namespace macula {

namespace {

bool github_name(std::string_view s) {
  return !s.empty() && s.size() <= 100 && s != "." && s != ".." && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                  c == '.';
         });
}

std::optional<std::int64_t> whole_number(std::string_view s) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || n < 0) return std::nullopt;
  return n;
}

bool field_bool(json_object* o, const char* key) {
  json_object* v = nullptr;
  return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

// The browser_download_url of the asset named `name`, or empty.
std::string asset_url(json_object* release, std::string_view name) {
  json_object* assets = nullptr;
  if (!json_object_object_get_ex(release, "assets", &assets) || !json_object_is_type(assets, json_type_array)) return {};
  for (std::size_t i = 0; i < json_object_array_length(assets); ++i) {
    json_object* asset = json_object_array_get_idx(assets, i);
    const char* asset_name = json_object_is_type(asset, json_type_object) ? field_string(asset, "name") : nullptr;
    const char* url = asset_name && name == asset_name ? field_string(asset, "browser_download_url") : nullptr;
    // https only: what the API names is downloaded as it is, and TLS is what vouches for it
    if (url && std::string_view(url).starts_with("https://")) return url;
  }
  return {};
}

// Whether a release of this tag and prerelease flag is on channel.
bool on_channel(std::string_view channel, std::string_view tag, bool prerelease) {
  if (channel == kNightlyTag) return tag == kNightlyTag;
  if (tag == kNightlyTag) return false;
  return channel == "beta" ? prerelease : !prerelease;
}

std::string_view tag_version(std::string_view tag) { return tag.starts_with('v') ? tag.substr(1) : tag; }

}  // namespace

Result<std::optional<GithubRepo>> parse_github_source(std::string_view url) {
  if (!url.starts_with(kGithubScheme)) return std::optional<GithubRepo>();
  std::string_view path = url.substr(kGithubScheme.size());
  while (path.ends_with('/')) path.remove_suffix(1);
  const std::size_t slash = path.find('/');
  const std::string_view owner = path.substr(0, slash);
  const std::string_view name = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  if (!github_name(owner) || !github_name(name))
    return fail(ErrorKind::usage, "release source '" + std::string(url).substr(0, 200) + "': expected github://OWNER/REPO");
  return std::optional(GithubRepo{std::string(owner), std::string(name)});
}

std::string github_releases_url(const GithubRepo& repo) {
  return std::string(kGithubApi) + "/repos/" + repo.owner + "/" + repo.name + "/releases?per_page=100";
}

std::string manifest_asset_name(std::string_view arch) { return "manifest-" + std::string(arch) + ".json"; }

Result<GithubRelease> pick_github_release(std::string_view releases_json, std::string_view channel,
                                          std::string_view arch, std::string_view source) {
  const std::string src(source);
  if (channel != "stable" && channel != "beta" && channel != kNightlyTag)
    return fail(ErrorKind::usage, src + ": channel '" + std::string(channel).substr(0, 64) +
                                      "': a GitHub source has stable, beta and nightly");
  auto list = parse_json(releases_json, source, json_type_array);
  if (!list) return fail(list.error());
  const std::string manifest = manifest_asset_name(arch);
  std::optional<GithubRelease> newest;
  for (std::size_t i = 0; i < json_object_array_length(list->get()); ++i) {
    json_object* release = json_object_array_get_idx(list->get(), i);
    if (!json_object_is_type(release, json_type_object) || field_bool(release, "draft")) continue;
    const char* tag = field_string(release, "tag_name");
    if (!tag || !on_channel(channel, tag, field_bool(release, "prerelease"))) continue;
    if (channel != kNightlyTag && !is_semver(tag_version(tag))) continue;  // not a MaculaOS release
    GithubRelease found{.tag = tag,
                        .manifest_url = asset_url(release, manifest),
                        .signature_url = asset_url(release, manifest + ".sig"),
                        .prerelease = field_bool(release, "prerelease")};
    if (found.manifest_url.empty() || found.signature_url.empty()) continue;  // none for this architecture
    if (newest && compare_versions(tag_version(found.tag), tag_version(newest->tag)) <= 0) continue;
    if (const char* page = field_string(release, "html_url")) found.notes_url = page;
    if (const char* published = field_string(release, "published_at")) found.published_at = published;
    newest = std::move(found);
  }
  if (!newest)
    return fail(ErrorKind::not_found, src + ": no " + std::string(channel) + " release with " + manifest + " and " +
                                          manifest + ".sig among the newest 100");
  return *newest;
}

std::optional<std::int64_t> rate_limited_until(long status, const RateLimitHeaders& headers, std::int64_t now) {
  if (status != 403 && status != 429) return std::nullopt;
  if (auto seconds = whole_number(headers.retry_after)) return now + *seconds;
  auto reset = whole_number(headers.reset);
  if (headers.remaining == "0" && reset) return std::max(*reset, now);
  return std::nullopt;
}

}  // namespace macula
