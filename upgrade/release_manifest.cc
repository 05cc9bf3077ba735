#include "upgrade/release_manifest.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>

#include "common/json_fields.h"

namespace macula {

namespace {

bool is_slot_file(std::string_view name) {
  return std::find(std::begin(kSlotFileNames), std::end(kSlotFileNames), name) != std::end(kSlotFileNames);
}

// A name that is one file in a directory of the node's: letters, digits and ._+- (no '/'),
// not starting with '.', at most 128 bytes.
bool is_plain_file_name(std::string_view name) {
  return !name.empty() && name.size() <= 128 && name[0] != '.' && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '+' || c == '-';
  });
}

// One file of the release; `known` says whether its name is one this list may hold, `expected`
// what such a name is.
Result<Artifact> parse_artifact(json_object* o, std::string_view where, bool (*known)(std::string_view),
                                std::string_view expected) {
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
  if (!known(a.name)) return fail(what + ": unknown artifact (expected " + std::string(expected) + ")");
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

// A version split as SemVer 2.0 reads it: the dotted numbers, the pre-release identifiers
// (after '-'), and the build metadata (after '+', which precedence ignores).
struct VersionParts {
  std::vector<std::uint64_t> numbers;
  std::vector<std::string_view> pre;
  bool well_formed = true;
};

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string_view> split_on(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (size_t at = 0;;) {
    const size_t next = s.find(sep, at);
    parts.push_back(s.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
    if (next == std::string_view::npos) return parts;
    at = next + 1;
  }
}

VersionParts split_version(std::string_view v) {
  VersionParts parts;
  v = v.substr(0, v.find('+'));
  const size_t dash = v.find('-');
  if (dash != std::string_view::npos) {
    parts.pre = split_on(v.substr(dash + 1), '.');
    v = v.substr(0, dash);
  }
  for (std::string_view n : split_on(v, '.')) {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), value);
    parts.well_formed = parts.well_formed && ec == std::errc() && end == n.data() + n.size() &&
                        (n.size() == 1 || n[0] != '0');
    parts.numbers.push_back(value);
  }
  for (std::string_view id : parts.pre) {
    const bool ok_chars = std::all_of(id.begin(), id.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    });
    parts.well_formed = parts.well_formed && !id.empty() && ok_chars && !(all_digits(id) && id.size() > 1 && id[0] == '0');
  }
  return parts;
}

// SemVer's rule for one pre-release identifier: numbers numerically and below any word.
int compare_identifiers(std::string_view a, std::string_view b) {
  const bool na = all_digits(a), nb = all_digits(b);
  if (na && nb) {
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    return a.compare(b) < 0 ? -1 : a.compare(b) > 0;
  }
  if (na != nb) return na ? -1 : 1;
  return a.compare(b) < 0 ? -1 : a.compare(b) > 0;
}

Result<K3sRelease> parse_k3s_release(json_object* o, const std::string& at) {
  if (!json_object_is_type(o, json_type_object)) return fail(at + ": expected an object");
  K3sRelease k3s;
  const char* version = field_string(o, "version");
  if (!version || !is_plain_file_name(version))
    return fail(at + ": \"version\" must be a k3s release tag (letters, digits and ._+-, like v1.31.4+k3s1)");
  k3s.version = version;
  json_object* list = nullptr;
  if (!json_object_object_get_ex(o, "files", &list) || !json_object_is_type(list, json_type_array) ||
      json_object_array_length(list) == 0)
    return fail(at + ": missing \"files\" (a list of the binary and its sums file)");
  for (size_t i = 0; i < json_object_array_length(list); ++i) {
    auto a = parse_artifact(json_object_array_get_idx(list, i), at + " file " + std::to_string(i + 1),
                            is_plain_file_name, "a plain file name");
    if (!a) return fail(a.error());
    for (const Artifact& seen : k3s.files)
      if (seen.name == a->name) return fail(at + ": file " + a->name + " is listed twice");
    k3s.files.push_back(std::move(*a));
  }
  return k3s;
}

}  // namespace

Result<ReleaseManifest> parse_manifest(std::string_view json, std::string_view source) {
  const std::string src(source);
  auto root = parse_json_object(json, source);
  if (!root) return fail(root.error());
  json_object* o = root->get();
  std::uint64_t format = 0;
  if (!field_u64(o, "format", format) || format != 1)
    return fail(src + ": \"format\" must be 1 (a newer release format needs a newer MaculaOS)");
  ReleaseManifest m;
  const char* version = field_string(o, "version");
  const char* channel = field_string(o, "channel");
  if (!version || !*version) return fail(src + ": missing \"version\"");
  if (!is_semver(version))
    return fail(src + ": version '" + std::string(version).substr(0, 64) +
                "' is not a SemVer version (MAJOR.MINOR.PATCH[-PRE][+BUILD], at most 64 bytes)");
  if (!channel || !*channel) return fail(src + ": missing \"channel\"");
  m.version = version;
  m.channel = channel;
  json_object* list = nullptr;
  if (!json_object_object_get_ex(o, "artifacts", &list) || !json_object_is_type(list, json_type_array))
    return fail(src + ": missing \"artifacts\" (a list)");
  std::vector<Artifact> found;
  for (size_t i = 0; i < json_object_array_length(list); ++i) {
    auto a = parse_artifact(json_object_array_get_idx(list, i), src + ": artifact " + std::to_string(i + 1),
                            is_slot_file, "rootfs.squashfs, vmlinuz or initrd.zst");
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
  json_object* k3s = nullptr;
  if (json_object_object_get_ex(o, "k3s", &k3s)) {
    auto carried = parse_k3s_release(k3s, src + ": k3s");
    if (!carried) return fail(carried.error());
    m.k3s = std::move(*carried);
  }
  return m;
}

std::string resolve_location(std::string_view manifest_location, std::string_view url) {
  if (url.find("://") != std::string_view::npos) return std::string(url);
  if (const size_t scheme = manifest_location.find("://"); scheme != std::string_view::npos) {
    // From a server, a path is on that server, never a file here.
    if (url.starts_with('/')) {
      const size_t host_end = manifest_location.find('/', scheme + 3);
      return std::string(manifest_location.substr(0, host_end)) + std::string(url);
    }
  } else if (url.starts_with('/')) {
    return std::string(url);
  }
  const size_t slash = manifest_location.rfind('/');
  if (slash == std::string_view::npos) return std::string(url);
  return std::string(manifest_location.substr(0, slash + 1)) + std::string(url);
}

bool is_semver(std::string_view v) {
  const VersionParts parts = split_version(v);
  const size_t plus = v.find('+');
  const bool build_ok = plus == std::string_view::npos ||
                        std::ranges::all_of(split_on(v.substr(plus + 1), '.'), [](std::string_view id) {
                          return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
                            return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
                          });
                        });
  return v.size() <= 64 && parts.well_formed && parts.numbers.size() == 3 && build_ok;
}

int compare_versions(std::string_view a, std::string_view b) {
  const VersionParts pa = split_version(a), pb = split_version(b);
  for (size_t i = 0; i < std::max(pa.numbers.size(), pb.numbers.size()); ++i) {
    const std::uint64_t x = i < pa.numbers.size() ? pa.numbers[i] : 0;
    const std::uint64_t y = i < pb.numbers.size() ? pb.numbers[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  if (pa.pre.empty() || pb.pre.empty()) return pa.pre.empty() - pb.pre.empty();  // 0.2.0 > 0.2.0-rc1
  for (size_t i = 0; i < std::min(pa.pre.size(), pb.pre.size()); ++i)
    if (int c = compare_identifiers(pa.pre[i], pb.pre[i])) return c;
  return (pa.pre.size() > pb.pre.size()) - (pa.pre.size() < pb.pre.size());
}

}  // namespace macula
