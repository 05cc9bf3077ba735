#include "persistence/persistence_choice.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("persistence is off unless the command line or the media config turns it on") {
  CHECK_FALSE(choose_persistence(std::nullopt, "", {}));
  CHECK_FALSE(choose_persistence(false, "", {.persistence = true, .persistence_device = "", .persistence_size = ""}));  // macula.persistence=0 wins
  auto from_cmdline = choose_persistence(true, "", {});
  REQUIRE(from_cmdline);
  CHECK(from_cmdline->device == "auto");
  CHECK(from_cmdline->size.empty());
  auto from_config = choose_persistence(std::nullopt, "", {.persistence = true, .persistence_device = "", .persistence_size = "2G"});
  REQUIRE(from_config);
  CHECK(from_config->device == "auto");
  CHECK(from_config->size == "2G");
}

TEST_CASE("the command line's device wins over the config's") {
  const LiveSettings config{.persistence = true, .persistence_device = "LABEL=KEEP", .persistence_size = "50%"};
  CHECK(choose_persistence(std::nullopt, "", config)->device == "LABEL=KEEP");
  auto chosen = choose_persistence(true, "/dev/sdb1", config);
  CHECK(chosen->device == "/dev/sdb1");
  CHECK(chosen->size == "50%");
}

}  // namespace
}  // namespace macula
