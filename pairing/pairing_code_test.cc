#include "pairing/pairing_code.h"

#include <catch2/catch.hpp>
#include <regex>
#include <set>

namespace macula {

TEST_CASE("a console code is three letters, a dash and three digits") {
  CHECK(format_console_code({0, 1, 2, 3, 4, 5}) == "ABC-345");
  CHECK(format_console_code({23, 22, 21, 9, 9, 9}) == "ZYX-999");
  std::set<std::string> drawn;
  for (int i = 0; i < 50; ++i) {
    auto code = draw_console_code();
    REQUIRE(code);
    CHECK(std::regex_match(*code, std::regex("[A-HJ-NP-Z]{3}-[0-9]{3}")));
    drawn.insert(*code);
  }
  CHECK(drawn.size() > 45);  // 24^3 * 10^3 codes: repeats in 50 draws are rare
}

TEST_CASE("a typed console code matches whatever its case, spaces and dash") {
  CHECK(console_code_matches("ABC-123", "ABC-123"));
  CHECK(console_code_matches("ABC-123", " abc123 "));
  CHECK(console_code_matches("ABC-123", "a-b-c 1 2 3"));
  CHECK_FALSE(console_code_matches("ABC-123", "ABC-124"));
  CHECK_FALSE(console_code_matches("ABC-123", "ABC-1234"));
  CHECK_FALSE(console_code_matches("ABC-123", ""));
}

TEST_CASE("a Portal pairing code is normalized or refused naming what was typed") {
  CHECK(portal_pairing_code("wxyz-7788").value() == "WXYZ7788");
  auto short_code = portal_pairing_code("ab1");
  REQUIRE_FALSE(short_code);
  CHECK(short_code.error().message ==
        "Portal pairing code 'ab1': expected the code the Portal shows, 4 to 32 letters and digits");
  CHECK_FALSE(portal_pairing_code("ABCD<script>"));
  CHECK_FALSE(portal_pairing_code(std::string(33, 'A')));
}

}  // namespace macula
