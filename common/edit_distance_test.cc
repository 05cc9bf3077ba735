#include "common/edit_distance.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("edit distance counts insertions, deletions, substitutions and neighbour swaps") {
  CHECK(edit_distance("hostname", "hostname") == 0);
  CHECK(edit_distance("hostnme", "hostname") == 1);
  CHECK(edit_distance("hostnamee", "hostname") == 1);
  CHECK(edit_distance("hostmame", "hostname") == 1);
  CHECK(edit_distance("hsotname", "hostname") == 1);
  CHECK(edit_distance("", "k3s") == 3);
  CHECK(edit_distance("ca", "abc") == 3);  // optimal string alignment: no edit of a swapped pair
}

TEST_CASE("the nearest word is offered only when it is near enough to be meant") {
  constexpr std::string_view words[] = {"hostname", "write_files", "run_cmd", "boot_cmd", "k3s"};
  CHECK(nearest_word("hostnme", words) == "hostname");
  CHECK(nearest_word("writefiles", words) == "write_files");
  CHECK(nearest_word("runcmd", words) == "run_cmd");
  CHECK(nearest_word("k3", words) == std::nullopt);  // one edit of three characters: a guess
  CHECK(nearest_word("timezone", words) == std::nullopt);
  constexpr std::string_view equals[] = {"boot_cmd", "root_cmd"};
  CHECK(nearest_word("foot_cmd", equals) == "boot_cmd");
}

}  // namespace
}  // namespace macula
