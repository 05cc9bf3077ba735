#include "pairing/connection_budget.h"

#include <catch2/catch.hpp>

namespace macula {

TEST_CASE("a connection may read so many times before its deadline, and no more") {
  using namespace std::chrono_literals;
  const auto start = ConnectionBudget::Clock::time_point{} + 1000s;
  ConnectionBudget budget(3, start + 20s);
  CHECK(budget.take_read(start));
  CHECK(budget.take_read(start + 1s));
  CHECK(budget.take_read(start + 2s));
  CHECK_FALSE(budget.take_read(start + 3s));
  ConnectionBudget slow(100, start + 20s);
  CHECK(slow.take_read(start + 19s));
  CHECK_FALSE(slow.take_read(start + 20s));
}

}  // namespace macula
