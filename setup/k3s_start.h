// The k3s step's sequence: k3s (re)started under its service, then waited for until it
// answers (a server's API readiness, an agent's service), and checked to run under that
// service. Its effects go through K3sNode (the node's in setup/sys/k3s_node.h, a fake in the
// tests), so what happens when k3s never answers, answers late, or runs outside its
// supervisor is proved without a node.
#pragma once

#include <chrono>
#include <string>

#include "common/result.h"

namespace macula {

class K3sNode {
 public:
  virtual ~K3sNode() = default;
  // `rc-service k3s status` says started; why not, when it does not.
  virtual Result<void> service_status() = 0;
  // `rc-service k3s restart`.
  virtual Result<void> restart_service() = 0;
  // What k3s's own client gets from the API's readiness check (/readyz), within timeout.
  virtual Result<std::string> api_readiness(std::chrono::seconds timeout) = 0;
  virtual std::chrono::steady_clock::time_point now() = 0;
  virtual void sleep(std::chrono::seconds duration) = 0;
  // One line of progress.
  virtual void say(const std::string& line) = 0;
};

struct K3sRole {
  std::string mode;        // server or agent
  std::string server_url;  // an agent's server
};

// Between two readiness checks; a check takes at most kReadinessCheckLimit.
inline constexpr std::chrono::seconds kReadinessPoll{3};
inline constexpr std::chrono::seconds kReadinessCheckLimit{30};

// Starts k3s, or restarts it when a new binary replaced the running one (a running k3s whose
// binary did not change is left as it is).
Result<void> start_k3s(K3sNode& node, bool replaced);

// Until k3s answers, for at most wait; the error names the last answer.
Result<void> wait_for_k3s(K3sNode& node, const K3sRole& role, std::chrono::seconds wait);

// k3s answers within wait, and its service is started (answering alone is not enough: a k3s
// started by hand outside its supervisor dies for good).
Result<void> k3s_answers_under_its_service(K3sNode& node, const K3sRole& role, std::chrono::seconds wait);

}  // namespace macula
