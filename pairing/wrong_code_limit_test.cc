#include "pairing/wrong_code_limit.h"

#include <catch2/catch.hpp>

namespace macula {

using namespace std::chrono_literals;

namespace {

const HoldPolicy kPerAddress{5, 60s, 3600s, 3600s};
const HoldPolicy kOverall{20, 30s, 900s, 3600s};
const auto kStart = WrongCodeLimit::Clock::time_point{} + 100000s;

}  // namespace

TEST_CASE("five wrong codes from one address hold that address, not another, and each one after doubles the hold") {
  WrongCodeLimit limit(kPerAddress, kOverall, 256, 10);
  for (int i = 0; i < 4; ++i) {
    CHECK(limit.wait_before_attempt("10.0.2.2", kStart) == 0s);
    limit.record_wrong_code("10.0.2.2", kStart);
  }
  CHECK(limit.wait_before_attempt("10.0.2.2", kStart) == 0s);
  limit.record_wrong_code("10.0.2.2", kStart);
  CHECK(limit.wait_before_attempt("10.0.2.2", kStart) == 60s);
  CHECK(limit.wait_before_attempt("10.0.2.2", kStart + 59500ms) == 1s);
  CHECK(limit.wait_before_attempt("10.0.2.3", kStart) == 0s);  // another host on the LAN may still pair
  limit.record_wrong_code("10.0.2.2", kStart + 60s);
  CHECK(limit.wait_before_attempt("10.0.2.2", kStart + 60s) == 120s);
  limit.record_wrong_code("10.0.2.2", kStart + 180s);
  CHECK(limit.wait_before_attempt("10.0.2.2", kStart + 180s) == 240s);
  for (int i = 0; i < 20; ++i) limit.record_wrong_code("10.0.2.2", kStart + 500s);
  CHECK(limit.wait_before_attempt("10.0.2.2", kStart + 500s) == 3600s);  // the ceiling
  // an hour after the hold ended without a wrong code, the address starts over
  CHECK(limit.wait_before_attempt("10.0.2.2", kStart + 500s + 7200s) == 0s);
  limit.record_wrong_code("10.0.2.2", kStart + 500s + 7200s);
  CHECK(limit.wait_before_attempt("10.0.2.2", kStart + 500s + 7200s) == 0s);
}

TEST_CASE("wrong codes from many addresses hold every address, with a doubling hold") {
  WrongCodeLimit limit(kPerAddress, kOverall, 256, 10);
  for (int i = 0; i < 19; ++i) limit.record_wrong_code("10.0.3." + std::to_string(i), kStart);
  CHECK(limit.wait_before_attempt("10.0.2.9", kStart) == 0s);
  limit.record_wrong_code("10.0.3.19", kStart);
  CHECK(limit.wait_before_attempt("10.0.2.9", kStart) == 30s);
  limit.record_wrong_code("10.0.3.20", kStart + 30s);
  CHECK(limit.wait_before_attempt("10.0.2.9", kStart + 30s) == 60s);
}

TEST_CASE("every tenth wrong code overall asks for a new console code") {
  WrongCodeLimit limit(kPerAddress, kOverall, 256, 10);
  int redraws = 0;
  for (int i = 0; i < 35; ++i) redraws += limit.record_wrong_code("fd00::" + std::to_string(i % 7), kStart + i * 1s);
  CHECK(redraws == 3);
}

TEST_CASE("the table of addresses stays bounded, and an address dropped from it is still under the overall hold") {
  WrongCodeLimit limit(kPerAddress, kOverall, 64, 10);
  for (int i = 0; i < 5; ++i) limit.record_wrong_code("10.0.2.2", kStart + 10s);
  for (int i = 0; i < 10000; ++i) {
    limit.record_wrong_code("fd00::" + std::to_string(i), kStart + 20s);
    CHECK(limit.addresses_kept() <= 64);
  }
  CHECK(limit.addresses_kept() == 64);
  // the oldest record was dropped to make room: the overall hold still stands for it
  CHECK(limit.wait_before_attempt("10.0.2.2", kStart + 20s) == 900s);
}

}  // namespace macula
