#include "upgrade/release_manifest.h"

#include <json-c/json.h>

#include <algorithm>
#include <charconv>
#include <memory>

namespace macula {

namespace {

using JsonPtr = std::unique_ptr<json_object, decltype(&json_object_put)>;

const char* field_string(json_object* o, const char* key) {
  json_object* v = nullptr;
  if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string)) return nullptr;
  return json_object_get_string(v);
}

bool field_u64(json_object* o, const char* key, std::uint64_t& out) {
  json_object* v = nullptr;
  if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int)) return false;
  const std::int64_t n = json_object_get_int64(v);
  if (n < 0) return false;
  out = static_cast<std::uint64_t>(n);
  return true;
}

bool is_sha256_hex(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Result<Artifact> parse_artifact(json_object* o, std::string_view where) {
  const std::string at(where);
  if (!json_object_is_type(o, json_type_object)) return fail(at + ": expected an object");
  Artifact a;
  const char* name = field_string(o, "name");
  const char* url = field_string(o, "url");
  const char* sha = field_string(o, "sha256");
  const char* compression = field_string(o, "compression");
  if (!name) return fail(at + ": missing \"name\"");
  a.name = name;
  const std::string what = at + " (" + a.name + ")";
  if (std::find(std::begin(kSlotFileNames), std::end(kSlotFileNames), a.name) == std::end(kSlotFileNames))
    return fail(what + ": unknown artifact (expected rootfs.squashfs, vmlinuz or initrd.zst)");
  if (!url || !*url) return fail(what + ": missing \"url\"");
  a.url = url;
  if (!field_u64(o, "size", a.size)) return fail(what + ": missing or negative \"size\"");
  if (!sha || !is_sha256_hex(sha)) return fail(what + ": \"sha256\" must be 64 lower-case hex digits");
  a.sha256 = sha;
  const std::string comp = compression ? compression : "none";
  if (comp != "zstd" && comp != "none") return fail(what + ": compression '" + comp + "' (expected zstd or none)");
  a.zstd = comp == "zstd";
  (void)field_u64(o, "download_size", a.download_size);
  return a;
}

// The leading dotted numbers of a version, and what follows them.
std::pair<std::vector<std::uint64_t>, std::string_view> split_version(std::string_view v) {
  std::vector<std::uint64_t> numbers;
  const char* p = v.data();
  const char* end = v.data() + v.size();
  while (p < end) {
    std::uint64_t n = 0;
    auto [next, ec] = std::from_chars(p, end, n);
    if (ec != std::errc()) break;
    numbers.push_back(n);
    p = next;
    if (p < end && *p == '.') ++p;
    else break;
  }
  return {numbers, std::string_view(p, static_cast<size_t>(end - p))};
}

}  // namespace

Result<ReleaseManifest> parse_manifest(std::string_view json, std::string_view source) {
  const std::string src(source);
  json_tokener* tok = json_tokener_new();
  if (!tok) return fail(src + ": out of memory");
  JsonPtr root(json_tokener_parse_ex(tok, json.data(), static_cast<int>(json.size())), &json_object_put);
  const json_tokener_error err = json_tokener_get_error(tok);
  json_tokener_free(tok);
  if (!root || err != json_tokener_success)
    return fail(src + ": not valid JSON (" + json_tokener_error_desc(err) + ")");
  json_object* o = root.get();
  if (!json_object_is_type(o, json_type_object)) return fail(src + ": expected a JSON object");
  std::uint64_t format = 0;
  if (!field_u64(o, "format", format) || format != 1)
    return fail(src + ": \"format\" must be 1 (a newer release format needs a newer MaculaOS)");
  ReleaseManifest m;
  const char* version = field_string(o, "version");
  const char* channel = field_string(o, "channel");
  if (!version || !*version) return fail(src + ": missing \"version\"");
  if (!channel || !*channel) return fail(src + ": missing \"channel\"");
  m.version = version;
  m.channel = channel;
  json_object* list = nullptr;
  if (!json_object_object_get_ex(o, "artifacts", &list) || !json_object_is_type(list, json_type_array))
    return fail(src + ": missing \"artifacts\" (a list)");
  std::vector<Artifact> found;
  for (size_t i = 0; i < json_object_array_length(list); ++i) {
    auto a = parse_artifact(json_object_array_get_idx(list, i), src + ": artifact " + std::to_string(i + 1));
    if (!a) return fail(a.error());
    for (const Artifact& seen : found)
      if (seen.name == a->name) return fail(src + ": artifact " + a->name + " is listed twice");
    found.push_back(*a);
  }
  for (std::string_view name : kSlotFileNames) {
    auto it = std::find_if(found.begin(), found.end(), [&](const Artifact& a) { return a.name == name; });
    if (it == found.end()) return fail(src + ": no artifact named " + std::string(name) + " (a slot needs it)");
    m.artifacts.push_back(*it);
  }
  return m;
}

std::string resolve_location(std::string_view manifest_location, std::string_view url) {
  if (url.find("://") != std::string_view::npos || url.starts_with('/')) return std::string(url);
  const size_t slash = manifest_location.rfind('/');
  if (slash == std::string_view::npos) return std::string(url);
  return std::string(manifest_location.substr(0, slash + 1)) + std::string(url);
}

int compare_versions(std::string_view a, std::string_view b) {
  auto [na, rest_a] = split_version(a);
  auto [nb, rest_b] = split_version(b);
  for (size_t i = 0; i < std::max(na.size(), nb.size()); ++i) {
    const std::uint64_t x = i < na.size() ? na[i] : 0;
    const std::uint64_t y = i < nb.size() ? nb[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  if (rest_a == rest_b) return 0;
  if (rest_a.empty()) return 1;  // 0.2.0 > 0.2.0-rc1
  if (rest_b.empty()) return -1;
  return rest_a < rest_b ? -1 : 1;
}

}  // namespace macula
