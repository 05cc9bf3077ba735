#include "common/args.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

constexpr OptionSpec kSpecs[] = {
    {"output", 'o', true},
    {"yes", 'y', false},
    {"ca", 0, true},
};

Result<ParsedArgs> parse(std::vector<std::string> args) { return parse_args("t", kSpecs, args); }

TEST_CASE("long, short and inline values, flags and positionals") {
  auto p = parse({"url", "-o", "out", "--ca=ca.pem", "--yes", "more"});
  REQUIRE(p);
  CHECK(p->values.at("output") == "out");
  CHECK(p->values.at("ca") == "ca.pem");
  CHECK(p->flags.contains("yes"));
  CHECK(p->positional == std::vector<std::string>{"url", "more"});
  CHECK(p->has("yes"));
  CHECK_FALSE(p->has("nothing"));
  CHECK(p->value_or("missing", "fallback") == "fallback");
}

TEST_CASE("a double dash ends the options and a lone dash is a positional") {
  auto p = parse({"--", "--yes", "-"});
  REQUIRE(p);
  CHECK(p->flags.empty());
  CHECK(p->positional == std::vector<std::string>{"--yes", "-"});
  auto dash = parse({"-"});
  REQUIRE(dash);
  CHECK(dash->positional == std::vector<std::string>{"-"});
}

TEST_CASE("a later value replaces an earlier one") {
  auto p = parse({"-o", "a", "--output", "b"});
  REQUIRE(p);
  CHECK(p->values.at("output") == "b");
}

TEST_CASE("errors are usage errors naming the offending option and where help is") {
  auto unknown = parse({"--frob"});
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message == "unknown option '--frob' (see t --help)");
  CHECK(unknown.error().kind == ErrorKind::usage);

  auto missing = parse({"-o"});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message == "option '-o' needs a value");
  CHECK(missing.error().kind == ErrorKind::usage);

  auto flag_value = parse({"--yes=no"});
  REQUIRE_FALSE(flag_value);
  CHECK(flag_value.error().message == "option '--yes' takes no value");
  CHECK(flag_value.error().kind == ErrorKind::usage);
}

}  // namespace
}  // namespace macula
