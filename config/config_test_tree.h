// For the config unit tests: a YAML text parsed into a tree, the test failing if it does not parse.
#pragma once

#include <catch2/catch.hpp>
#include <string_view>

#include "config/config_tree.h"

namespace macula {

inline ConfigNode parsed(std::string_view yaml, std::string_view source = "c.yaml") {
  auto tree = parse_config(yaml, source);
  REQUIRE(tree);
  return *tree;
}

}  // namespace macula
