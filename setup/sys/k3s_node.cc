#include "setup/sys/k3s_node.h"

#include <cstdio>
#include <thread>

#include "common/process.h"
#include "names/names.h"

namespace macula {

namespace {

// `rc-service k3s ACTION`. No timeout: run_command would kill what is left in the command's
// process group, and starting the service leaves supervise-daemon there.
Result<void> k3s_service(const char* action) {
  if (auto r = run_command({"/sbin/rc-service", "k3s", action}); !r) return fail(r.error());
  return {};
}

}  // namespace

Result<void> NodeK3s::service_status() { return k3s_service("status"); }

Result<void> NodeK3s::restart_service() { return k3s_service("restart"); }

Result<std::string> NodeK3s::api_readiness(std::chrono::seconds timeout) {
  // through the kubeconfig k3s writes, TLS verified
  return run_command({kK3sBinary, "kubectl", "get", "--raw=/readyz"}, "", timeout);
}

std::chrono::steady_clock::time_point NodeK3s::now() { return std::chrono::steady_clock::now(); }

void NodeK3s::sleep(std::chrono::seconds duration) { std::this_thread::sleep_for(duration); }

void NodeK3s::say(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

}  // namespace macula
