#include "ab/grub_env.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("an env block round-trips, in order, escapes included, padded to 1024 bytes") {
  const GrubEnv env{{"b", "2"}, {"a", "x\\y\nz"}, {"empty", ""}};
  auto block = format_grub_env(env);
  REQUIRE(block);
  CHECK(block->size() == kGrubEnvSize);
  CHECK_THAT(*block, Catch::StartsWith("# GRUB Environment Block\nb=2\na=x\\\\y\\nz\nempty=\n#"));
  auto back = parse_grub_env(*block);
  REQUIRE(back);
  CHECK(*back == env);
  CHECK(lookup(*back, "a") == "x\\y\nz");
  CHECK_FALSE(lookup(*back, "missing"));
}

TEST_CASE("what grub-editenv writes parses") {
  std::string block = "# GRUB Environment Block\nsaved_entry=0\n";
  block.resize(kGrubEnvSize, '#');
  auto env = parse_grub_env(block);
  REQUIRE(env);
  CHECK(lookup(*env, "saved_entry") == "0");
}

TEST_CASE("wrong size, missing header and oversize content are refused") {
  CHECK_FALSE(parse_grub_env("# GRUB Environment Block\n"));
  std::string no_header(kGrubEnvSize, '#');
  CHECK_FALSE(parse_grub_env(no_header));
  CHECK_FALSE(format_grub_env({{"big", std::string(1100, 'x')}}));
}

}  // namespace
}  // namespace macula
