#include "pairing/pairing_session.h"

#include <algorithm>

#include "common/json.h"
#include "common/json_fields.h"
#include "pairing/pairing_code.h"
#include "pairing/pairing_page.h"
#include "pairing/request_host.h"

namespace macula {

namespace {

using namespace std::chrono_literals;

// One host on the LAN: 5 wrong codes, then held a minute, doubling to an hour. All hosts
// together: 20, then 30 s, doubling to 15 minutes (about 100 guesses a day against codes of
// 24^3 * 10^3, each redrawn after 10 wrong codes).
constexpr HoldPolicy kPerAddress{5, 60s, 3600s, 3600s};
constexpr HoldPolicy kOverall{20, 30s, 900s, 3600s};
constexpr std::size_t kAddressesKept = 256;
constexpr int kRedrawEvery = 10;

HttpReply text_reply(int status, const std::string& text) { return {status, "text/plain; charset=utf-8", text + "\n"}; }

}  // namespace

std::string_view phase_name(PairingPhase phase) {
  switch (phase) {
    case PairingPhase::waiting: return "waiting";
    case PairingPhase::pairing: return "pairing";
    case PairingPhase::retrying: return "retrying";
    case PairingPhase::paired: return "paired";
    case PairingPhase::failed: return "failed";
  }
  return "waiting";
}

bool phase_change_allowed(PairingPhase from, PairingPhase to) {
  using enum PairingPhase;
  switch (from) {
    case waiting:
    case failed: return to == pairing;
    case pairing: return to == retrying || to == paired || to == failed;
    case retrying: return to == retrying || to == pairing || to == paired || to == failed;
    case paired: return false;
  }
  return false;
}

PairingSession::PairingSession(PairingSettings settings, std::string console_code, PortalClient& portal, NodeSide& node,
                               ConsoleDisplay& display, SteadyClock& clock)
    : settings_(std::move(settings)),
      portal_(portal),
      node_(node),
      display_(display),
      clock_(clock),
      console_code_(std::move(console_code)),
      limit_(kPerAddress, kOverall, kAddressesKept, kRedrawEvery),
      worker_(&PairingSession::work, this) {}

PairingSession::~PairingSession() { stop(); }

void PairingSession::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  std::lock_guard join(join_mutex_);  // not mutex_: the worker takes that one on its way out
  if (worker_.joinable()) worker_.join();
}

PairingPhase PairingSession::phase() {
  std::lock_guard lock(mutex_);
  return phase_;
}

void PairingSession::announce() {
  std::lock_guard display(display_mutex_);
  std::string code, message;
  {
    std::lock_guard lock(mutex_);
    code = console_code_;
    message = message_;
  }
  display_.show(code, message);
}

std::optional<HttpReply> PairingSession::refuse_head(const HttpRequest& head) const {
  if (const auto problem = host_problem(head.host, settings_.host_names)) return text_reply(421, *problem);
  if (head.method != "GET" && head.method != "HEAD" && head.method != "POST")
    return text_reply(405, "this page takes GET and POST, not " + head.method.substr(0, 20));
  if (head.transfer_encoding)
    return text_reply(411, "a request to this page is sent with a Content-Length, not a Transfer-Encoding");
  if (head.content_length && *head.content_length > kMaxRequestBody)
    return text_reply(413, "a request to this page is at most " + std::to_string(kMaxRequestBody) + " bytes");
  if (head.method == "POST" && !head.content_length) return text_reply(411, "a request to this page has a Content-Length");
  return std::nullopt;
}

HttpReply PairingSession::handle(const HttpRequest& request) {
  if (auto refused = refuse_head(request)) return *refused;
  if (request.body.size() > kMaxRequestBody)
    return text_reply(413, "a request to this page is at most " + std::to_string(kMaxRequestBody) + " bytes");
  const bool get = request.method == "GET" || request.method == "HEAD";
  const bool known = request.path == "/" || request.path == "/qr.svg" || request.path == "/api/status" ||
                     request.path == "/api/pair";
  if (!known) return text_reply(404, "no such page: " + request.path.substr(0, 100));
  if (request.path == "/api/pair") return request.method == "POST" ? pair(request) : text_reply(405, "/api/pair takes POST");
  if (!get) return text_reply(405, request.path + " takes GET");
  if (request.path == "/") return {200, "text/html; charset=utf-8", settings_.page};
  if (request.path == "/qr.svg") return {200, "image/svg+xml", settings_.qr_svg};
  std::lock_guard lock(mutex_);
  return status_reply(200);
}

// Called with mutex_ held.
HttpReply PairingSession::status_reply(int status) {
  return {status, "application/json", JsonObject().add("phase", phase_name(phase_)).add("message", message_).str()};
}

HttpReply PairingSession::refusal(int status, const std::string& message) const {
  return {status, "application/json", JsonObject().add("phase", "refused").add("message", message).str()};
}

HttpReply PairingSession::pair(const HttpRequest& request) {
  if (request.page_token != settings_.page_token)
    return refusal(403, "This request did not come from this node's pairing page: open the page again.");
  if (!request.content_type.starts_with("application/json")) return refusal(415, "The pairing page sends JSON: open the page again.");
  auto body = parse_json_object(request.body, "the pair request");
  const char* typed_console_code = body ? field_string(body->get(), "console_code") : nullptr;
  const char* typed_portal_code = body ? field_string(body->get(), "portal_code") : nullptr;
  if (!typed_console_code || !typed_portal_code) return refusal(400, "Type both codes.");
  const std::string& address = request.remote_address;
  std::vector<std::string> log;
  bool show = false;
  HttpReply reply;
  {
    std::lock_guard lock(mutex_);
    if (under_way_locked()) return status_reply(409);  // the status already says what
    const auto now = clock_.now();
    if (const auto wait = limit_.wait_before_attempt(address, now); wait.count() > 0) {
      log.push_back("pairing: an attempt from " + address + " held " + std::to_string(wait.count()) +
                    " s: too many wrong console codes");
      reply = refusal(429, "Too many wrong console codes: try again in " + std::to_string(wait.count()) + " s.");
    } else if (!console_code_matches(console_code_, typed_console_code)) {
      log.push_back("pairing: a wrong console code from " + address);
      if (limit_.record_wrong_code(address, now)) {
        if (auto code = node_.draw_console_code()) {
          console_code_ = std::move(*code);
          show = true;
          log.push_back("pairing: " + std::to_string(kRedrawEvery) + " wrong console codes: the console shows a new one");
        } else {
          log.push_back("pairing: could not draw a new console code: " + code.error().text());
        }
      }
      reply = refusal(403, "That is not the console code on the node's screen.");
    } else if (auto portal_code = portal_pairing_code(typed_portal_code); !portal_code) {
      reply = refusal(400, "That Portal pairing code cannot be one: type the code the Portal shows.");
    } else if (!settings_.portal_key) {
      reply = refusal(503, "This node cannot pair: " + settings_.portal_key_problem + ".");
    } else {
      move_to_locked(PairingPhase::pairing, "Pairing with the Portal (" + settings_.portal_url + ")...");
      job_ = std::move(*portal_code);
      wake_.notify_all();
      show = true;
      reply = status_reply(202);
    }
  }
  for (const std::string& line : log) display_.log(line);
  if (show) announce();
  return reply;
}

bool PairingSession::under_way_locked() const {
  return phase_ == PairingPhase::pairing || phase_ == PairingPhase::retrying || phase_ == PairingPhase::paired;
}

void PairingSession::move_to_locked(PairingPhase phase, const std::string& message) {
  if (!phase_change_allowed(phase_, phase)) {
    display_.log("pairing: the exchange does not go from " + std::string(phase_name(phase_)) + " to " +
                 std::string(phase_name(phase)) + ": " + message);
    return;
  }
  phase_ = phase;
  message_ = message;
  display_.log("pairing: " + std::string(phase_name(phase)) + ": " + message);
}

void PairingSession::move_to(PairingPhase phase, const std::string& message) {
  {
    std::lock_guard lock(mutex_);
    move_to_locked(phase, message);
  }
  announce();
}

void PairingSession::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || job_; });
    if (stopping_) return;
    const std::string portal_code = std::move(*job_);
    job_.reset();
    lock.unlock();
    exchange(portal_code);
    lock.lock();
  }
}

bool PairingSession::wait_or_stop(std::chrono::milliseconds backoff) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, backoff, [this] { return stopping_; });
}

std::optional<PortalAnswer> PairingSession::call_portal(const char* path, const std::string& body) {
  const PortalRetry& retry = settings_.retry;
  auto backoff = retry.first_backoff;
  for (int attempt = 1;; ++attempt) {
    auto answer = portal_.post(path, body);
    if (answer && answer->status == 200) {
      if (attempt > 1) move_to(PairingPhase::pairing, "Pairing with the Portal (" + settings_.portal_url + ")...");
      return std::move(*answer);
    }
    const bool retriable = !answer || answer->status >= 500 || answer->status == 408 || answer->status == 429;
    if (answer && !retriable) {
      move_to(PairingPhase::failed,
              "The Portal refused: " + portal_refusal(answer->status, answer->body) + ". Check the code and try again.");
      return std::nullopt;
    }
    const std::string why = answer ? "HTTP " + std::to_string(answer->status) : answer.error().message;
    if (attempt >= retry.tries) {
      move_to(PairingPhase::failed, "The Portal (" + settings_.portal_url + ") did not answer after " + std::to_string(attempt) +
                                        " tries (" + why + "). Check the node's network, then type the codes again.");
      return std::nullopt;
    }
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(backoff).count();
    move_to(PairingPhase::retrying, "The Portal (" + settings_.portal_url + ") does not answer (" + why + "): trying again in " +
                                        std::to_string(seconds) + " s (try " + std::to_string(attempt + 1) + " of " +
                                        std::to_string(retry.tries) + ").");
    if (!wait_or_stop(backoff)) return std::nullopt;
    backoff = std::min(backoff * 2, retry.max_backoff);
  }
}

void PairingSession::exchange(const std::string& portal_code) {
  PairRequest request{portal_code, settings_.hostname, settings_.identity.openssh_public, ""};
  auto challenge_answer = call_portal(kPairChallengePath, challenge_request_body(portal_code, request.public_key));
  if (!challenge_answer) return;
  auto challenge = parse_challenge(challenge_answer->body);
  if (!challenge)
    return move_to(PairingPhase::failed, "Refused the Portal's answer (" + challenge.error().message + "): nothing was stored.");
  request.challenge = *challenge;
  auto signature = node_.sign(pair_signed_text(request));
  if (!signature) return move_to(PairingPhase::failed, "Could not sign the request: " + signature.error().text());
  auto answer = call_portal(kPairPath, pair_request_body(request, *signature));
  if (!answer) return;
  auto pairing = parse_pair_answer(answer->body, answer->signature, *settings_.portal_key, request);
  if (!pairing)
    return move_to(PairingPhase::failed, "Refused the Portal's answer (" + pairing.error().message + "): nothing was stored.");
  if (auto kept = node_.keep(*pairing); !kept)
    return move_to(PairingPhase::failed, "Could not store the pairing: " + kept.error().text());
  move_to(PairingPhase::paired, "Paired: " + (pairing->organisation_name.empty() ? pairing->organisation_id : pairing->organisation_name) +
                                    " now holds this node. It is set up: this page closes.");
}

}  // namespace macula
