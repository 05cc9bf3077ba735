#include "pairing/sys/pairing_command.h"

#include <httplib.h>
#include <signal.h>
#include <sodium.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>

#include "common/files.h"
#include "common/sys/interface_addresses.h"
#include "common/json.h"
#include "common/json_fields.h"
#include "common/process.h"
#include "config/config_sources.h"
#include "config/firewall.h"
#include "identity/node_identity.h"
#include "net/sys/post_json.h"
#include "pairing/attempt_limit.h"
#include "pairing/credentials.h"
#include "pairing/pairing_code.h"
#include "pairing/pairing_page.h"
#include "pairing/sys/pairing_port.h"
#include "pairing/portal_protocol.h"
#include "pairing/welcome_screen.h"
#include "qr/qr_code.h"
#include "setup/sys/setup_steps.h"
#include "names/names.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos pairing

The first-boot pairing service (OpenRC's macula-firstboot runs it while
/var/lib/maculaos/.configured is absent). Serves the pairing page on port 80 (opened in the
firewall only while it runs), shows its address, QR code and a console code on tty1 and the
serial console, and pairs the node with the Portal (maculaos.portal.url, its answers checked
against maculaos.portal.signing_key) when someone types both codes into the page. Stores what
the Portal answers under /var/lib/maculaos/credentials, sets .configured and stops.
)";

constexpr const char* kDefaultPortal = "https://portal.macula.io";
// agetty prints /etc/issue.d/*.issue under /etc/issue; the image links /etc/issue.d here, so
// the console code never reaches a disk.
constexpr int kMaxWrongCodes = 5;
constexpr std::chrono::seconds kWrongCodeWindow{60};
constexpr std::chrono::seconds kPortalTimeout{30};
constexpr int kPortalTries = 8;  // 2 + 4 + ... + 60 s between them: about 3 minutes
constexpr std::chrono::seconds kFirstBackoff{2}, kMaxBackoff{60};
constexpr std::chrono::seconds kPairedGrace{20};  // the page sees "paired" before the server stops

enum class Phase { waiting, pairing, retrying, paired, failed, refused };

const char* phase_name(Phase phase) {
  switch (phase) {
    case Phase::waiting: return "waiting";
    case Phase::pairing: return "pairing";
    case Phase::retrying: return "retrying";
    case Phase::paired: return "paired";
    case Phase::failed: return "failed";
    case Phase::refused: return "refused";
  }
  return "waiting";
}

struct Portal {
  std::string url;
  std::optional<Ed25519PublicKey> key;
  std::string key_problem;  // why there is no key
};

Result<Portal> portal_settings() {
  auto config = read_node_config();
  if (!config) return fail("the node config", config.error());
  Portal portal{config_text(config->config, "maculaos.portal.url").value_or(kDefaultPortal), std::nullopt, ""};
  if (const auto key = config_text(config->config, "maculaos.portal.signing_key")) {
    auto parsed = parse_signing_key(*key);
    if (parsed) portal.key = *parsed;
    else portal.key_problem = parsed.error().message;
  } else {
    portal.key_problem = "this node has no maculaos.portal.signing_key: it cannot check the Portal's answers";
  }
  while (portal.url.ends_with('/')) portal.url.pop_back();
  return portal;
}

std::string random_hex(size_t bytes) {
  std::string raw(bytes, '\0'), hex(bytes * 2 + 1, '\0');
  randombytes_buf(raw.data(), raw.size());
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  hex.pop_back();
  return hex;
}

class PairingService {
 public:
  PairingService(Portal portal, std::string hostname, NodeIdentity identity, std::string console_code, QrMatrix qr,
                 std::vector<std::string> addresses)
      : portal_(std::move(portal)),
        hostname_(std::move(hostname)),
        identity_(std::move(identity)),
        console_code_(std::move(console_code)),
        qr_(std::move(qr)),
        addresses_(std::move(addresses)),
        page_token_(random_hex(16)) {}

  ~PairingService() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
    ::unlink(kPairingIssueFile);
    reload_gettys();
  }

  std::string page() const {
    return pairing_page({hostname_, addresses_, identity_.fingerprint, portal_.url, page_token_});
  }
  std::string qr_svg_text() const { return qr_svg(qr_); }

  std::string status_json() {
    std::lock_guard lock(mutex_);
    return JsonObject().add("phase", phase_name(phase_)).add("message", message_).str();
  }

  // POST /api/pair: the answer's status, and the status JSON.
  int pair(const httplib::Request& request) {
    if (request.get_header_value(kPageTokenHeader) != page_token_)
      return refuse(403, "This request did not come from this node's pairing page: open the page again.");
    if (!request.get_header_value("Content-Type").starts_with("application/json"))
      return refuse(415, "The pairing page sends JSON: open the page again.");
    auto body = parse_json_object(request.body, "the pair request");
    const char* console_code = body ? field_string(body->get(), "console_code") : nullptr;
    const char* typed_portal_code = body ? field_string(body->get(), "portal_code") : nullptr;
    if (!console_code || !typed_portal_code) return refuse(400, "Type both codes.");
    std::unique_lock lock(mutex_);
    if (under_way()) return 409;  // the status already says what
    if (const auto wait = limit_.wait_before_attempt(AttemptLimit::Clock::now()); wait.count() > 0) {
      std::printf("pairing: an attempt from %s held: %d wrong console codes within %lld s\n", request.remote_addr.c_str(),
                  kMaxWrongCodes, static_cast<long long>(kWrongCodeWindow.count()));
      std::fflush(stdout);
      lock.unlock();
      return refuse(429, "Too many wrong console codes: try again in " + std::to_string(wait.count()) + " s.");
    }
    if (!console_code_matches(console_code_, console_code)) {
      limit_.record_failure(AttemptLimit::Clock::now());
      std::printf("pairing: a wrong console code from %s\n", request.remote_addr.c_str());
      std::fflush(stdout);
      lock.unlock();
      return refuse(403, "That is not the console code on the node's screen.");
    }
    auto portal_code = portal_pairing_code(typed_portal_code);
    lock.unlock();
    if (!portal_code) return refuse(400, "That Portal pairing code cannot be one: type the code the Portal shows.");
    if (!portal_.key) return refuse(503, "This node cannot pair: " + portal_.key_problem + ".", Phase::failed);
    lock.lock();
    if (under_way()) return 409;  // another request got here first
    set_locked(Phase::pairing, "Pairing with the Portal (" + portal_.url + ")...");
    // An earlier worker has ended (its last act was to set an end phase): this does not wait.
    if (worker_.joinable()) worker_.join();
    worker_ = std::thread([this, code = *portal_code] { pair_with_portal(code); });
    return 202;
  }

  Phase phase() {
    std::lock_guard lock(mutex_);
    return phase_;
  }

  void set(Phase phase, const std::string& message) {
    std::lock_guard lock(mutex_);
    set_locked(phase, message);
  }

  void announce() {
    std::lock_guard lock(mutex_);
    show_on_console();
  }

 private:
  static void reload_gettys() { (void)run_command({"agetty", "--reload"}); }

  // The rest are called with mutex_ held.
  bool under_way() const { return phase_ == Phase::pairing || phase_ == Phase::retrying || phase_ == Phase::paired; }

  void set_locked(Phase phase, const std::string& message) {
    phase_ = phase;
    message_ = message;
    std::printf("pairing: %s: %s\n", phase_name(phase), message.c_str());
    std::fflush(stdout);
    show_on_console();
  }

  void show_on_console() const {
    const std::string issue =
        welcome_issue({"http://" + hostname_ + ".local", addresses_, qr_text(qr_, true), identity_.fingerprint, console_code_,
                       message_});
    if (make_directory(kIssueDir, 0700) && write_file_atomic(kPairingIssueFile, issue, 0600)) reload_gettys();
  }

  int refuse(int status, const std::string& message, Phase phase = Phase::refused) {
    set(phase, message);
    return status;
  }

  // Waits for the backoff unless the service stops meanwhile: false when it stops.
  bool wait_or_stop(std::chrono::seconds backoff) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, backoff, [this] { return stopping_; });
  }

  // One Portal request, tried again when there is no answer or a 5xx, 408 or 429.
  std::optional<HttpAnswer> call_portal(const char* path, const std::string& body) {
    const std::string url = portal_.url + path;
    std::chrono::seconds backoff = kFirstBackoff;
    for (int attempt = 1;; ++attempt) {
      auto answer = post_json(url, body, kPortalTimeout);
      if (answer && answer->status == 200) return std::move(*answer);
      const bool retriable = !answer || answer->status >= 500 || answer->status == 408 || answer->status == 429;
      if (answer && !retriable) {
        set(Phase::failed, "The Portal refused: " + portal_refusal(answer->status, answer->body) + ". Check the code and try again.");
        return std::nullopt;
      }
      const std::string why = answer ? "HTTP " + std::to_string(answer->status) : answer.error().message;
      if (attempt == kPortalTries) {
        set(Phase::failed, "The Portal (" + portal_.url + ") did not answer after " + std::to_string(attempt) + " tries (" +
                               why + "). Check the node's network, then type the codes again.");
        return std::nullopt;
      }
      set(Phase::retrying, "The Portal (" + portal_.url + ") does not answer (" + why + "): trying again in " +
                               std::to_string(backoff.count()) + " s (try " + std::to_string(attempt + 1) + " of " +
                               std::to_string(kPortalTries) + ").");
      if (!wait_or_stop(backoff)) return std::nullopt;
      backoff = std::min(backoff * 2, kMaxBackoff);
    }
  }

  void pair_with_portal(const std::string& portal_code) {
    PairRequest request{portal_code, hostname_, identity_.openssh_public, ""};
    auto challenge_answer = call_portal(kPairChallengePath, challenge_request_body(portal_code));
    if (!challenge_answer) return;
    auto challenge = parse_challenge(challenge_answer->body);
    if (!challenge) return set(Phase::failed, "Refused the Portal's answer (" + challenge.error().message + "): nothing was stored.");
    request.challenge = *challenge;
    auto signature = sign_as_node(kNodeIdentityDir, pair_signed_text(request));
    if (!signature) return set(Phase::failed, "Could not sign the request: " + signature.error().text());
    auto answer = call_portal(kPairPath, pair_request_body(request, *signature));
    if (!answer) return;
    auto pairing = parse_pair_answer(answer->body, answer->header(kPortalSignatureHeader), *portal_.key, request);
    if (!pairing) return set(Phase::failed, "Refused the Portal's answer (" + pairing.error().message + "): nothing was stored.");
    if (auto r = store_pairing(*pairing, portal_.url, kCredentialsDir, kConfigDropInDir); !r)
      return set(Phase::failed, "Could not store the pairing: " + r.error().text());
    if (auto r = mark_configured(); !r) return set(Phase::failed, "Could not mark the node configured: " + r.error().text());
    set(Phase::paired, "Paired: " + (pairing->organisation_name.empty() ? pairing->organisation_id : pairing->organisation_name) +
                           " now holds this node. It is set up: this page closes.");
  }

  const Portal portal_;
  const std::string hostname_;
  const NodeIdentity identity_;
  const std::string console_code_;
  const QrMatrix qr_;
  const std::vector<std::string> addresses_;
  const std::string page_token_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  Phase phase_ = Phase::waiting;
  std::string message_ = "Waiting for the codes.";
  AttemptLimit limit_{kMaxWrongCodes, kWrongCodeWindow};
  std::thread worker_;
};

void serve_json(httplib::Response& response, const std::string& json) { response.set_content(json, "application/json"); }

Result<int> run_pairing(std::span<const std::string> args) {
  if (!args.empty()) return usage_error("unexpected '" + args[0] + "' (see maculaos pairing --help)");
  if (::geteuid() != 0)
    return fail(ErrorKind::permission, "the pairing service runs as root (it opens port 80 and reads the node identity)");
  if (::access(kConfiguredFlag, F_OK) == 0) {
    std::printf("pairing: %s is set: nothing to pair\n", kConfiguredFlag);
    return 0;
  }
  auto portal = portal_settings();
  if (!portal) return fail(portal.error());
  struct utsname names {};
  ::uname(&names);
  const std::string hostname = names.nodename;
  auto identity = ensure_node_identity(kNodeIdentityDir, hostname);
  if (!identity) return fail("node identity", identity.error());
  auto console_code = draw_console_code();
  if (!console_code) return fail(console_code.error());
  auto qr = qr_encode("http://" + hostname + ".local");
  if (!qr) return fail(qr.error());
  auto addresses = interface_addresses();
  if (!addresses) return fail(addresses.error());
  // a link-local address needs its interface named, which a browser's address bar cannot take
  std::erase_if(*addresses, [](const InterfaceAddress& a) { return a.address.starts_with("fe80:"); });

  // SIGTERM (OpenRC's stop) and SIGINT are taken by the main loop below; threads made from
  // here on inherit the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto opening = PairingPortOpening::open();
  if (!opening) return fail(opening.error());
  PairingService service(std::move(*portal), hostname, identity->identity, *console_code, std::move(*qr),
                         address_texts(*addresses));
  httplib::Server server;
  server.Get("/", [&](const httplib::Request&, httplib::Response& r) { r.set_content(service.page(), "text/html; charset=utf-8"); });
  server.Get("/qr.svg", [&](const httplib::Request&, httplib::Response& r) { r.set_content(service.qr_svg_text(), "image/svg+xml"); });
  server.Get("/api/status", [&](const httplib::Request&, httplib::Response& r) { serve_json(r, service.status_json()); });
  server.Post("/api/pair", [&](const httplib::Request& request, httplib::Response& r) {
    r.status = service.pair(request);
    serve_json(r, service.status_json());
  });
  server.set_default_headers({{"Cache-Control", "no-store"}, {"X-Frame-Options", "DENY"},
                              {"Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'"}});
  if (!server.bind_to_port("0.0.0.0", kPairingPort))
    return fail(ErrorKind::busy, "pairing: cannot listen on port " + std::to_string(kPairingPort) + " (another server on it?)");
  std::thread listener([&] { server.listen_after_bind(); });
  service.announce();
  std::printf("pairing: the page is at http://%s.local (port %d)\n", hostname.c_str(), kPairingPort);
  std::fflush(stdout);

  std::optional<std::chrono::steady_clock::time_point> paired_at;
  const timespec tick{1, 0};
  for (;;) {
    if (const int signal = sigtimedwait(&stop_signals, nullptr, &tick); signal > 0) {
      std::printf("pairing: stopped by signal %d\n", signal);
      break;
    }
    if (service.phase() == Phase::paired) {
      if (!paired_at) paired_at = std::chrono::steady_clock::now();
      if (std::chrono::steady_clock::now() - *paired_at >= kPairedGrace) break;
    } else if (::access(kConfiguredFlag, F_OK) == 0) {
      std::printf("pairing: %s was set (maculaos setup): stopping\n", kConfiguredFlag);
      break;
    }
  }
  server.stop();
  listener.join();
  std::fflush(stdout);
  return 0;
}

}  // namespace

Applet pairing_applet() { return {"pairing", "the first-boot pairing service: page, QR code, Portal", kUsage, run_pairing}; }

}  // namespace macula
