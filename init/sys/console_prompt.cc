#include "init/sys/console_prompt.h"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <vector>

#include "common/fd.h"
#include "init/console_question.h"

namespace macula {

namespace {

// A console opened for a question; its terminal settings are put back when it closes.
class Console {
 public:
  explicit Console(const std::string& path) : fd_(::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC)) {
    saved_ok_ = fd_ && ::tcgetattr(fd_.get(), &saved_) == 0;
  }
  Console(Console&& o) noexcept = default;
  ~Console() { close(); }
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
  void close() {
    if (saved_ok_ && fd_) ::tcsetattr(fd_.get(), TCSANOW, &saved_);
    fd_.reset();
  }

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
  if (out.empty()) {
    Console console("/dev/console");
    if (console.ok()) out.push_back(std::move(console));
  }
  return out;
}

}  // namespace

void tell_consoles(std::span<const std::string> consoles, const std::string& line) {
  for (const Console& c : open_consoles(consoles))
    if (c.ok()) c.say(line + "\n");
}

namespace {

// Long enough not to busy PID 1, short enough that whoever plugs the cable back in is asked soon.
constexpr int kReopenPauseSeconds = 5;

// The consoles of the command line, asked the question, polled.
class TerminalLines : public ConsoleLines {
 public:
  TerminalLines(std::span<const std::string> consoles, const std::string& question, bool secret)
      : names_(consoles), question_(question), secret_(secret) {}

  std::size_t open_and_ask() override {
    open_ = open_consoles(names_);
    fds_.clear();
    for (Console& c : open_) {
      c.prepare(secret_);
      c.say(question_);
      fds_.push_back({c.fd(), POLLIN, 0});
    }
    return open_.size();
  }
  Result<std::vector<std::size_t>> wait() override {
    for (;;) {
      if (::poll(fds_.data(), fds_.size(), -1) >= 0) break;
      if (errno != EINTR) return fail_errno("wait for an answer on the console");
    }
    std::vector<std::size_t> ready;
    for (std::size_t i = 0; i < fds_.size(); ++i)
      if (fds_[i].fd >= 0 && (fds_[i].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))) ready.push_back(i);
    return ready;
  }
  Result<std::string> read(std::size_t i) override {
    char buf[512];
    const ssize_t n = ::read(fds_[i].fd, buf, sizeof buf);
    if (n < 0) return fail_errno("read the console");
    if (n > 0)
      for (const Console& c : open_)
        if (c.ok()) c.say("\n");  // the newline typed was not echoed
    return std::string(buf, static_cast<std::size_t>(n));
  }
  void close(std::size_t i) override {
    fds_[i].fd = -1;  // poll skips it
    open_[i].close();
  }
  void pause() override { ::sleep(kReopenPauseSeconds); }

 private:
  std::span<const std::string> names_;
  const std::string& question_;
  bool secret_;
  std::vector<Console> open_;
  std::vector<pollfd> fds_;
};

}  // namespace

Result<std::string> ask_consoles(std::span<const std::string> consoles, const std::string& question, bool secret) {
  TerminalLines lines(consoles, question, secret);
  return wait_for_answer(lines);
}

}  // namespace macula
