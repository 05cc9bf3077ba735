#include "common/process.h"

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "common/files.h"

namespace macula {
namespace {

using namespace std::chrono_literals;

TEST_CASE("a command's output, and its failure with the last line it wrote to stderr") {
  CHECK(run_command({"sh", "-c", "cat; echo out"}, "in\n").value() == "in\nout\n");
  auto failed = run_command({"sh", "-c", "echo first >&2; echo why >&2; exit 3"});
  REQUIRE_FALSE(failed);
  CHECK_THAT(failed.error().message, Catch::EndsWith("failed: why (exit 3)"));
}

TEST_CASE("a command past its time is killed with its whole process group, and the caller goes on") {
  const std::string pid_file =
      (std::filesystem::temp_directory_path() / ("macula-process-" + std::to_string(::getpid()))).string();
  const auto start = std::chrono::steady_clock::now();
  // The background sleep keeps stdout open: without the group kill, reading would never end.
  auto r = run_command({"sh", "-c", "sleep 60 & echo $! > " + pid_file + "; sleep 60"}, "", 500ms);
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().message, Catch::Contains("did not finish within") && Catch::Contains("killed"));
  CHECK(took < 10s);
  // The background sleep dies: gone, or a zombie its new parent has not reaped yet. SIGKILL
  // is delivered when the process next runs, which on a loaded machine takes a moment: poll.
  const std::string pid_text = read_file(pid_file).value_or("");
  const std::string stat = "/proc/" + pid_text.substr(0, pid_text.find('\n')) + "/stat";
  auto dead = [&] {
    const auto proc = read_file(stat);
    return !proc || proc->substr(proc->rfind(')') + 2, 1) == "Z";
  };
  for (int i = 0; i < 100 && !dead(); ++i) std::this_thread::sleep_for(50ms);
  CHECK(dead());
  std::filesystem::remove(pid_file);
}

TEST_CASE("a command that leaves a daemon holding its output ends when it exits, and leave_running keeps the daemon") {
  const auto start = std::chrono::steady_clock::now();
  RunOptions options;
  options.timeout = 60s;
  options.leave_running = true;
  auto run = run_process({"sh", "-c", "sleep 600 & echo $!"}, options);
  CHECK(std::chrono::steady_clock::now() - start < 30s);
  REQUIRE(run);
  CHECK(run->ok());
  const pid_t daemon = std::stoi(run->out);
  CHECK(::kill(daemon, 0) == 0);
  ::kill(daemon, SIGKILL);
  // without a timeout too: the run ends, the daemon (not in a group of its own) runs on
  auto untimed = run_process({"sh", "-c", "sleep 600 & echo $!; echo late >&2"});
  REQUIRE(untimed);
  CHECK(untimed->ok());
  CHECK(untimed->err == "late\n");
  ::kill(std::stoi(untimed->out), SIGKILL);
}

TEST_CASE("how a command ended: its exit code, or the signal that ended it") {
  auto exited = run_process({"sh", "-c", "echo out; echo err >&2; exit 7"});
  REQUIRE(exited);
  CHECK((exited->out == "out\n" && exited->err == "err\n"));
  CHECK((exited->exit_code == 7 && exited->signal == 0 && !exited->ok()));
  auto killed = run_process({"sh", "-c", "kill -9 $$"});
  REQUIRE(killed);
  CHECK((killed->signal == 9 && !killed->ok()));
}

TEST_CASE("input for a command that exits without reading it is no SIGPIPE for the caller") {
  const std::string input(1 << 20, 'x');  // more than the pipe holds: the write meets the closed end
  for (int i = 0; i < 3; ++i) {
    auto run = run_process({"sh", "-c", "exit 4"}, [&] {
      RunOptions options;
      options.input = input;
      return options;
    }());
    REQUIRE(run);
    CHECK(run->exit_code == 4);
  }
}

TEST_CASE("a command within its time returns as usual") {
  CHECK(run_command({"true"}, "", 5s).has_value());
}

}  // namespace
}  // namespace macula
