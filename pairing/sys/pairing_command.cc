#include "pairing/sys/pairing_command.h"

#include <signal.h>
#include <sodium.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <optional>

#include "common/files.h"
#include "common/process.h"
#include "common/sys/interface_addresses.h"
#include "config/config_sources.h"
#include "config/firewall.h"
#include "identity/node_identity.h"
#include "names/names.h"
#include "net/sys/post_json.h"
#include "pairing/credentials.h"
#include "pairing/pairing_code.h"
#include "pairing/pairing_page.h"
#include "pairing/pairing_session.h"
#include "pairing/portal_protocol.h"
#include "pairing/request_host.h"
#include "pairing/sys/pairing_port.h"
#include "pairing/sys/pairing_server.h"
#include "pairing/welcome_screen.h"
#include "qr/qr_code.h"
#include "setup/sys/setup_steps.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos pairing
       maculaos pairing close

The first-boot pairing service (OpenRC's macula-firstboot runs it while
/var/lib/maculaos/.configured is absent). Serves the pairing page on port 80 (opened in the
firewall only while it runs), shows its address, QR code and a console code on tty1 and the
serial console, and pairs the node with the Portal (maculaos.portal.url, its answers checked
against maculaos.portal.signing_key) when someone types both codes into the page. Stores what
the Portal answers under /var/lib/maculaos/credentials, sets .configured and stops. However the
service ends (a crash too), port 80, its firewall cue and its console screen are closed after it.

close: closes them now (OpenRC's stop runs it, for an exit that could not).
)";

constexpr const char* kDefaultPortal = "https://portal.macula.io";
constexpr std::chrono::seconds kPortalTimeout{30};
constexpr std::chrono::seconds kPairedGrace{20};  // the page sees "paired" before the server stops

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

void reload_gettys() { (void)run_command({"agetty", "--reload"}); }

// Port 80 out of the firewall, the cue and the console screen gone.
void close_leftovers() {
  PairingPortOpening::close_leftovers();
  ::unlink(kPairingIssueFile);
  reload_gettys();
}

class HttpsPortal : public PortalClient {
 public:
  explicit HttpsPortal(std::string url) : url_(std::move(url)) {}

  Result<PortalAnswer> post(std::string_view path, const std::string& body) override {
    auto answer = post_json(url_ + std::string(path), body, kPortalTimeout);
    if (!answer) return fail(answer.error());
    return PortalAnswer{answer->status, std::move(answer->body), answer->header(kPortalSignatureHeader)};
  }

 private:
  std::string url_;
};

class ThisNode : public NodeSide {
 public:
  explicit ThisNode(std::string portal_url) : portal_url_(std::move(portal_url)) {}

  Result<Ed25519Signature> sign(std::string_view text) override { return sign_as_node(kNodeIdentityDir, text); }

  Result<void> keep(const PairAnswer& answer) override {
    if (auto stored = store_pairing(answer, portal_url_, kCredentialsDir, kConfigDropInDir); !stored) return fail(stored.error());
    if (auto marked = mark_configured(); !marked) return fail("mark the node configured", marked.error());
    return {};
  }

  Result<std::string> draw_console_code() override { return macula::draw_console_code(); }

 private:
  std::string portal_url_;
};

// agetty prints /etc/issue.d/*.issue under /etc/issue; the image links /etc/issue.d into /run,
// so the console code never reaches a disk. The screen goes when this does.
class WelcomeScreen : public ConsoleDisplay {
 public:
  WelcomeScreen(std::string hostname, std::vector<std::string> addresses, std::string qr, std::string fingerprint)
      : hostname_(std::move(hostname)), addresses_(std::move(addresses)), qr_(std::move(qr)), fingerprint_(std::move(fingerprint)) {}
  ~WelcomeScreen() override {
    ::unlink(kPairingIssueFile);
    reload_gettys();
  }

  void show(const std::string& console_code, const std::string& status) override {
    const std::string issue =
        welcome_issue({"http://" + hostname_ + ".local", addresses_, qr_, fingerprint_, console_code, status});
    if (make_directory(kIssueDir, 0700) && write_file_atomic(kPairingIssueFile, issue, 0600)) reload_gettys();
  }

  void log(const std::string& line) override {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  }

 private:
  const std::string hostname_;
  const std::vector<std::string> addresses_;
  const std::string qr_, fingerprint_;
};

class MonotonicClock : public SteadyClock {
 public:
  std::chrono::steady_clock::time_point now() override { return std::chrono::steady_clock::now(); }
};

// The service itself; SIGTERM and SIGINT are blocked (the guard's mask) and taken by its loop.
Result<int> serve(const sigset_t& stop_signals) {
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
  const std::vector<std::string> every_address = address_texts(*addresses);
  // a link-local address needs its interface named, which a browser's address bar cannot take
  std::erase_if(*addresses, [](const InterfaceAddress& a) { return a.address.starts_with("fe80:"); });
  const std::vector<std::string> shown = address_texts(*addresses);

  auto opening = PairingPortOpening::open();
  if (!opening) return fail(opening.error());
  PairingSettings settings;
  settings.portal_url = portal->url;
  settings.portal_key = portal->key;
  settings.portal_key_problem = portal->key_problem;
  settings.hostname = hostname;
  settings.host_names = node_host_names(hostname, every_address);
  settings.identity = identity->identity;
  settings.page_token = random_hex(16);
  settings.page = pairing_page({hostname, shown, identity->identity.fingerprint, portal->url, settings.page_token});
  settings.qr_svg = qr_svg(*qr);
  WelcomeScreen screen(hostname, shown, qr_text(*qr, true), identity->identity.fingerprint);
  HttpsPortal https_portal(portal->url);
  ThisNode node(portal->url);
  MonotonicClock clock;
  PairingSession session(std::move(settings), *console_code, https_portal, node, screen, clock);
  PairingServer server(session);
  if (auto listening = server.listen(kPairingPort); !listening) return fail(listening.error());
  session.announce();
  std::printf("pairing: the page is at http://%s.local (port %d)\n", hostname.c_str(), kPairingPort);
  std::fflush(stdout);

  std::optional<std::chrono::steady_clock::time_point> paired_at;
  const timespec tick{1, 0};
  for (;;) {
    if (const int signal = sigtimedwait(&stop_signals, nullptr, &tick); signal > 0) {
      std::printf("pairing: stopped by signal %d\n", signal);
      break;
    }
    if (session.phase() == PairingPhase::paired) {
      if (!paired_at) paired_at = std::chrono::steady_clock::now();
      if (std::chrono::steady_clock::now() - *paired_at >= kPairedGrace) break;
    } else if (::access(kConfiguredFlag, F_OK) == 0) {
      std::printf("pairing: %s was set (maculaos setup): stopping\n", kConfiguredFlag);
      break;
    }
  }
  server.stop();
  session.stop();
  std::fflush(stdout);
  return 0;
}

// The service runs in a child of this process (the one OpenRC's pidfile names), which passes it
// SIGTERM and SIGINT and, however it ends (a crash, a kill, an abort), closes what it leaves open.
Result<int> guard_service() {
  ::signal(SIGCHLD, SIG_DFL);  // an inherited SIG_IGN would reap the child before we see it
  sigset_t stop_signals, guarded;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  guarded = stop_signals;
  sigaddset(&guarded, SIGCHLD);
  // blocked before the fork: threads the service makes inherit the mask, and its loop takes them
  pthread_sigmask(SIG_BLOCK, &guarded, nullptr);
  std::fflush(nullptr);
  const pid_t child = ::fork();
  if (child < 0) return fail_errno("pairing: start the service");
  if (child == 0) {
    sigset_t child_signal;
    sigemptyset(&child_signal);
    sigaddset(&child_signal, SIGCHLD);
    pthread_sigmask(SIG_UNBLOCK, &child_signal, nullptr);
    auto served = serve(stop_signals);
    if (!served) std::fprintf(stderr, "pairing: %s\n", served.error().text().c_str());
    std::fflush(nullptr);
    ::_exit(served ? *served : error_exit(served.error().kind).status);
  }
  int status = 0;
  for (;;) {
    const int signal = sigwaitinfo(&guarded, nullptr);
    if (signal == SIGCHLD) {
      if (::waitpid(child, &status, WNOHANG) == child) break;
    } else if (signal > 0) {
      ::kill(child, signal);
    }
  }
  if (WIFSIGNALED(status)) {
    std::printf("pairing: the service ended by signal %d: closing port %d and its screen\n", WTERMSIG(status), kPairingPort);
    std::fflush(stdout);
  }
  close_leftovers();
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

Result<int> run_pairing(std::span<const std::string> args) {
  if (args.size() > 1 || (args.size() == 1 && args[0] != "close"))
    return usage_error("unexpected '" + args.back() + "' (see maculaos pairing --help)");
  if (!args.empty()) {
    close_leftovers();
    return 0;
  }
  if (::access(kConfiguredFlag, F_OK) == 0) {
    std::printf("pairing: %s is set: nothing to pair\n", kConfiguredFlag);
    return 0;
  }
  return guard_service();
}

}  // namespace

// Hidden: OpenRC's macula-firstboot runs it, a person never needs to.
Applet pairing_applet() {
  static constexpr std::string_view kCommands[] = {"close"};
  return {.name = "pairing", .summary = "the first-boot pairing service: page, QR code, Portal", .usage = kUsage,
          .run = run_pairing, .commands = kCommands, .needs_root = true, .hidden = true};
}

}  // namespace macula
