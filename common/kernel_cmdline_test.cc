#include "common/kernel_cmdline.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("quoted values keep their spaces and lose their quotes") {
  CHECK(split_cmdline("a=\"b c\" d  \"e f\"\n") ==
        std::vector<std::string>{"a=b c", "d", "e f"});
  CHECK(split_cmdline("").empty());
  CHECK(split_cmdline("x=\"\"") == std::vector<std::string>{"x="});
}

TEST_CASE("parameters keep bare keys apart from empty values") {
  CHECK(parse_cmdline_params("quiet a= b=c=d") ==
        std::vector<CmdlineParam>{{"quiet", std::nullopt}, {"a", ""}, {"b", "c=d"}});
}

TEST_CASE("the last value of a repeated key wins, and a bare key has none") {
  const auto params = parse_cmdline_params("k=1 other k=2 bare");
  CHECK(cmdline_value(params, "k") == "2");
  CHECK_FALSE(cmdline_value(params, "bare"));
  CHECK_FALSE(cmdline_value(params, "missing"));
}

}  // namespace
}  // namespace macula
