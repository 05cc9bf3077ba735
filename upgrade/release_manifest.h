// A release as a server publishes it (see docs/upgrades.md): manifest.json,
// signed in manifest.json.sig, naming one artifact per slot file. Parsing and the decisions
// about it are pure; fetching it and verifying the signature live in upgrade_sequence.cc and signature.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ab/slot_content.h"
#include "common/result.h"

namespace macula {

struct Artifact {
  std::string name;         // one of kSlotFileNames
  std::string url;          // absolute, or relative to the manifest's location
  bool zstd = false;        // compression: "zstd" or "none"
  std::uint64_t size = 0;   // bytes on disk (decompressed)
  std::string sha256;       // of the bytes on disk
  std::uint64_t download_size = 0;  // bytes transferred; 0 if not given
};

// The k3s a release's image pins, carried for nodes that cannot reach k3s's own releases (an
// air-gapped `upgrade --from DIR`): its files under the names k3s's release gives them (the
// binary, its sums file), which the apply stages where setup keeps downloads, for the new
// slot's first boot (setup/k3s_versions.h).
struct K3sRelease {
  std::string version;          // a k3s release tag: a file name, v1.31.4+k3s1
  std::vector<Artifact> files;  // each name a plain file name
};

struct ReleaseManifest {
  std::string version;
  std::string channel;
  std::vector<Artifact> artifacts;  // in kSlotFileNames order
  std::optional<K3sRelease> k3s;    // "k3s": {"version", "files": [artifact...]}, when carried
};

// Fails with "SOURCE: what is wrong" unless every field is present and sane.
Result<ReleaseManifest> parse_manifest(std::string_view json, std::string_view source);

// Where `url` points when it is written in the manifest at `manifest_location` (a URL or a
// path): absolute URLs stay, anything else is taken relative to the manifest's directory. In
// a manifest from a server, a path starting with '/' is a path on that server, never a local
// file.
std::string resolve_location(std::string_view manifest_location, std::string_view url);

// A SemVer 2.0 version, MAJOR.MINOR.PATCH[-PRE][+BUILD], of at most 64 bytes: what a release
// manifest must carry.
bool is_semver(std::string_view version);

// SemVer precedence: numbers numerically (0.10.0 > 0.9.1; missing ones are 0), a pre-release
// before its release (0.2.0-rc1 < 0.2.0), pre-release identifiers one by one (numbers
// numerically, below words: rc.2 < rc.10 < rc.a), build metadata ignored. Negative, zero or
// positive, like strcmp.
int compare_versions(std::string_view a, std::string_view b);

}  // namespace macula
