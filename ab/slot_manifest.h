// slot.json, the last file written into a slot (ab/sys/slot_files.h): the release's version and
// each slot file's size and SHA-256. Init reads it on every installed boot to name the version
// it boots and to catch a root image that is not the size its slot was written with (a torn or
// truncated write). Pure: text in, a manifest or a one-line error out.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ab/slot_content.h"
#include "common/result.h"

namespace macula {

inline constexpr std::string_view kSlotManifestName = "slot.json";
inline constexpr std::uint64_t kSlotManifestMaxBytes = 64 << 10;

struct SlotManifest {
  std::string version;
  std::vector<CopiedFile> files;  // each of kSlotFileNames, in that order
  bool operator==(const SlotManifest&) const = default;
};

std::string slot_manifest_json(const std::string& version, std::span<const CopiedFile> files);

// A version and every slot file (kSlotFileNames) with its size and SHA-256; other fields are
// ignored. An error names source and the field.
Result<SlotManifest> parse_slot_manifest(std::string_view text, std::string_view source);

// The listed size of a slot file (nullopt when the manifest does not list it).
std::optional<std::uint64_t> listed_size(const SlotManifest& manifest, std::string_view name);

}  // namespace macula
