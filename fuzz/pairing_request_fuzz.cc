// The pairing page's requests as a LAN host may send them: the input is a request's text (the
// request line, headers up to an empty line, the body), given to the pairing session as the
// server gives it: its head first, then the whole request. Whatever comes, nothing crashes and
// every answer is an HTTP status with a body. The session is one for the whole run, as the
// service's is: its wrong-code limit and exchange carry over from input to input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pairing/pairing_session.h"

namespace {

using namespace macula;

class DownPortal : public PortalClient {
 public:
  Result<PortalAnswer> post(std::string_view, const std::string&) override {
    return PortalAnswer{404, R"({"error": "no such pairing code"})", ""};
  }
};

class FuzzNode : public NodeSide {
 public:
  Result<Ed25519Signature> sign(std::string_view) override { return Ed25519Signature{}; }
  Result<void> keep(const PairAnswer&) override { return {}; }
  Result<std::string> draw_console_code() override { return std::string("ABC-123"); }
};

class QuietDisplay : public ConsoleDisplay {
 public:
  void show(const std::string&, const std::string&) override {}
  void log(const std::string&) override {}
};

class RealClock : public SteadyClock {
 public:
  std::chrono::steady_clock::time_point now() override { return std::chrono::steady_clock::now(); }
};

PairingSession& session() {
  static DownPortal portal;
  static FuzzNode node;
  static QuietDisplay display;
  static RealClock clock;
  static PairingSession session(
      [] {
        PairingSettings s;
        s.portal_url = "https://portal.example.org";
        s.portal_key = Ed25519PublicKey{};
        s.hostname = "macula-3456";
        s.host_names = {"macula-3456", "macula-3456.local", "10.0.2.15"};
        s.identity.openssh_public = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBKk macula-3456";
        s.page = "<html></html>";
        s.qr_svg = "<svg/>";
        s.page_token = "fuzztoken";
        s.retry = {1, std::chrono::milliseconds(1), std::chrono::milliseconds(1)};
        return s;
      }(),
      "ABC-123", portal, node, display, clock);
  return session;
}

std::string_view line_of(std::string_view& text) {
  const size_t end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  HttpRequest request;
  request.remote_address = "10.0.2.2";
  const std::string_view first = line_of(text);
  const size_t space = first.find(' ');
  request.method = std::string(first.substr(0, space));
  if (space != std::string_view::npos) request.path = std::string(first.substr(space + 1, first.find(' ', space + 1) - space - 1));
  for (std::string_view line; !text.empty() && !(line = line_of(text)).empty();) {
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, colon);
    std::string value(line.substr(colon + 1));
    while (value.starts_with(' ')) value.erase(0, 1);
    if (name == "Host") request.host = value;
    else if (name == "Content-Type") request.content_type = value;
    else if (name == "X-Pairing-Token") request.page_token = value;
    else if (name == "Transfer-Encoding") request.transfer_encoding = true;
    else if (name == "Content-Length") request.content_length = std::strtoull(value.c_str(), nullptr, 10);
  }
  const auto check = [](const HttpReply& reply) {
    if (reply.status < 200 || reply.status > 599 || reply.body.empty()) std::abort();
  };
  if (const auto refused = session().refuse_head(request)) check(*refused);
  request.body = std::string(text);
  check(session().handle(request));
  return 0;
}
