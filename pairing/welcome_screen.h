// The console's welcome screen while the node waits to be paired (tty1 and the serial console,
// above their login prompts): where the page is, its QR code, the console code, the status.
// Pure.
#pragma once

#include <string>
#include <vector>

namespace macula {

struct WelcomeFacts {
  std::string url;                     // http://HOSTNAME.local
  std::vector<std::string> addresses;  // the same page by address, for networks without mDNS
  std::string qr;                      // the url's code as text (qr_text)
  std::string fingerprint;             // the node identity's: the page shows it too
  std::string console_code;
  std::string status;
};

// The screen as an agetty issue file: its backslashes are escapes, so every one is doubled.
std::string welcome_issue(const WelcomeFacts& facts);

}  // namespace macula
