#include "init/console_question.h"

#include <catch2/catch.hpp>
#include <deque>

namespace macula {
namespace {

// Consoles that give, at each read, the next of their scripted results; one whose script is
// done has hung up ("" for ever, as a tty after a hangup).
struct FakeConsoles : ConsoleLines {
  std::vector<std::vector<std::deque<Result<std::string>>>> round_scripts;  // per open_and_ask
  std::vector<std::deque<Result<std::string>>> now;
  std::vector<std::size_t> reads, closed;
  int rounds = 0, pauses = 0, max_waits = 1000;

  std::size_t open_and_ask() override {
    if (rounds >= static_cast<int>(round_scripts.size())) return 0;
    now = round_scripts[rounds++];
    reads.assign(now.size(), 0);
    return now.size();
  }
  Result<std::vector<std::size_t>> wait() override {
    if (--max_waits < 0) return fail("spinning");
    std::vector<std::size_t> all;
    for (std::size_t i = 0; i < now.size(); ++i) all.push_back(i);  // a hung-up tty is always ready
    return all;
  }
  Result<std::string> read(std::size_t i) override {
    ++reads[i];
    if (now[i].empty()) return std::string();
    auto next = std::move(now[i].front());
    now[i].pop_front();
    return next;
  }
  void close(std::size_t i) override { closed.push_back(i); }
  void pause() override { ++pauses; }
};

TEST_CASE("a console that hangs up is read once and closed, and the answer comes from another") {
  FakeConsoles consoles;
  // tty1: a line after a while (EINTR first); ttyS0: hung up at once
  consoles.round_scripts = {{{fail("interrupted", EINTR), fail("interrupted", EINTR), std::string("s3cret\n")}, {}}};
  auto answer = wait_for_answer(consoles);
  REQUIRE(answer);
  CHECK(*answer == "s3cret");
  CHECK(consoles.reads[1] == 1);
  CHECK(consoles.closed == std::vector<std::size_t>{1});
  CHECK(consoles.pauses == 0);
}

TEST_CASE("when every console has hung up, they are opened again after a pause, not spun on") {
  FakeConsoles consoles;
  consoles.round_scripts = {{{}, {}}, {{}, {std::string("typed\r\n")}}};
  auto answer = wait_for_answer(consoles);
  REQUIRE(answer);
  CHECK(*answer == "typed");
  CHECK(consoles.pauses == 1);
  CHECK(consoles.rounds == 2);
}

TEST_CASE("a console that fails to read is closed too, and no console at all is an error") {
  FakeConsoles consoles;
  consoles.round_scripts = {{{fail("read", EIO)}, {std::string("x\n")}}};
  CHECK(wait_for_answer(consoles).value() == "x");
  FakeConsoles none;
  CHECK(wait_for_answer(none).error().message == "no console to ask on");
}

}  // namespace
}  // namespace macula
