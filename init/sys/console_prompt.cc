#include "init/sys/console_prompt.h"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <vector>

#include "common/fd.h"

namespace macula {

namespace {

// A console opened for a question; its terminal settings are put back when it closes.
class Console {
 public:
  explicit Console(const std::string& path) : fd_(::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC)) {
    saved_ok_ = fd_ && ::tcgetattr(fd_.get(), &saved_) == 0;
  }
  Console(Console&& o) noexcept = default;
  ~Console() {
    if (saved_ok_ && fd_) ::tcsetattr(fd_.get(), TCSANOW, &saved_);
  }
  bool ok() const { return static_cast<bool>(fd_); }
  int fd() const { return fd_.get(); }

  // Line by line (the kernel's line editing: backspace works), echo off when secret.
  void prepare(bool secret) {
    if (!saved_ok_) return;
    termios t = saved_;
    t.c_lflag |= ICANON;
    if (secret) t.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcflush(fd_.get(), TCIFLUSH);  // what was typed before the question is no answer
    ::tcsetattr(fd_.get(), TCSANOW, &t);
  }
  void say(const std::string& text) const { (void)write_all(fd_.get(), std::as_bytes(std::span(text)), "console"); }

 private:
  UniqueFd fd_;
  termios saved_{};
  bool saved_ok_ = false;
};

std::vector<Console> open_consoles(std::span<const std::string> consoles) {
  std::vector<Console> out;
  for (const std::string& c : consoles) {
    Console console("/dev/" + c.substr(0, c.find(',')));
    if (console.ok()) out.push_back(std::move(console));
  }
  if (out.empty()) out.emplace_back("/dev/console");
  return out;
}

}  // namespace

void tell_consoles(std::span<const std::string> consoles, const std::string& line) {
  for (const Console& c : open_consoles(consoles))
    if (c.ok()) c.say(line + "\n");
}

Result<std::string> ask_consoles(std::span<const std::string> consoles, const std::string& question, bool secret) {
  std::vector<Console> open = open_consoles(consoles);
  std::vector<pollfd> fds;
  for (Console& c : open) {
    if (!c.ok()) continue;
    c.prepare(secret);
    c.say(question);
    fds.push_back({c.fd(), POLLIN, 0});
  }
  if (fds.empty()) return fail("no console to ask on");
  for (;;) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return fail_errno("wait for an answer on the console");
    }
    for (const pollfd& p : fds) {
      if (!(p.revents & POLLIN)) continue;
      char buf[512];
      const ssize_t n = ::read(p.fd, buf, sizeof buf);
      if (n <= 0) continue;
      std::string line(buf, static_cast<std::size_t>(n));
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
      for (const Console& c : open)
        if (c.ok()) c.say("\n");  // the newline typed was not echoed
      return line;
    }
  }
}

}  // namespace macula
