// Live boots (live and install modes): the root image on the boot media, the ISO or a USB
// stick it was written to, found by its label. Nothing persists: the overlay is a tmpfs.
#pragma once

#include <span>
#include <string>

#include "init/root_source.h"

namespace macula {

class LiveMediaRoot final : public RootSource {
 public:
  using RootSource::RootSource;
  Result<void> mount_root_image(std::span<const BlockDevice> devices) override;
  Result<void> mount_persistent(const std::string&) override { return {}; }
};

}  // namespace macula
