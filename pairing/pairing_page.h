// The pairing page a phone opens from the console's QR code: the node's name, addresses and
// identity fingerprint, the steps, the two codes and the live status. One self-contained
// document (no external assets: the node may have no internet yet), for screens from a phone's
// up. Pure.
#pragma once

#include <string>
#include <vector>

namespace macula {

// The header a state-changing request must carry with the page's token: a cross-site form
// cannot send it, and a cross-site script cannot without the CORS preflight nobody answers.
inline constexpr const char* kPageTokenHeader = "X-Pairing-Token";

struct PageFacts {
  std::string hostname;
  std::vector<std::string> addresses;
  std::string fingerprint;
  std::string portal_url;
  std::string page_token;  // random per run of the service
};

std::string html_escape(std::string_view text);

std::string pairing_page(const PageFacts& facts);

}  // namespace macula
