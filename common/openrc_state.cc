#include "common/openrc_state.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "common/files.h"
#include "common/process.h"

namespace macula {

namespace {

constexpr const char* kOpenrcDir = "/run/openrc";

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

}  // namespace

bool boot_finished(const RunlevelFacts& facts) { return facts.softlevel == "default" && !facts.changing; }

ServiceRun service_run(bool service_started, bool daemon_running) {
  if (service_started) return ServiceRun::started;
  return daemon_running ? ServiceRun::outside_service : ServiceRun::stopped;
}

RunlevelFacts read_runlevel_facts() {
  const std::string dir = kOpenrcDir;
  RunlevelFacts facts;
  if (auto level = read_file(dir + "/softlevel", 256)) facts.softlevel = level->substr(0, level->find('\n'));
  facts.changing = exists(dir + "/rc.starting") || exists(dir + "/rc.stopping");
  return facts;
}

bool service_started(std::string_view name) {
  return run_command({"/sbin/rc-service", std::string(name), "status"}, "", std::chrono::seconds(10)).has_value();
}

bool executable_running(std::string_view path) {
  std::error_code ec;
  // /proc/PID/exe names the file run, its links resolved (k3s's is a link to its version's)
  const std::filesystem::path file = std::filesystem::weakly_canonical(path, ec);
  if (ec) return false;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string pid = entry.path().filename();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code link_ec;
    if (std::filesystem::read_symlink(entry.path() / "exe", link_ec) == file) return true;
  }
  return false;
}

}  // namespace macula
