#include "common/sys/loop_device.h"

#include <fcntl.h>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstring>

namespace macula {

namespace {

// devtmpfs makes /dev/loopN as the kernel adds the device: a moment after LOOP_CTL_GET_FREE.
UniqueFd open_loop_node(const std::string& path) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
    if (fd || errno != ENOENT) return fd;
    ::usleep(20 * 1000);
  }
  return UniqueFd();
}

}  // namespace

Result<LoopDevice> LoopDevice::attach(const std::string& backing, const LoopOptions& options) {
  UniqueFd file(::open(backing.c_str(), O_RDWR | O_CLOEXEC));
  if (!file) return fail_errno("open " + backing);
  UniqueFd control(::open("/dev/loop-control", O_RDWR | O_CLOEXEC));
  if (!control) return fail_errno("open /dev/loop-control");
  loop_config config{};
  config.fd = static_cast<unsigned>(file.get());
  config.info.lo_offset = options.offset;
  config.info.lo_sizelimit = options.size;
  config.info.lo_flags = LO_FLAGS_AUTOCLEAR | (options.partscan ? LO_FLAGS_PARTSCAN : 0);
  std::strncpy(reinterpret_cast<char*>(config.info.lo_file_name), backing.c_str(), LO_NAME_SIZE - 1);
  // Another process may take the free device between the two calls (EBUSY): ask again.
  for (int attempt = 0; attempt < 10; ++attempt) {
    const int number = ::ioctl(control.get(), LOOP_CTL_GET_FREE);
    if (number < 0) return fail_errno("find a free loop device for " + backing);
    const std::string path = "/dev/loop" + std::to_string(number);
    UniqueFd loop = open_loop_node(path);
    if (!loop) return fail_errno("open " + path);
    if (::ioctl(loop.get(), LOOP_CONFIGURE, &config) == 0) return LoopDevice(std::move(loop), path);
    if (errno != EBUSY) return fail_errno("attach " + backing + " to " + path);
  }
  return fail("attach " + backing + ": every free loop device was taken before it could be used", EBUSY);
}

}  // namespace macula
