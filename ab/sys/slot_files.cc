#include "ab/sys/slot_files.h"

#include "ab/slot_manifest.h"
#include "common/files.h"
#include "common/process.h"

namespace macula {

Result<void> make_ext4(const std::string& device, std::string_view label) {
  auto r = run_command({"mkfs.ext4", "-F", "-q", "-L", std::string(label), "-O", "^metadata_csum_seed", device});
  if (!r) return fail(r.error());
  return {};
}

Result<void> write_slot_manifest(const std::string& slot_dir, const std::string& version,
                                 std::span<const CopiedFile> files) {
  return write_file_atomic(slot_dir + "/" + std::string(kSlotManifestName), slot_manifest_json(version, files), 0644);
}

}  // namespace macula
