#include "pairing/welcome_screen.h"

namespace macula {

std::string welcome_issue(const WelcomeFacts& facts) {
  // lines that fit 80 columns but for long addresses
  std::string by_address;
  for (const std::string& address : facts.addresses)
    by_address += (by_address.empty() ? " (or http://" : ", http://") + (address.find(':') != std::string::npos ? "[" + address + "]" : address);
  if (!by_address.empty()) by_address += ")\n";
  std::string screen = "\n Pair this node: scan the code, or open " + facts.url + "\n" + by_address +
                       " on a phone or laptop on this network, check that it shows the identity\n " + facts.fingerprint +
                       "\n and type this console code there:\n\n     " + facts.console_code + "\n\n" + facts.qr + "\n " +
                       facts.status + "\n\n";
  std::string escaped;
  for (const char c : screen) escaped += c == '\\' ? std::string("\\\\") : std::string(1, c);
  return escaped;
}

}  // namespace macula
