#include "common/process.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

// Writes the command's input. A command that exits without reading it (one that is not there:
// exec failed) closes the pipe, and the SIGPIPE of that write would kill the caller: it is held
// blocked for the write and taken back after.
void write_input(int fd, std::string_view input, const std::string& what) {
  if (input.empty()) return;
  sigset_t pipe_signal, before;
  ::sigemptyset(&pipe_signal);
  ::sigaddset(&pipe_signal, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_signal, &before);
  (void)write_all(fd, std::as_bytes(std::span(input)), what);
  if (!::sigismember(&before, SIGPIPE)) {
    const timespec now{};
    while (::sigtimedwait(&pipe_signal, nullptr, &now) == SIGPIPE) {
    }
  }
  ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
}

int milliseconds_until(std::chrono::steady_clock::time_point when) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(when - std::chrono::steady_clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

}  // namespace

Result<CommandRun> run_process(const std::vector<std::string>& argv, const RunOptions& options) {
  const bool timed = options.timeout.count() > 0;
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
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
    if (!options.root.empty() && (::chroot(options.root.c_str()) != 0 || ::chdir("/") != 0)) {
      ::dprintf(2, "cannot enter %s: %m\n", options.root.c_str());
      ::_exit(127);
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::dprintf(2, "cannot run %s: %m\n", args[0]);
    ::_exit(127);
  }
  // Readable once the command has exited (a zombie's too): the end of the run, whoever else
  // still holds its output.
  UniqueFd exited_fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  const int pidfd_errno = errno;
  in->read.reset();
  out->write.reset();
  err->write.reset();
  if (!exited_fd) {
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    errno = pidfd_errno;
    return fail_errno("pidfd_open for " + argv[0]);
  }
  write_input(in->write.get(), options.input, argv[0] + " stdin");
  in->write.reset();

  CommandRun run;
  std::array<pollfd, 3> fds{pollfd{out->read.get(), POLLIN, 0}, pollfd{err->read.get(), POLLIN, 0},
                            pollfd{exited_fd.get(), POLLIN, 0}};
  int open_pipes = 2;
  bool exited = false;
  std::chrono::steady_clock::time_point drain_until;
  while (open_pipes > 0 || !exited) {
    int wait_ms = -1;
    if (exited)
      wait_ms = milliseconds_until(drain_until);
    else if (timed)
      wait_ms = milliseconds_until(deadline);
    if (exited && wait_ms == 0) break;  // what is still open belongs to what the command left running
    if (!exited && timed && wait_ms == 0) {
      run.timed_out = true;
      break;
    }
    if (::poll(fds.data(), fds.size(), wait_ms) < 0 && errno != EINTR) break;
    if (fds[2].fd >= 0 && (fds[2].revents & POLLIN)) {
      exited = true;
      fds[2].fd = -1;
      drain_until = std::chrono::steady_clock::now() + kDrainAfterExit;
    }
    for (size_t i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[i].fd = -1;
        --open_pipes;
      } else {
        (i == 0 ? run.out : run.err).append(buf, static_cast<size_t>(n));
      }
    }
  }
  // The group outlives its leader until it is reaped: what the command left behind in it (or
  // the command itself, when time is up) is killed before the wait.
  if (timed && (run.timed_out || !options.leave_running)) ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) run.signal = WTERMSIG(status);
  return run;
}

Result<std::string> run_command(const std::vector<std::string>& argv, const std::string& input,
                                std::chrono::milliseconds timeout, const std::string& root) {
  RunOptions options;
  options.input = input;
  options.timeout = timeout;
  options.root = root;
  auto run = run_process(argv, options);
  if (!run) return fail(run.error());
  return command_output(argv, std::move(*run), timeout);
}

Result<std::string> command_output(const std::vector<std::string>& argv, CommandRun run,
                                   std::chrono::milliseconds timeout) {
  std::string cmd;
  for (const std::string& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
  if (run.timed_out)
    return fail(cmd + " did not finish within " + std::to_string(timeout.count() / 1000) +
                " s: killed, with its process group");
  if (run.ok()) return std::move(run.out);
  const std::string why = last_line(run.err);
  return fail(cmd + " failed" + (why.empty() ? "" : ": " + why) +
              (run.signal == 0 ? " (exit " + std::to_string(run.exit_code) + ")" : " (killed)"));
}

}  // namespace macula
