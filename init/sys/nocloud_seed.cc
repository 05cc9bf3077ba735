#include "init/sys/nocloud_seed.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <string>

#include "common/files.h"
#include "common/sys/mounts.h"
#include "names/names.h"
#include "net/sys/resource.h"

namespace macula {

namespace {

constexpr const char* kSeedFiles[] = {"user-data", "meta-data"};
// cloud-init's own cap on user-data is in this order; a seed past it is not a config
constexpr std::size_t kMaxSeedFileBytes = 1u << 20;

bool is_seed(const BlockDevice& device) { return device.label == kNoCloudLabel || device.label == kNoCloudLabelLower; }

Result<void> copy_seed(const BlockDevice& device) {
  auto mounted = ScopedMount::mount({"/dev/" + device.name, kNoCloudSeedMount, device.type, "ro,nodev,nosuid,noexec"});
  if (!mounted) return fail(mounted.error());
  if (::mkdir(kNoCloudSeedDir, 0700) != 0 && errno != EEXIST) return fail_errno(std::string("mkdir ") + kNoCloudSeedDir);
  for (const char* name : kSeedFiles) {
    const std::string path = std::string(kNoCloudSeedMount) + "/" + name;
    // capped as it is read: PID 1 does not take a file of any size into memory
    auto text = read_resource(path, {}, kMaxSeedFileBytes);
    if (!text && text.error().code == ENOENT) continue;  // meta-data alone, or user-data alone
    if (!text) return fail(text.error());
    if (auto r = write_file_atomic(std::string(kNoCloudSeedDir) + "/" + name, *text, 0600); !r) return r;
  }
  return {};
}

}  // namespace

void copy_nocloud_seed(std::span<const BlockDevice> devices, BootLog& log) {
  const auto seed = std::ranges::find_if(devices, is_seed);
  if (seed == devices.end()) return;
  if (auto r = copy_seed(*seed); !r)
    return log.warn("NoCloud seed on /dev/" + seed->name + ": " + r.error().text());
  log.info("NoCloud seed: /dev/" + seed->name + " (" + seed->label + ") copied to " + kNoCloudSeedDir);
}

}  // namespace macula
