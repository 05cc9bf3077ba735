#include "init/sys/console_shell.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace macula {

namespace {

// /dev/console cannot become a controlling terminal (the tty layer opens it noctty), so, like
// busybox's cttyhack, open the device behind it: the last one in console/active.
std::string console_tty() {
  std::ifstream active("/sys/class/tty/console/active");
  std::string word, last;
  while (active >> word) last = word;
  return last.empty() ? "/dev/console" : "/dev/" + last;
}

[[noreturn]] void exec_shell(const std::string& banner, const std::string& prompt) {
  ::setsid();
  int fd = ::open(console_tty().c_str(), O_RDWR);
  if (fd < 0) fd = ::open("/dev/console", O_RDWR);
  if (fd >= 0) {
    ::ioctl(fd, TIOCSCTTY, 1);
    for (int i = 0; i < 3; ++i) ::dup2(fd, i);
    if (fd > 2) ::close(fd);
  }
  std::fprintf(stderr, "\n%s\n", banner.c_str());
  ::setenv("PS1", prompt.c_str(), 1);
  ::setenv("PATH", "/bin:/sbin:/usr/bin:/usr/sbin", 1);
  ::setenv("HOME", "/", 1);
  ::setenv("TERM", "linux", 0);
  ::execl("/bin/sh", "sh", static_cast<char*>(nullptr));
  std::fprintf(stderr, "macula-init: cannot run /bin/sh: %m\n");
  ::_exit(127);
}

}  // namespace

Result<void> run_console_shell(const std::string& banner, const std::string& prompt) {
  const pid_t shell = ::fork();
  if (shell < 0) return fail_errno("fork the console shell");
  if (shell == 0) exec_shell(banner, prompt);
  int status = 0;
  for (;;) {
    const pid_t reaped = ::waitpid(-1, &status, 0);
    if (reaped == shell) break;
    if (reaped < 0 && errno != EINTR) return fail_errno("wait for the console shell");
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
    return fail("console shell /bin/sh could not be started", ENOENT);
  return {};
}

void leave(Emergency action) {
  ::sync();
  ::reboot(action == Emergency::poweroff ? RB_POWER_OFF : RB_AUTOBOOT);
  // Only reached if reboot(2) failed, which it does not for PID 1 with CAP_SYS_BOOT. Never
  // return from PID 1: that would panic the kernel.
  for (;;) ::pause();
}

}  // namespace macula
