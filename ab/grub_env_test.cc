#include "ab/grub_env.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("an env block round-trips, in order, escapes included, padded to 1024 bytes") {
  const GrubEnv env{{"b", "2"}, {"a", "x\\y\nz"}, {"empty", ""}};
  auto block = format_grub_env(env);
  REQUIRE(block);
  CHECK(block->size() == kGrubEnvSize);
  // GRUB's save_env escapes a backslash and a newline with a backslash before the byte itself.
  CHECK_THAT(*block, Catch::StartsWith("# GRUB Environment Block\nb=2\na=x\\\\y\\\nz\nempty=\n#"));
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

TEST_CASE("text that would reach past the first sector is refused") {
  const std::string header = "# GRUB Environment Block\n";
  const size_t room = kGrubEnvTextMax - header.size() - 3;  // "k=" and the newline
  CHECK(format_grub_env({{"k", std::string(room, 'x')}}));
  CHECK_FALSE(format_grub_env({{"k", std::string(room + 1, 'x')}}));
}

// A block with this text after the header, padded as GRUB pads.
std::string block_of(const std::string& text) {
  std::string b = "# GRUB Environment Block\n" + text;
  b.resize(kGrubEnvSize, '#');
  return b;
}

TEST_CASE("GRUB's rules: a '#' line is skipped and parsing goes on: the last assignment wins") {
  auto env = parse_grub_env(block_of("a=1\n# a comment\nb=2\na=3\n"));
  REQUIRE(env);
  CHECK(lookup(*env, "a") == "3");
  CHECK(lookup(*env, "b") == "2");
  // Padding, then text again (what a torn write can leave): GRUB reads past the padding too.
  auto torn = parse_grub_env(block_of("a=1\n#####tail\nc=4\n"));
  CHECK(lookup(*torn, "c") == "4");
}

TEST_CASE("GRUB's rules: a value without its newline, or a line without '=', ends the parse") {
  std::string cut = block_of("a=1\n");
  cut.replace(cut.size() - 6, 6, "\nb=222");  // no newline before the end of the block
  auto env = parse_grub_env(cut);
  REQUIRE(env);
  CHECK(lookup(*env, "a") == "1");
  CHECK_FALSE(lookup(*env, "b"));
  // A line with no '=' takes the next line's '=' (its name holds a newline), as GRUB does.
  auto joined = parse_grub_env(block_of("a=1\nnoequals\nb=2\n"));
  REQUIRE(joined);
  CHECK_FALSE(lookup(*joined, "b"));
  CHECK(lookup(*joined, "noequals\nb") == "2");
}

}  // namespace
}  // namespace macula
