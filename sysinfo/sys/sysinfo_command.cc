#include "sysinfo/sys/sysinfo_command.h"

#include <sys/statvfs.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>

#include "ab/sys/boot_context.h"
#include "common/args.h"
#include "common/boot_report_facts.h"
#include "common/files.h"
#include "common/openrc_state.h"
#include "common/sys/interface_addresses.h"
#include "common/process.h"
#include "names/names.h"
#include "sysinfo/sysinfo_report.h"
#include "upgrade/auto_check.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos sysinfo [--json]

The node at a glance: OS and version, how it booted (live, or the installed slot), kernel,
uptime, memory, disk (of /var), addresses, mesh roles and realm, and k3s (installed, and its
service). Shown at interactive logins; any user may run it. --json prints the same facts as a
JSON object (docs/json-output.md).
)";

constexpr OptionSpec kOptions[] = {{"json", 0, false}};

// /etc/maculaos/mesh.env (readable by all, unlike the node config): MACULA_REALM and the
// MACULA_ROLE_*=true of the roles that are on.
void read_mesh(SystemFacts& facts) {
  auto env = read_file(kMeshEnvPath);
  if (!env) return;
  facts.realm = env_value(*env, "MACULA_REALM");
  for (const char* role : {"PEER", "BOOTSTRAP", "GATEWAY"})
    if (env_value(*env, std::string("MACULA_ROLE_") + role) == "true") {
      std::string name = role;
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      facts.mesh_roles.push_back(name);
    }
}

// "running (k3s version ...)": its version line and whether its service runs it.
std::string k3s_state() {
  if (::access(kK3sBinary, X_OK) != 0) return "not installed (sudo maculaos setup)";
  auto version = run_command({kK3sBinary, "--version"}, "", std::chrono::seconds(10));
  const std::string line = " (" + (version ? version->substr(0, version->find('\n')) : "version unknown") + ")";
  switch (service_run(service_started("k3s"), executable_running(kK3sBinary))) {
    case ServiceRun::started: return "running" + line;
    case ServiceRun::outside_service: return "running outside its service: nothing restarts it (sudo rc-service k3s restart)" + line;
    case ServiceRun::stopped: break;
  }
  return "not running" + line;
}

Result<int> run_sysinfo(std::span<const std::string> argv) {
  auto args = parse_args("maculaos sysinfo", kOptions, argv);
  if (!args) return fail(args.error());
  if (!args->positional.empty()) return usage_error("unexpected '" + args->positional[0] + "' (see maculaos sysinfo --help)");
  SystemFacts facts;
  if (auto text = read_file("/etc/os-release")) facts.os = env_value(*text, "PRETTY_NAME");
  const BootReportFacts boot = read_boot_report();
  facts.boot_mode = boot.mode;
  facts.slot = boot.slot;
  struct utsname names {};
  if (::uname(&names) == 0) {
    facts.kernel = names.release;
    facts.hostname = names.nodename;
  }
  struct sysinfo system {};
  if (::sysinfo(&system) == 0) {
    facts.uptime = std::chrono::seconds(system.uptime);
    facts.memory_total = static_cast<std::uint64_t>(system.totalram) * system.mem_unit;
  }
  if (auto meminfo = read_file("/proc/meminfo")) {
    // MemAvailable counts reclaimable caches, which sysinfo's freeram does not.
    facts.memory_available = meminfo_bytes(*meminfo, "MemAvailable");
  }
  struct statvfs disk {};
  if (::statvfs("/var", &disk) == 0) {
    facts.disk_total = static_cast<std::uint64_t>(disk.f_blocks) * disk.f_frsize;
    facts.disk_available = static_cast<std::uint64_t>(disk.f_bavail) * disk.f_frsize;
  }
  if (auto addresses = interface_addresses()) facts.addresses = address_texts(*addresses);
  read_mesh(facts);
  facts.k3s = k3s_state();
  if (auto kept = read_file(kAvailableReleasePath))
    if (auto check = parse_kept_check(*kept, kAvailableReleasePath)) {
      auto view = read_boot_view();
      facts.update = available_line(check->check, running_version(view ? &*view : nullptr));
    }
  std::fputs((args->has("json") ? sysinfo_json : sysinfo_text)(facts).c_str(), stdout);
  return 0;
}

}  // namespace

Applet sysinfo_applet() {
  return {.name = "sysinfo", .summary = "the node at a glance: OS, slot, memory, address, mesh, k3s", .usage = kUsage,
          .run = run_sysinfo, .options = kOptions};
}

}  // namespace macula
