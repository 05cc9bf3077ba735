#include "init/sys/boot_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

namespace macula {

void BootLog::open() {
  if (kmsg_) return;
  kmsg_ = UniqueFd(::open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY));
  // The kernel rate-limits /dev/kmsg writers to 10 lines per 5 s by default
  // (printk.devkmsg=ratelimit), which would drop most of the boot story; systemd lifts the limit
  // the same way. It stays locked if printk.devkmsg= was given on the command line.
  UniqueFd knob(::open("/proc/sys/kernel/printk_devkmsg", O_WRONLY | O_CLOEXEC));
  if (knob) (void)!::write(knob.get(), "on\n", 3);
}

void BootLog::emit(int level, std::string_view line) {
  std::string record = "<" + std::to_string(level) + ">macula-init: ";
  record.append(line);
  record += '\n';
  if (kmsg_ && ::write(kmsg_.get(), record.data(), record.size()) >= 0) return;
  std::fputs(record.c_str() + 3, stderr);  // without the "<N>" level
}

void BootLog::debug(std::string_view line) {
  if (debug_) emit(7, line);
}
void BootLog::info(std::string_view line) { emit(6, line); }
void BootLog::warn(std::string_view line) {
  warnings_.emplace_back(line);
  emit(4, "warning: " + std::string(line));
}
void BootLog::error(std::string_view line) { emit(3, line); }

}  // namespace macula
