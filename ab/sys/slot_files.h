// What makes a slot, shared by the installer (slot A) and the upgrader (the standby slot):
// an ext4 file system GRUB can read, the slot files, and slot.json written last.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "ab/slot_content.h"
#include "common/result.h"

namespace macula {

// mkfs.ext4 with the features GRUB 2.06 reads (no metadata_csum_seed).
Result<void> make_ext4(const std::string& device, std::string_view label);

// slot.json: the version and each file's size and SHA-256. Written last: a slot without it
// is incomplete.
Result<void> write_slot_manifest(const std::string& slot_dir, const std::string& version,
                                 std::span<const CopiedFile> files);

}  // namespace macula
