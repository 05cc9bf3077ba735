#include "setup/k3s_start.h"

#include <algorithm>

#include "names/names.h"

namespace macula {

Result<void> start_k3s(K3sNode& node, bool replaced) {
  const bool running = node.service_status().has_value();
  if (running && !replaced) return {};
  node.say(std::string("setup: ") + (running ? "restarting" : "starting") + " the k3s service (" + kK3sLogPath + ")");
  // restart, not start: at boot, before k3s was installed, the service went inactive, and
  // OpenRC's start leaves an inactive service as it is.
  if (auto r = node.restart_service(); !r) return fail("start the k3s service", r.error());
  return {};
}

Result<void> wait_for_k3s(K3sNode& node, const K3sRole& role, std::chrono::seconds wait) {
  const auto deadline = node.now() + wait;
  std::string last;
  for (int attempt = 0;; ++attempt) {
    if (role.mode == "agent") {
      auto status = node.service_status();
      if (status) return node.say("setup: k3s agent running; it joins " + role.server_url), Result<void>();
      last = status.error().message;
    } else {
      const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - node.now());
      auto ready = node.api_readiness(std::clamp(left, std::chrono::seconds(1), kReadinessCheckLimit));
      if (ready && ready->starts_with("ok")) return node.say("setup: k3s answers: its API is ready"), Result<void>();
      last = ready ? "answered '" + *ready + "'" : ready.error().message;
    }
    if (node.now() >= deadline)
      return fail("k3s did not answer within " + std::to_string(wait.count()) + " s (last: " + last + "): see " +
                  kK3sLogPath);
    if (attempt % 10 == 0) node.say("setup: waiting for k3s (" + role.mode + ")");
    node.sleep(kReadinessPoll);
  }
}

Result<void> k3s_answers_under_its_service(K3sNode& node, const K3sRole& role, std::chrono::seconds wait) {
  if (auto r = wait_for_k3s(node, role, wait); !r) return r;
  if (!node.service_status())
    return fail("k3s answers but its service is not started (it runs outside its supervisor): "
                "sudo rc-service k3s restart, then see " + std::string(kK3sLogPath));
  return {};
}

}  // namespace macula
