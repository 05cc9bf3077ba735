#include "init/live_media.h"

#include <unistd.h>

#include "common/media_layout.h"
#include "common/mounts.h"
#include "common/run_paths.h"
#include "init/boot_mode.h"

namespace macula {

Result<void> LiveMediaRoot::mount_root_image(std::span<const BlockDevice> devices) {
  const std::string label(kMediaLabel);
  const std::vector<BlockDevice> candidates = media_candidates(devices, kMediaLabel);
  if (candidates.empty())
    return fail("boot media: no file system labelled " + label + " appeared within " +
                std::to_string(config_.device_timeout.count()) + " s (block devices: " + device_names(devices) +
                "; macula.timeout= waits longer)");
  const std::string image = std::string(kMediaMount) + "/" + std::string(kMediaRootImage);
  for (const BlockDevice& c : candidates) {
    const std::string dev = "/dev/" + c.name;
    if (auto r = mount_with_libmount({dev, kMediaMount, c.type, "ro"}); !r) {
      log_.warn(r.error().text());
      continue;
    }
    if (::access(image.c_str(), R_OK) != 0) {
      log_.warn(dev + " is labelled " + label + " but holds no " + std::string(kMediaRootImage));
      detach(kMediaMount);
      continue;
    }
    report_.media = dev;
    report_.media_type = c.type;
    report_.root_image = image;
    log_.info("boot media " + dev + " (" + c.type + ")");
    return mount_with_libmount({image, kRootImageMount, "squashfs", "ro,loop"});
  }
  return fail("boot media: no device labelled " + label + " holds " + std::string(kMediaRootImage) + " (tried " +
              device_names(candidates) + ")");
}

}  // namespace macula
