#include "common/json.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("strings are escaped") {
  CHECK(json_quote("plain") == "\"plain\"");
  CHECK(json_quote("a\"b\\c\nd\te\x01") == "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
}

TEST_CASE("objects keep field order, nest and indent") {
  JsonObject inner;
  inner.add("ms", std::int64_t{12});
  JsonObject o;
  const std::vector<std::string> list{"x", "y\"z"};
  o.add("mode", "live").add("ok", true).add("inner", inner).add("list", list);
  CHECK(o.str() ==
        "{\n"
        "  \"mode\": \"live\",\n"
        "  \"ok\": true,\n"
        "  \"inner\": {\n"
        "    \"ms\": 12\n"
        "  },\n"
        "  \"list\": [\"x\", \"y\\\"z\"]\n"
        "}");
  CHECK(JsonObject().str() == "{}");
}

}  // namespace
}  // namespace macula
