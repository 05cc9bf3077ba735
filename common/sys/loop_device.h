// Loop devices, set up with ioctl(2) (LOOP_CONFIGURE, Linux 5.8): PID 1 has no losetup. Each
// is attached with LO_FLAGS_AUTOCLEAR, so the kernel detaches it once nothing uses it: when
// this object closes its descriptor, or later, when what was mounted from it is unmounted.
#pragma once

#include <cstdint>
#include <string>

#include "common/fd.h"
#include "common/result.h"

namespace macula {

struct LoopOptions {
  std::uint64_t offset = 0;  // where the device starts in the backing file or disk
  std::uint64_t size = 0;    // its size; 0: to the end of the backing
  bool partscan = false;     // the kernel reads its partition table (loopNpM)
};

class LoopDevice {
 public:
  static Result<LoopDevice> attach(const std::string& backing, const LoopOptions& options = {});
  const std::string& path() const { return path_; }  // /dev/loopN

 private:
  LoopDevice(UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
  UniqueFd fd_;
  std::string path_;
};

}  // namespace macula
