#include "pairing/pairing_page.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "pairing/welcome_screen.h"

namespace macula {

TEST_CASE("the page shows the node's facts escaped, and carries its token for the pair request") {
  const PageFacts facts{"macula-<b>", {"10.0.2.15", "fec0::1"}, "SHA256:abc", "https://portal.example.org", "0123abcd"};
  const std::string page = pairing_page(facts);
  CHECK(page.find("<title>Pair macula-&lt;b&gt;</title>") != std::string::npos);
  CHECK(page.find("<b>") == std::string::npos);
  CHECK(page.find("10.0.2.15, fec0::1") != std::string::npos);
  CHECK(page.find("const TOKEN = \"0123abcd\", TOKEN_HEADER = \"X-Pairing-Token\";") != std::string::npos);
  CHECK(html_escape("a&'\"") == "a&amp;&#39;&quot;");
}

TEST_CASE("the page asks to check that the Portal shows the node's identity, and shows a refusal apart from the status") {
  const std::string page = pairing_page({"macula-3456", {}, "SHA256:abc+/=", "https://portal.example.org", "0123abcd"});
  CHECK(page.find("check that it shows the identity on the node's screen, <span id=\"portal-fingerprint\">SHA256:abc+/=</span>") !=
        std::string::npos);
  CHECK(page.find("<div id=\"answer\" role=\"alert\"></div>") != std::string::npos);
}

TEST_CASE("the welcome screen sets the text beside the code, fits 80 columns and doubles agetty's escapes") {
  std::string qr;  // a 29-column code: its quiet zone, then blanks
  for (int i = 0; i < 15; ++i) qr += "\u2588\u2588" + std::string(27, ' ') + "\n";
  const WelcomeFacts facts{"http://macula-3456.local", {"10.0.2.15", "fec0::1"}, qr,
                           "SHA256:DioaDmJSyC9DV4BpY8qdxT9IBdcrP40TkwAxjZKci98", "ABC-123", "Waiting \\o/"};
  const std::string issue = welcome_issue(facts);
  const std::string pad = "\u2588\u2588" + std::string(27, ' ') + " ";
  CHECK(issue.starts_with("\n" + pad + "Pair this node: scan the code, or open\n" + pad + "http://macula-3456.local\n" + pad +
                          "or http://10.0.2.15\n" + pad + "or http://[fec0::1]\n"));
  CHECK(issue.find(pad + "SHA256:DioaDmJSyC9DV4BpY8qdxT9IBdcrP40TkwAxjZKci98\n") != std::string::npos);
  CHECK(issue.find(pad + "    ABC-123\n") != std::string::npos);
  CHECK(issue.ends_with("\n\n Waiting \\\\o/\n\n"));
  size_t lines = 0;
  for (size_t at = 0, end; (end = issue.find('\n', at)) != std::string::npos; at = end + 1, ++lines) {
    const std::string line = issue.substr(at, end - at);
    CHECK(std::count_if(line.begin(), line.end(), [](char c) { return (c & 0xC0) != 0x80; }) <= 80);
  }
  CHECK(lines == 1 + 15 + 3);  // 15 lines hold the code and the text; then the status
}

}  // namespace macula
