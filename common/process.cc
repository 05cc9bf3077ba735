#include "common/process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include <array>

#include "common/fd.h"

namespace macula {

namespace {

struct Pipe {
  UniqueFd read, write;
};

Result<Pipe> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return fail_errno("pipe");
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

std::string last_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  const size_t nl = text.rfind('\n');
  return nl == std::string::npos ? text : text.substr(nl + 1);
}

}  // namespace

Result<std::string> run_command(const std::vector<std::string>& argv, const std::string& input,
                                std::chrono::milliseconds timeout, const std::string& root) {
  const bool timed = timeout.count() > 0;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto in = make_pipe(), out = make_pipe(), err = make_pipe();
  if (!in || !out || !err) return fail_errno("pipe for " + argv[0]);
  const pid_t pid = ::fork();
  if (pid < 0) return fail_errno("fork " + argv[0]);
  if (timed) ::setpgid(pid, pid);  // as the child does: whichever runs first, the group exists
  if (pid == 0) {
    if (timed) ::setpgid(0, 0);
    ::dup2(in->read.get(), 0);
    ::dup2(out->write.get(), 1);
    ::dup2(err->write.get(), 2);
    if (!root.empty() && (::chroot(root.c_str()) != 0 || ::chdir("/") != 0)) {
      ::dprintf(2, "cannot enter %s: %m\n", root.c_str());
      ::_exit(127);
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::dprintf(2, "cannot run %s: %m\n", args[0]);
    ::_exit(127);
  }
  in->read.reset();
  out->write.reset();
  err->write.reset();
  // Small inputs only (sfdisk scripts): they fit in the pipe buffer.
  (void)write_all(in->write.get(), std::as_bytes(std::span(input)), argv[0] + " stdin");
  in->write.reset();

  std::string stdout_text, stderr_text;
  std::array<pollfd, 2> fds{pollfd{out->read.get(), POLLIN, 0}, pollfd{err->read.get(), POLLIN, 0}};
  int open_fds = 2;
  bool timed_out = false;
  while (open_fds > 0) {
    int wait_ms = -1;
    if (timed) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        timed_out = true;
        break;
      }
      wait_ms = static_cast<int>(left.count());
    }
    if (::poll(fds.data(), fds.size(), wait_ms) < 0 && errno != EINTR) break;
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char buf[4096];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? stdout_text : stderr_text).append(buf, static_cast<size_t>(n));
      }
    }
  }
  // The group outlives its leader until it is reaped: what the command left behind in it (or
  // the command itself, when time is up) is killed before the wait.
  if (timed) ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::string cmd;
  for (const std::string& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
  if (timed_out)
    return fail(cmd + " did not finish within " + std::to_string(timeout.count() / 1000) +
                " s: killed, with its process group");
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return stdout_text;
  const std::string why = last_line(stderr_text);
  return fail(cmd + " failed" + (why.empty() ? "" : ": " + why) +
              (WIFEXITED(status) ? " (exit " + std::to_string(WEXITSTATUS(status)) + ")" : " (killed)"));
}

}  // namespace macula
