// What PID 1 leaves the booted system under /run/macula, just before it switches root: its own
// binary (so the tools always match the initramfs and slot that booted) and boot.json (what
// this boot did, and how long each stage took).
#pragma once

#include "init/sys/boot_log.h"
#include "init/boot_report.h"

namespace macula {

// Neither failure stops the boot: each is a warning (in boot.json too, when it can be written).
void hand_off(BootReport& report, BootLog& log);

}  // namespace macula
