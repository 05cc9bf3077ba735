#include "ab/slot_files.h"

#include "common/files.h"
#include "common/json.h"
#include "common/process.h"

namespace macula {

Result<void> make_ext4(const std::string& device, std::string_view label) {
  auto r = run_command({"mkfs.ext4", "-F", "-q", "-L", std::string(label), "-O", "^metadata_csum_seed", device});
  if (!r) return fail(r.error());
  return {};
}

Result<void> write_slot_manifest(const std::string& slot_dir, const std::string& version,
                                 std::span<const CopiedFile> files) {
  JsonObject listed;
  for (const CopiedFile& f : files) {
    JsonObject entry;
    entry.add("size", static_cast<std::int64_t>(f.size)).add("sha256", f.sha256);
    listed.add(f.name, entry);
  }
  JsonObject manifest;
  manifest.add("version", version).add("files", listed);
  return write_file_atomic(slot_dir + "/slot.json", manifest.str() + "\n", 0644);
}

}  // namespace macula
