#include "support/support_bundle.h"

#include "config/config_schema.h"
#include "config/config_sources.h"
#include "config/config_tree.h"
#include "logs/boot_timeline.h"
#include "logs/log_files.h"
#include "names/names.h"
#include "support/secret_scrub.h"

namespace macula {

namespace {

constexpr std::uint64_t kSmallFile = 1u << 20;

class Bundle {
 public:
  Bundle(std::string dir, std::int64_t now) : dir_(std::move(dir)), now_(now) {}

  void add(const std::string& name, const std::string& content) {
    entries_.push_back({dir_ + "/" + name, scrub_secrets(content), now_});
  }
  // content, or a line of missing.txt naming what and why
  void add(const std::string& name, const std::string& what, const Result<std::string>& content) {
    if (content) add(name, *content);
    else missing_ += name + ": " + what + ": " + content.error().text() + "\n";
  }
  std::vector<TarEntry> finish() {
    if (!missing_.empty()) add("missing.txt", missing_);
    return std::move(entries_);
  }

 private:
  std::string dir_;
  std::int64_t now_;
  std::vector<TarEntry> entries_;
  std::string missing_;
};

// `config show` as the booted node's would print it: the merged config with its secret keys
// left out, each value's source, and each source's problem as a comment.
Result<std::string> config_shown(const std::string& root) {
  auto chosen = read_node_config(ConfigRoots{root, root});
  if (!chosen) return fail(chosen.error());
  std::string out;
  for (const ConfigIssue& issue : chosen->issues) out += "# " + issue.str() + "\n";
  if (chosen->fallback) out += "# a source has an error: the node uses the last config that applied\n";
  return out + config_yaml(without_secrets(chosen->config), true);
}

}  // namespace

std::vector<TarEntry> collect_support(const std::string& root, const std::string& dir, std::int64_t now,
                                      SupportSources& sources) {
  Bundle bundle(dir, now);
  const auto node_file = [&](const std::string& path) { return sources.read_tail(root + path, kSmallFile); };
  const auto report = [&](const std::string& name, const std::vector<std::string>& argv) {
    std::string command;
    for (const std::string& word : argv) command += (command.empty() ? "" : " ") + word;
    bundle.add(name, command, sources.run(argv));
  };

  const Result<std::string> boot = node_file(kBootReportPath);
  bundle.add("boot.json", kBootReportPath, boot);
  if (boot) bundle.add("boot-timeline.txt", "maculaos logs --boot", boot_timeline(*boot, kBootReportPath));
  bundle.add("config.yaml", "maculaos config show", config_shown(root));
  bundle.add("config-status.txt", kConfigStatusPath, node_file(kConfigStatusPath));
  report("boot-status.json", {"maculaos", "boot", "status", "--json"});
  report("version.txt", {"maculaos", "version"});
  report("rc-status.txt", {"rc-status", "--all"});
  report("dmesg.txt", {"maculaos", "logs", "kernel"});
  report("lsblk.txt", {"lsblk", "--output", "NAME,SIZE,TYPE,FSTYPE,LABEL,PARTLABEL,PARTUUID,MOUNTPOINTS"});
  for (const char* path : {"/proc/partitions", "/proc/self/mountinfo", "/proc/cmdline"}) {
    const std::string name = path == std::string_view("/proc/self/mountinfo") ? "mountinfo.txt"
                                                                                 : std::string(path + 6) + ".txt";
    bundle.add(name, path, sources.read_tail(path, kSmallFile));
  }
  bundle.add("os-release", "/etc/os-release", node_file("/etc/os-release"));
  for (const ServiceLog& log : service_logs()) {
    auto text = sources.read_tail(root + std::string(log.path), kBundleLogTail);
    // a service that has not written its log is no gap in the bundle
    if (text || text.error().code != ENOENT) bundle.add("logs/" + std::string(log.name) + ".log", std::string(log.path), text);
  }
  return bundle.finish();
}

}  // namespace macula
