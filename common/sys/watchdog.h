// The hardware watchdog (/dev/watchdog, the kernel's watchdog API). PID 1 arms it on a trial
// boot; the end-of-boot assessment disarms it once the slot is marked good. Between the two,
// nobody feeds it: a boot that hangs in user space (OpenRC or a service never finishing, so
// the health check never runs) resets the machine when it runs out, and GRUB has spent a try.
#pragma once

#include <chrono>

#include "common/result.h"

namespace macula {

inline constexpr const char* kWatchdogDevice = "/dev/watchdog";

// Starts the watchdog with `timeout` and lets go of the device without the magic close: the
// kernel keeps it running. Returns the timeout the device took (drivers round it).
Result<std::chrono::seconds> arm_watchdog(std::chrono::seconds timeout);

// Stops it (the magic close). false: there is no watchdog device, nothing to stop.
Result<bool> disarm_watchdog();

}  // namespace macula
