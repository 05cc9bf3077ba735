#include "logs/log_rotation.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

using Kind = RotationAction::Kind;
constexpr RotationPolicy kSmall{100, 2, 1000};

TEST_CASE("log file names: NAME.log, wtmp and btmp are logs, NAME.N their copies, nothing else is") {
  CHECK(log_file_name("k3s.log") == std::pair{std::string("k3s.log"), 0});
  CHECK(log_file_name("k3s.log.2") == std::pair{std::string("k3s.log"), 2});
  CHECK(log_file_name("btmp.1") == std::pair{std::string("btmp"), 1});
  CHECK(log_file_name("wtmp") == std::pair{std::string("wtmp"), 0});
  CHECK_FALSE(log_file_name("lastlog"));  // sparse, indexed by uid: never rotated
  CHECK_FALSE(log_file_name("faillog"));
  CHECK_FALSE(log_file_name(".log"));
  CHECK_FALSE(log_file_name("k3s.log.gz"));
  CHECK_FALSE(log_file_name("k3s.log.0"));
  CHECK(log_copy_path("/var/log/k3s.log", 0) == "/var/log/k3s.log");
  CHECK(log_copy_path("/var/log/k3s.log", 2) == "/var/log/k3s.log.2");
}

TEST_CASE("a log under the size is left, one at or over it is rotated") {
  CHECK(plan_rotation({{"/l/a.log", 0, 99}}, kSmall).empty());
  CHECK(plan_rotation({{"/l/a.log", 0, 100}, {"/l/b.log", 0, 5}}, kSmall) ==
        std::vector<RotationAction>{{Kind::rotate, "/l/a.log"}});
}

TEST_CASE("copies beyond those kept are removed first") {
  CHECK(plan_rotation({{"/l/a.log", 0, 150}, {"/l/a.log", 3, 10}, {"/l/a.log", 2, 10}}, kSmall) ==
        std::vector<RotationAction>{{Kind::remove, "/l/a.log.3"}, {Kind::rotate, "/l/a.log"}});
}

TEST_CASE("over the budget the oldest copies go first, then the largest logs are emptied") {
  const RotationPolicy policy{100, 2, 300};
  // after rotating a.log (150): a.log.1 150, a.log.2 120 (was .1), b.log.1 90, b.log 80, c.log 60
  const std::vector<LogFile> files{{"/l/a.log", 0, 150}, {"/l/a.log", 1, 120}, {"/l/a.log", 2, 110},
                                   {"/l/b.log", 0, 80},  {"/l/b.log", 1, 90},  {"/l/c.log", 0, 60}};
  CHECK(plan_rotation(files, policy) == std::vector<RotationAction>{{Kind::rotate, "/l/a.log"},
                                                                    {Kind::remove, "/l/a.log.2"},
                                                                    {Kind::remove, "/l/a.log.1"}});
  // logs alone over the budget: emptied, the largest first
  CHECK(plan_rotation({{"/l/a.log", 0, 90}, {"/l/b.log", 0, 95}, {"/l/c.log", 0, 99}, {"/l/d.log", 0, 98}}, policy) ==
        std::vector<RotationAction>{{Kind::truncate, "/l/c.log"}});
}

TEST_CASE("after a pass the directory is within its budget whatever it held") {
  const RotationPolicy policy{100, 2, 250};
  std::vector<LogFile> files{{"/l/a.log", 0, 5000}, {"/l/a.log", 1, 100}, {"/l/a.log", 2, 100},
                             {"/l/b.log", 0, 99},   {"/l/b.log", 1, 3000}, {"/l/c.log", 0, 40}};
  // the directory as the actions leave it
  for (const RotationAction& action : plan_rotation(files, policy)) {
    std::vector<LogFile> next;
    for (LogFile f : files) {
      const bool of = f.log == action.path || log_copy_path(f.log, f.generation) == action.path;
      if (action.kind == Kind::rotate && f.log == action.path) {
        if (f.generation == 0) next.push_back({f.log, 1, f.size}), f.size = 0;
        else ++f.generation;
        if (f.generation > policy.keep) continue;
      } else if (action.kind == Kind::remove && of && log_copy_path(f.log, f.generation) == action.path) {
        continue;
      } else if (action.kind == Kind::truncate && of && f.generation == 0) {
        f.size = 0;
      }
      next.push_back(f);
    }
    files = next;
  }
  std::uint64_t total = 0;
  for (const LogFile& f : files) total += f.size;
  CHECK(total <= policy.budget);
  for (const LogFile& f : files) CHECK(f.generation <= policy.keep);
}

}  // namespace
}  // namespace macula
