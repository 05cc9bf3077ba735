#include "common/sys/watchdog.h"

#include <fcntl.h>
#include <linux/watchdog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/fd.h"

namespace macula {

Result<std::chrono::seconds> arm_watchdog(std::chrono::seconds timeout) {
  // Opening starts it; closing without 'V' written leaves it running (unless the driver has
  // no magic close: then it would stop, and arming means nothing).
  UniqueFd fd(::open(kWatchdogDevice, O_WRONLY | O_CLOEXEC));
  if (!fd) return fail_errno(kWatchdogDevice);
  watchdog_info info{};
  if (::ioctl(fd.get(), WDIOC_GETSUPPORT, &info) == 0 && !(info.options & WDIOF_MAGICCLOSE)) {
    (void)::write(fd.get(), "V", 1);
    return fail(std::string(kWatchdogDevice) + " stops when closed (no magic close): it cannot guard the boot");
  }
  int seconds = static_cast<int>(timeout.count());
  if (::ioctl(fd.get(), WDIOC_SETTIMEOUT, &seconds) != 0) {
    const Result<std::chrono::seconds> failed = fail_errno(std::string(kWatchdogDevice) + ": set its timeout");
    (void)::write(fd.get(), "V", 1);  // a watchdog at the driver's default would be a surprise
    return failed;
  }
  (void)::ioctl(fd.get(), WDIOC_KEEPALIVE, nullptr);
  return std::chrono::seconds(seconds);
}

Result<bool> disarm_watchdog() {
  UniqueFd fd(::open(kWatchdogDevice, O_WRONLY | O_CLOEXEC));
  if (!fd && errno == ENOENT) return false;
  if (!fd) return fail_errno(kWatchdogDevice);
  if (::write(fd.get(), "V", 1) != 1) return fail_errno(std::string(kWatchdogDevice) + ": magic close");
  return true;
}

}  // namespace macula
