#include "pairing/pairing_page.h"

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

TEST_CASE("the welcome screen names the page both ways and doubles agetty's escapes") {
  const WelcomeFacts facts{"http://macula-3456.local", {"10.0.2.15", "fec0::1"}, "QR\n", "SHA256:abc", "ABC-123",
                           "Waiting \\o/"};
  const std::string issue = welcome_issue(facts);
  CHECK(issue.find("open http://macula-3456.local\n (or http://10.0.2.15, http://[fec0::1])\n on a phone") != std::string::npos);
  CHECK(issue.find("identity\n SHA256:abc\n and type this console code there:\n\n     ABC-123\n") != std::string::npos);
  CHECK(welcome_issue({"http://x.local", {}, "", "", "", ""}).find("x.local\n on a phone") != std::string::npos);
  CHECK(issue.find("Waiting \\\\o/") != std::string::npos);
}

}  // namespace macula
