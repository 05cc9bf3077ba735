#include "support/sys/support_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "common/args.h"
#include "common/fd.h"
#include "common/files.h"
#include "common/process.h"
#include "common/utc_time.h"
#include "support/support_bundle.h"
#include "support/zstd_compress.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos support [-o FILE] [--root DIR]

Writes the node's facts to one .tar.zst to hand to someone helping: this boot's report and its
timeline, the node config (`config show`, its secret keys left out), config status, boot status,
version, rc-status, the kernel's log, the partitions, mounts and kernel command line, and the
end of each service's log. Nothing secret: the state's key, token and credential files are never
read, and what still looks like a token, key, password or recovery passphrase in what is read
is replaced by <hidden>. Run it with sudo: the logs and the config are root's.

  -o, --output FILE  where to write it (default: maculaos-support-HOST-TIME.tar.zst here)
  --root DIR         read the node's files under DIR (a node's disk mounted there); the
                     kernel's facts and the commands' reports are still this machine's
)";

constexpr OptionSpec kOptions[] = {{"output", 'o', true}, {"root", 0, true}};
constexpr int kLevel = 9;  // a few MiB of text: well under a second, a tenth of the size
constexpr auto kReportTimeout = std::chrono::seconds(30);

class MachineSources : public SupportSources {
 public:
  Result<std::string> read_tail(const std::string& path, std::uint64_t max_bytes) override {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return fail_errno("open " + path);
    struct stat st {};
    if (::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > max_bytes)
      ::lseek(fd.get(), static_cast<off_t>(st.st_size - max_bytes), SEEK_SET);
    std::string out;
    char buffer[1 << 16];
    for (;;) {
      const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return fail_errno("read " + path);
      if (n == 0) break;
      out.append(buffer, static_cast<std::size_t>(n));
      if (out.size() > max_bytes) out.erase(0, out.size() - max_bytes);  // /proc files have no size
    }
    return out;
  }

  Result<std::string> run(const std::vector<std::string>& argv) override {
    std::vector<std::string> command = argv;
    if (command[0] == "maculaos") command[0] = "/proc/self/exe";
    RunOptions options;
    options.timeout = kReportTimeout;
    auto done = run_process(command, options);
    if (!done) return fail(done.error());
    std::string out = done->out + done->err;
    if (!done->ok()) out += "(" + argv[0] + (done->timed_out ? " timed out" : " exited " + std::to_string(done->exit_code)) + ")\n";
    return out;
  }
};

Result<int> run(std::span<const std::string> argv) {
  auto args = parse_args("support", kOptions, argv);
  if (!args) return fail(args.error());
  if (!args->positional.empty()) return usage_error("unexpected '" + args->positional[0] + "' (see maculaos support --help)");
  std::string root = args->value_or("root", "");
  while (root.size() > 1 && root.ends_with('/')) root.pop_back();
  if (root == "/") root.clear();
  if (!root.empty() && !std::filesystem::is_directory(root)) return usage_error("--root " + root + ": expected a directory");
  const std::time_t now = std::time(nullptr);
  struct utsname names {};
  ::uname(&names);
  const std::string dir = std::string("maculaos-support-") + names.nodename + "-" + utc_time_text(now, "%Y%m%dT%H%M%SZ");
  const std::string output = args->value_or("output", dir + ".tar.zst");

  MachineSources sources;
  auto tar = tar_archive(collect_support(root, dir, now, sources));
  if (!tar) return fail(tar.error());
  auto compressed = zstd_compress(*tar, kLevel);
  if (!compressed) return fail(compressed.error());
  // the node's logs and config: for whoever runs this only, until they choose to hand it on
  if (auto written = write_file_atomic(output, *compressed, 0600); !written) return fail(written.error());
  std::printf("%s (%zu bytes)\n", output.c_str(), compressed->size());
  return 0;
}

}  // namespace

Applet support_applet() {
  return {.name = "support", .summary = "the node's facts in one .tar.zst to hand on, nothing secret in it", .usage = kUsage,
          .run = run, .options = kOptions, .needs_root = true};
}

}  // namespace macula
