#include "logs/sys/logs_command.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <thread>

#include "common/args.h"
#include "common/fd.h"
#include "common/files.h"
#include "logs/boot_timeline.h"
#include "logs/kernel_log.h"
#include "logs/log_files.h"
#include "logs/log_follow.h"
#include "logs/sys/log_directory.h"
#include "names/names.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos logs [SERVICE | kernel] [-f]
       maculaos logs --boot
       maculaos logs --rotate [--every SECONDS] [--dir DIR]

With no argument, the logs there are to show. SERVICE shows that service's log (the list
names them: k3s, macula-firstboot, ...), `kernel` the kernel's messages (as dmesg), --boot this
boot's report (/run/macula/boot.json) as a timeline: what booted, and when each stage of /init
started from the kernel's start.

  -f, --follow   go on showing what is written, as tail -F (across the log's rotation)

--rotate keeps every log under /var/log (or DIR) within its budget: a log of 8 MiB is copied
to NAME.1 (NAME.2 the one before) and emptied, and the oldest copies go while the directory holds
more than 64 MiB (docs/logs.md). Once, or every SECONDS (the macula-logs service runs it so).
The logs are root's: reading them asks for sudo.
)";

constexpr OptionSpec kOptions[] = {
    {"follow", 'f', false}, {"boot", 0, false}, {"rotate", 0, false}, {"every", 0, true}, {"dir", 0, true},
};

constexpr auto kFollowPoll = std::chrono::milliseconds(500);

std::string size_text(std::uint64_t bytes) {
  char text[32];
  if (bytes < 1024) std::snprintf(text, sizeof text, "%llu B", static_cast<unsigned long long>(bytes));
  else if (bytes < (1u << 20)) std::snprintf(text, sizeof text, "%.1f KiB", static_cast<double>(bytes) / 1024);
  else std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return text;
}

Result<int> list() {
  std::printf("The logs `maculaos logs NAME` shows:\n");
  for (const ServiceLog& log : service_logs()) {
    struct stat st {};
    const std::string size = ::stat(std::string(log.path).c_str(), &st) == 0 ? size_text(st.st_size) : "none yet";
    std::printf("  %-17s %-30s %9s  %s\n", std::string(log.name).c_str(), std::string(log.path).c_str(), size.c_str(),
                std::string(log.what).c_str());
  }
  std::printf("  %-17s %-30s %9s  %s\n", "kernel", "/dev/kmsg", "", "the kernel's messages (dmesg)");
  std::printf("  %-17s %-30s %9s  %s\n", "--boot", kBootReportPath, "", "this boot's stages on a timeline");
  return 0;
}

// Writes out what fd holds from its current offset to its end: the bytes written.
Result<std::uint64_t> copy_out(int fd, const std::string& path) {
  std::array<std::byte, 1 << 16> buffer;
  std::uint64_t copied = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_errno("read " + path);
    if (n == 0) break;
    if (auto r = write_all(STDOUT_FILENO, std::span(buffer).first(static_cast<std::size_t>(n)), "stdout"); !r)
      return fail(r.error());
    copied += static_cast<std::uint64_t>(n);
  }
  return copied;
}

FollowedFile followed(const struct stat& st) {
  return {st.st_dev, st.st_ino, static_cast<std::uint64_t>(st.st_size)};
}

Result<int> show_file(const std::string& path, bool follow) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd && errno == ENOENT && !follow) return fail(ErrorKind::not_found, path + ": no log yet (its service has written none)");
  if (!fd && errno != ENOENT) return fail_errno("open " + path);
  std::uint64_t offset = 0;
  struct stat open_st {};
  if (fd) {
    auto copied = copy_out(fd.get(), path);
    if (!copied) return fail(copied.error());
    offset = *copied;
    ::fstat(fd.get(), &open_st);
  }
  while (follow) {
    std::this_thread::sleep_for(kFollowPoll);
    struct stat named_st {};
    if (::stat(path.c_str(), &named_st) != 0) continue;  // between a rename and the new file
    const FollowRead next = fd ? next_follow_read(followed(open_st), offset, followed(named_st)) : FollowRead{true, 0};
    if (next.reopen) {
      fd = UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
      if (!fd) continue;
      ::fstat(fd.get(), &open_st);
    }
    if (::lseek(fd.get(), static_cast<off_t>(next.from), SEEK_SET) < 0) return fail_errno("seek " + path);
    auto copied = copy_out(fd.get(), path);
    if (!copied) return fail(copied.error());
    offset = next.from + *copied;
    std::fflush(stdout);
  }
  return 0;
}

// The kernel's ring buffer, one record a read; following, poll waits for the next.
Result<int> show_kernel(bool follow) {
  constexpr const char* kKmsg = "/dev/kmsg";
  UniqueFd fd(::open(kKmsg, O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return fail_errno("open " + std::string(kKmsg));
  std::array<char, 8192> record;
  for (;;) {
    const ssize_t n = ::read(fd.get(), record.data(), record.size());
    if (n < 0 && (errno == EINTR || errno == EPIPE)) continue;  // EPIPE: records overwritten meanwhile
    if (n < 0 && errno == EAGAIN) {
      if (!follow) return 0;
      std::fflush(stdout);
      struct pollfd p {fd.get(), POLLIN, 0};
      ::poll(&p, 1, -1);
      continue;
    }
    if (n < 0) return fail_errno("read " + std::string(kKmsg));
    if (auto line = kmsg_line(std::string_view(record.data(), static_cast<std::size_t>(n))))
      std::printf("%s\n", line->c_str());
  }
}

Result<int> show_boot() {
  auto json = read_file(kBootReportPath);
  if (!json) return fail(ErrorKind::not_found, std::string(kBootReportPath) + ": no boot report (init writes it at every boot)", json.error().code);
  auto text = boot_timeline(*json, kBootReportPath);
  if (!text) return fail(text.error());
  std::fputs(text->c_str(), stdout);
  return 0;
}

Result<int> rotate(const ParsedArgs& args) {
  const std::string dir = args.value_or("dir", kLogDir);
  int every = 0;
  if (args.has("every")) {
    const std::string text = args.value_or("every", "");
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), every);
    if (ec != std::errc() || end != text.data() + text.size() || every <= 0)
      return usage_error("--every " + text + ": expected a number of seconds, 1 or more");
  }
  for (;;) {
    auto done = rotate_log_directory(dir, kLogRotation);
    if (every == 0) {
      if (!done) return fail(done.error());
      return 0;
    }
    // a service: a pass that failed is said, and the next is tried
    if (!done) std::fprintf(stderr, "logs: %s\n", done.error().text().c_str());
    std::this_thread::sleep_for(std::chrono::seconds(every));
  }
}

Result<int> run(std::span<const std::string> argv) {
  auto args = parse_args("logs", kOptions, argv);
  if (!args) return fail(args.error());
  const bool follow = args->has("follow");
  if (args->has("rotate")) {
    if (follow || args->has("boot") || !args->positional.empty()) return usage_error("--rotate takes only --every and --dir");
    return rotate(*args);
  }
  if (args->has("every") || args->has("dir")) return usage_error("--every and --dir go with --rotate");
  if (args->has("boot")) {
    if (follow || !args->positional.empty()) return usage_error("--boot takes no other argument");
    return show_boot();
  }
  if (args->positional.size() > 1) return usage_error("expected one log, got '" + args->positional[1] + "' too");
  if (args->positional.empty()) {
    if (follow) return usage_error("-f follows one log: name it (maculaos logs lists them)");
    return list();
  }
  const std::string& name = args->positional[0];
  if (name == "kernel") return show_kernel(follow);
  const auto log = service_log(name);
  if (!log) return usage_error("'" + name + "': no such log (maculaos logs lists them)");
  return show_file(std::string(log->path), follow);
}

}  // namespace

Applet logs_applet() {
  static constexpr std::string_view kRootWords[] = {"--rotate"};  // the macula-logs service's
  return {.name = "logs", .summary = "a service's log, the kernel's, this boot's timeline", .usage = kUsage, .run = run,
          .options = kOptions, .root_words = kRootWords};
}

}  // namespace macula
