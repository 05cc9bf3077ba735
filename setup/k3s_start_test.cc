#include "setup/k3s_start.h"

#include <catch2/catch.hpp>

#include <deque>
#include <vector>

namespace macula {
namespace {

const K3sRole kServer{"server", ""};
const K3sRole kAgent{"agent", "https://10.0.0.1:6443"};
using std::chrono::seconds;

// A node whose clock moves only as the step sleeps or a check takes its time: its k3s service
// starts by the given answers, and every call is logged in `calls`.
class FakeK3sNode final : public K3sNode {
 public:
  std::deque<bool> statuses;           // each service_status(), in turn; the last one stays
  std::deque<std::string> readiness;   // each api_readiness(): "!" + reason fails
  seconds check_takes{0};              // what each readiness check costs the clock
  bool restart_fails = false;
  std::vector<std::string> calls;
  std::vector<std::string> said;
  std::chrono::steady_clock::time_point clock{};

  Result<void> service_status() override {
    calls.push_back("status");
    const bool started = next(statuses);
    if (started) return {};
    return fail("rc-service k3s status: stopped");
  }
  Result<void> restart_service() override {
    calls.push_back("restart");
    if (restart_fails) return fail("rc-service k3s restart exited 1");
    return {};
  }
  Result<std::string> api_readiness(seconds timeout) override {
    calls.push_back("readyz " + std::to_string(timeout.count()));
    clock += std::min(check_takes, timeout);
    const std::string answer = next(readiness);
    if (answer.starts_with("!")) return fail(answer.substr(1));
    return answer;
  }
  std::chrono::steady_clock::time_point now() override { return clock; }
  void sleep(seconds duration) override {
    calls.push_back("sleep " + std::to_string(duration.count()));
    clock += duration;
  }
  void say(const std::string& line) override { said.push_back(line); }

 private:
  template <typename T>
  static T next(std::deque<T>& answers) {
    REQUIRE_FALSE(answers.empty());
    T value = answers.front();
    if (answers.size() > 1) answers.pop_front();
    return value;
  }
};

TEST_CASE("k3s start: a running k3s with the same binary is left running, a new binary restarts it") {
  FakeK3sNode same;
  same.statuses = {true};
  REQUIRE(start_k3s(same, false));
  CHECK(same.calls == std::vector<std::string>{"status"});

  FakeK3sNode replaced;
  replaced.statuses = {true};
  REQUIRE(start_k3s(replaced, true));
  CHECK(replaced.calls == std::vector<std::string>{"status", "restart"});
  CHECK(replaced.said == std::vector<std::string>{"setup: restarting the k3s service (/var/log/k3s.log)"});
}

TEST_CASE("k3s start: a stopped (or inactive) service is restarted, and its failure is said") {
  FakeK3sNode node;
  node.statuses = {false};
  node.restart_fails = true;
  auto r = start_k3s(node, false);
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "start the k3s service: rc-service k3s restart exited 1");
  CHECK(node.said == std::vector<std::string>{"setup: starting the k3s service (/var/log/k3s.log)"});
}

TEST_CASE("k3s wait: a server is ready when its API's readiness check says ok") {
  FakeK3sNode node;
  node.readiness = {"!The connection to the server 127.0.0.1:6443 was refused", "[-]etcd failed", "ok"};
  node.statuses = {true};
  REQUIRE(k3s_answers_under_its_service(node, kServer, seconds(600)));
  CHECK(node.calls == std::vector<std::string>{"readyz 30", "sleep 3", "readyz 30", "sleep 3", "readyz 30", "status"});
  CHECK(node.said.back() == "setup: k3s answers: its API is ready");
}

TEST_CASE("k3s wait: a server that never answers fails at the deadline, naming its last answer") {
  FakeK3sNode node;
  node.readiness = {"!The connection to the server 127.0.0.1:6443 was refused"};
  node.check_takes = seconds(1);
  auto r = wait_for_k3s(node, kServer, seconds(45));
  REQUIRE_FALSE(r);
  CHECK(r.error().message ==
        "k3s did not answer within 45 s (last: The connection to the server 127.0.0.1:6443 was refused): see "
        "/var/log/k3s.log");
  CHECK(node.now() - std::chrono::steady_clock::time_point{} < seconds(45 + 3 + 1));  // not waiting past it
  CHECK(std::count(node.said.begin(), node.said.end(), "setup: waiting for k3s (server)") == 2);  // every 10th try
}

TEST_CASE("k3s wait: a readiness check that hangs is cut at what is left of the wait") {
  FakeK3sNode node;
  node.readiness = {"!timed out"};
  node.check_takes = seconds(30);
  auto r = wait_for_k3s(node, kServer, seconds(45));
  REQUIRE_FALSE(r);
  // 30 s, a 3 s pause, then only the 12 s left: the health check's 60 s are never overrun
  CHECK(node.calls == std::vector<std::string>{"readyz 30", "sleep 3", "readyz 12"});
}

TEST_CASE("k3s wait: an agent is running once its service is, and names the server it joins") {
  FakeK3sNode node;
  node.statuses = {false, false, true};
  REQUIRE(k3s_answers_under_its_service(node, kAgent, seconds(600)));
  CHECK(node.calls == std::vector<std::string>{"status", "sleep 3", "status", "sleep 3", "status", "status"});
  CHECK(node.said.back() == "setup: k3s agent running; it joins https://10.0.0.1:6443");
}

TEST_CASE("k3s wait: an agent whose service never starts fails with the service's reason") {
  FakeK3sNode node;
  node.statuses = {false};
  auto r = wait_for_k3s(node, kAgent, seconds(9));
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "k3s did not answer within 9 s (last: rc-service k3s status: stopped): see /var/log/k3s.log");
}

TEST_CASE("k3s wait: a k3s that answers outside its service is not taken as set up") {
  FakeK3sNode node;
  node.readiness = {"ok"};
  node.statuses = {false};
  auto r = k3s_answers_under_its_service(node, kServer, seconds(600));
  REQUIRE_FALSE(r);
  CHECK(r.error().message.starts_with("k3s answers but its service is not started (it runs outside its supervisor)"));
}

}  // namespace
}  // namespace macula
