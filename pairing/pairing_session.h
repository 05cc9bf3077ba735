// The pairing service without the machine: its answers to the page's requests, the limit on
// wrong console codes, and the exchange with the Portal, whose state machine alone changes the
// status the page and the console show. The exchange runs in one worker thread of the session;
// requests only hand it a job. The Portal, the node's key and store, the console and the clock
// come through the small interfaces below (pairing/sys/pairing_command.cc has the real ones;
// pairing_session_test.cc fakes them).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/result.h"
#include "identity/node_identity.h"
#include "pairing/portal_protocol.h"
#include "pairing/wrong_code_limit.h"

namespace macula {

// The exchange's phases. A refused request is no phase: it is that request's answer alone.
enum class PairingPhase { waiting, pairing, retrying, paired, failed };

std::string_view phase_name(PairingPhase phase);
// The state machine: waiting or failed -> pairing -> retrying (again) -> paired or failed.
bool phase_change_allowed(PairingPhase from, PairingPhase to);

// What a request may be at most: the page's pair request is a few dozen bytes.
inline constexpr std::size_t kMaxRequestBody = 4096;

struct PortalAnswer {
  long status = 0;
  std::string body;
  std::string signature;  // the X-Macula-Signature header's value
};

// One POST of JSON to the Portal's path: its answer, whatever the status; an error when there
// was none (connection, TLS, time).
class PortalClient {
 public:
  virtual ~PortalClient() = default;
  virtual Result<PortalAnswer> post(std::string_view path, const std::string& body) = 0;
};

// The node's side of a pairing: its key, where a pairing is kept, its console codes.
class NodeSide {
 public:
  virtual ~NodeSide() = default;
  virtual Result<Ed25519Signature> sign(std::string_view text) = 0;
  // Stores the Portal's answer and marks the node configured.
  virtual Result<void> keep(const PairAnswer& answer) = 0;
  virtual Result<std::string> draw_console_code() = 0;
};

// The console's welcome screen and the service's log.
class ConsoleDisplay {
 public:
  virtual ~ConsoleDisplay() = default;
  virtual void show(const std::string& console_code, const std::string& status) = 0;
  virtual void log(const std::string& line) = 0;
};

class SteadyClock {
 public:
  virtual ~SteadyClock() = default;
  virtual std::chrono::steady_clock::time_point now() = 0;
};

struct PortalRetry {
  int tries = 8;  // 2 + 4 + ... + 60 s between them: about 3 minutes
  std::chrono::milliseconds first_backoff{2000}, max_backoff{60000};
};

struct PairingSettings {
  std::string portal_url;
  std::optional<Ed25519PublicKey> portal_key;
  std::string portal_key_problem;  // why there is no key
  std::string hostname;
  std::vector<std::string> host_names;  // what a Host header may name (request_host.h)
  NodeIdentity identity;
  std::string page;        // the page's HTML (pairing_page.h), with page_token in it
  std::string qr_svg;
  std::string page_token;  // random per run of the service
  PortalRetry retry;
};

// A request as the server read it (headers by their names; body empty until read).
struct HttpRequest {
  std::string method, path, host, remote_address, content_type, page_token;
  std::optional<std::uint64_t> content_length;  // the Content-Length header, when there is one
  bool transfer_encoding = false;               // a Transfer-Encoding header (chunked) was sent
  std::string body;
};

struct HttpReply {
  int status = 200;
  std::string content_type;
  std::string body;
};

class PairingSession {
 public:
  PairingSession(PairingSettings settings, std::string console_code, PortalClient& portal, NodeSide& node,
                 ConsoleDisplay& display, SteadyClock& clock);
  ~PairingSession();  // stop()
  PairingSession(const PairingSession&) = delete;
  PairingSession& operator=(const PairingSession&) = delete;

  // The answer before the body is read, when the head alone refuses the request (another Host,
  // a method other than GET, HEAD and POST, no or too large a length, a Transfer-Encoding);
  // else nothing.
  std::optional<HttpReply> refuse_head(const HttpRequest& head) const;
  // The answer to a request: GET /, /qr.svg, /api/status; POST /api/pair. Any thread.
  HttpReply handle(const HttpRequest& request);

  PairingPhase phase();
  // Shows the console code and the status on the console.
  void announce();
  // Ends the worker (a Portal request under way first ends by its own timeout); joined with no
  // lock held. Idempotent.
  void stop();

 private:
  HttpReply pair(const HttpRequest& request);
  HttpReply status_reply(int status);
  HttpReply refusal(int status, const std::string& message) const;
  void work();
  void exchange(const std::string& portal_code);
  std::optional<PortalAnswer> call_portal(const char* path, const std::string& body);
  bool wait_or_stop(std::chrono::milliseconds backoff);
  void move_to(PairingPhase phase, const std::string& message);
  void move_to_locked(PairingPhase phase, const std::string& message);
  bool under_way_locked() const;

  const PairingSettings settings_;
  PortalClient& portal_;
  NodeSide& node_;
  ConsoleDisplay& display_;
  SteadyClock& clock_;
  std::mutex display_mutex_;  // taken before mutex_, never while it is held: the console in order
  std::mutex mutex_;          // the rest
  std::condition_variable wake_;
  bool stopping_ = false;
  std::optional<std::string> job_;  // the Portal code the worker is to pair with
  PairingPhase phase_ = PairingPhase::waiting;
  std::string message_ = "Waiting for the codes.";
  std::string console_code_;
  WrongCodeLimit limit_;
  std::mutex join_mutex_;
  std::thread worker_;
};

}  // namespace macula
