// Running a tool of the root image from PID 1: the initramfs holds only our binary, so mkfs,
// sfdisk and the like run chrooted into the mounted root image (kRootImageMount), with the
// kernel's file systems bound in for the time (they need the devices' nodes).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/result.h"

namespace macula {

// Runs argv in the root image with `input` on stdin; fails as run_command does, or when the
// binds cannot be made. Killed after `timeout`.
Result<void> run_from_root_image(const std::vector<std::string>& argv, const std::string& input,
                                 std::chrono::milliseconds timeout);

}  // namespace macula
