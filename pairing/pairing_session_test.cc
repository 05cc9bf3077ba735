#include "pairing/pairing_session.h"

#include <sodium.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <functional>
#include <map>

#include "common/json.h"
#include "common/json_fields.h"

namespace macula {

namespace {

using namespace std::chrono_literals;

const std::string kToken = "0123456789abcdef0123456789abcdef";
const std::string kConsoleCode = "ABC-123";
const std::string kPortalCode = "WXYZ7788";
const std::string kNodeKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBKk macula-3456";

// A string field of a JSON object, "" when there is none. No assertion: threads of the session
// call it, and Catch2's assertions are for the test's own thread.
std::string json_field(const std::string& body, const char* key) {
  auto json = parse_json_object(body, "JSON");
  const char* value = json ? field_string(json->get(), key) : nullptr;
  return value ? value : "";
}

// The test's Portal: answers by a function of the path and body, signing with its own key.
class FakePortal : public PortalClient {
 public:
  FakePortal() {
    REQUIRE(sodium_init() >= 0);
    crypto_sign_keypair(public_key.data(), secret_);
  }

  Result<PortalAnswer> post(std::string_view path, const std::string& body) override {
    std::function<Result<PortalAnswer>(std::string_view, const std::string&)> answer;
    {
      std::lock_guard lock(mutex_);
      requests.emplace_back(path, body);
      answer = answer_;
    }
    return answer(path, body);
  }

  void answer_with(std::function<Result<PortalAnswer>(std::string_view, const std::string&)> answer) {
    std::lock_guard lock(mutex_);
    answer_ = std::move(answer);
  }

  std::vector<std::pair<std::string, std::string>> sent() {
    std::lock_guard lock(mutex_);
    return requests;
  }

  // The Portal's right answers: a challenge, then the pairing of the key that sent it.
  Result<PortalAnswer> pairs(std::string_view path, const std::string& body) const {
    if (path == kPairChallengePath) return PortalAnswer{200, R"({"challenge": ")" + std::string(kChallenge) + "\"}", ""};
    const std::string answer = JsonObject()
                                   .add("challenge", json_field(body, "challenge"))
                                   .add("public_key", json_field(body, "public_key"))
                                   .add("refresh_token", "rt-0123456789abcdef0123")
                                   .add("user", JsonObject().add("id", "u-1"))
                                   .add("organisation", JsonObject().add("id", "o-7").add("name", "Edge Farm"))
                                   .str();
    return PortalAnswer{200, answer, sign(answer)};
  }

  Ed25519PublicKey public_key{};
  static constexpr std::string_view kChallenge = "Y2hhbGxlbmdlIG9mIDMyIGJ5dGVzIGZyb20gdGhlIFBvcnRhbA==";

 private:
  std::string sign(std::string_view body) const {
    unsigned char signature[crypto_sign_BYTES];
    crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(body.data()), body.size(), secret_);
    char text[sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    return sodium_bin2base64(text, sizeof text, signature, sizeof signature, sodium_base64_VARIANT_ORIGINAL);
  }

  unsigned char secret_[crypto_sign_SECRETKEYBYTES]{};
  std::mutex mutex_;
  std::vector<std::pair<std::string, std::string>> requests;
  std::function<Result<PortalAnswer>(std::string_view, const std::string&)> answer_ = [](std::string_view, const std::string&) {
    return Result<PortalAnswer>(PortalAnswer{404, R"({"error": "no such pairing code"})", ""});
  };
};

class FakeNode : public NodeSide {
 public:
  Result<Ed25519Signature> sign(std::string_view) override { return Ed25519Signature{}; }
  Result<void> keep(const PairAnswer& answer) override {
    std::lock_guard lock(mutex_);
    kept.push_back(answer.organisation_name);
    return {};
  }
  Result<std::string> draw_console_code() override {
    std::lock_guard lock(mutex_);
    return "NEW-" + std::to_string(100 + draws++);
  }
  std::vector<std::string> kept_organisations() {
    std::lock_guard lock(mutex_);
    return kept;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> kept;
  int draws = 0;
};

class FakeDisplay : public ConsoleDisplay {
 public:
  void show(const std::string& console_code, const std::string& status) override {
    std::lock_guard lock(mutex_);
    shown_code = console_code;
    shown_status = status;
  }
  void log(const std::string& line) override {
    std::lock_guard lock(mutex_);
    lines.push_back(line);
  }
  std::string code() {
    std::lock_guard lock(mutex_);
    return shown_code;
  }
  long count(std::string_view start) {
    std::lock_guard lock(mutex_);
    return std::count_if(lines.begin(), lines.end(), [&](const std::string& line) { return line.starts_with(start); });
  }

 private:
  std::mutex mutex_;
  std::string shown_code, shown_status;
  std::vector<std::string> lines;
};

class FakeClock : public SteadyClock {
 public:
  std::chrono::steady_clock::time_point now() override { return std::chrono::steady_clock::time_point{} + 100000s + ticks.load() * 1s; }
  std::atomic<int> ticks{0};
};

struct Fixture {
  FakePortal portal;
  FakeNode node;
  FakeDisplay display;
  FakeClock clock;
  PairingSession session;

  explicit Fixture(bool with_key = true)
      : session(settings(with_key), kConsoleCode, portal, node, display, clock) {}

  PairingSettings settings(bool with_key) const {
    PairingSettings s;
    s.portal_url = "https://portal.example.org";
    if (with_key) s.portal_key = portal.public_key;
    else s.portal_key_problem = "this node has no maculaos.portal.signing_key";
    s.hostname = "macula-3456";
    s.host_names = {"macula-3456", "macula-3456.local", "10.0.2.15"};
    s.identity.openssh_public = kNodeKey;
    s.identity.fingerprint = "SHA256:abc";
    s.page = "<html>the page</html>";
    s.qr_svg = "<svg/>";
    s.page_token = kToken;
    s.retry = {3, 1ms, 2ms};
    return s;
  }

  HttpReply pair(const std::string& console_code, const std::string& address = "10.0.2.2", const std::string& token = kToken) {
    const std::string body = JsonObject().add("console_code", console_code).add("portal_code", kPortalCode).str();
    return session.handle({"POST", "/api/pair", "macula-3456.local", address, "application/json", token, body.size(), false, body});
  }

  HttpReply status() { return session.handle({"GET", "/api/status", "10.0.2.15:80", "10.0.2.2", "", "", std::nullopt, false, ""}); }

  void wait_for(PairingPhase phase) {
    for (int i = 0; i < 5000 && session.phase() != phase; ++i) std::this_thread::sleep_for(1ms);
    REQUIRE(phase_name(session.phase()) == phase_name(phase));
  }
};

std::string phase_of(const HttpReply& reply) { return json_field(reply.body, "phase"); }
std::string message_of(const HttpReply& reply) { return json_field(reply.body, "message"); }

}  // namespace

TEST_CASE("the exchange's phases change only along its state machine") {
  using enum PairingPhase;
  CHECK(phase_change_allowed(waiting, pairing));
  CHECK(phase_change_allowed(failed, pairing));
  CHECK(phase_change_allowed(pairing, retrying));
  CHECK(phase_change_allowed(retrying, paired));
  CHECK_FALSE(phase_change_allowed(waiting, paired));
  CHECK_FALSE(phase_change_allowed(waiting, failed));
  CHECK_FALSE(phase_change_allowed(pairing, pairing));
  for (const auto to : {waiting, pairing, retrying, paired, failed}) CHECK_FALSE(phase_change_allowed(paired, to));
}

TEST_CASE("both codes pair the node: the challenge is asked for by the node's key, and the answer is kept") {
  Fixture f;
  f.portal.answer_with([&](std::string_view path, const std::string& body) { return f.portal.pairs(path, body); });
  const HttpReply accepted = f.pair("abc 123");
  CHECK(accepted.status == 202);
  CHECK(phase_of(accepted) == "pairing");
  f.wait_for(PairingPhase::paired);
  CHECK(message_of(f.status()) == "Paired: Edge Farm now holds this node. It is set up: this page closes.");
  CHECK(f.node.kept_organisations() == std::vector<std::string>{"Edge Farm"});
  const auto sent = f.portal.sent();
  REQUIRE(sent.size() == 2);
  auto challenge_request = parse_json_object(sent[0].second, "challenge request");
  REQUIRE(challenge_request);
  CHECK(std::string(field_string(challenge_request->get(), "public_key")) == kNodeKey);
  CHECK(f.pair(kConsoleCode).status == 409);  // paired is the end
}

TEST_CASE("a refused request answers its client and leaves the exchange's status alone, even while it runs") {
  Fixture f;
  std::mutex gate;
  std::unique_lock held(gate);  // the Portal answers once the test lets it
  f.portal.answer_with([&](std::string_view path, const std::string& body) {
    std::lock_guard wait(gate);
    return f.portal.pairs(path, body);
  });
  REQUIRE(f.pair(kConsoleCode).status == 202);
  const std::string under_way = f.status().body;
  CHECK(phase_of(f.status()) == "pairing");

  const HttpReply bad_token = f.pair(kConsoleCode, "10.0.2.9", "forged");
  CHECK(bad_token.status == 403);
  CHECK(phase_of(bad_token) == "refused");
  const std::string junk = "{\"console_code\": 7";
  CHECK(f.session.handle({"POST", "/api/pair", "macula-3456", "10.0.2.9", "application/json", kToken, junk.size(), false, junk}).status ==
        400);
  CHECK(f.session.handle({"POST", "/api/pair", "macula-3456", "10.0.2.9", "text/plain", kToken, 2, false, "{}"}).status == 415);
  CHECK(f.status().body == under_way);
  // the next valid request is told the exchange runs, at once: nothing waits for the worker
  const HttpReply again = f.pair(kConsoleCode);
  CHECK(again.status == 409);
  CHECK(phase_of(again) == "pairing");

  held.unlock();
  f.wait_for(PairingPhase::paired);
}

TEST_CASE("the handlers answer from many threads at once while exchanges start, fail and stop") {
  Fixture f;
  std::atomic<int> answers{0};
  f.portal.answer_with([&](std::string_view path, const std::string& body) -> Result<PortalAnswer> {
    // a Portal that refuses most codes, is down now and then, and sometimes pairs
    const int n = answers.fetch_add(1);
    if (n % 7 == 3) return fail(ErrorKind::network, "connection refused");
    if (n % 50 == 49) return f.portal.pairs(path, body);
    return PortalAnswer{404, R"({"error": "no such pairing code"})", ""};
  });
  std::vector<std::thread> clients;
  std::atomic<int> unexpected{0};
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&, t] {
      const std::string address = "10.0.3." + std::to_string(t);
      for (int i = 0; i < 150; ++i) {
        HttpReply reply;
        switch ((i + t) % 6) {
          case 0: reply = f.pair(kConsoleCode, address); break;
          case 1: reply = f.pair("ZZZ-999", address); break;
          case 2: reply = f.pair(kConsoleCode, address, "forged"); break;
          case 3: reply = f.status(); break;
          case 4:
            reply = f.session.handle({"POST", "/api/pair", "evil.example.org", address, "application/json", kToken, 2, false, "{}"});
            break;
          default: reply = f.session.handle({"GET", "/", "macula-3456", address, "", "", std::nullopt, false, ""});
        }
        // the exchange's own phase for 200, 202 and 409; a refusal is that request's alone
        const bool exchange = reply.status == 200 || reply.status == 202 || reply.status == 409;
        if (reply.status >= 500 || reply.body.empty()) ++unexpected;
        if (reply.content_type == "application/json" && (phase_of(reply) == "refused") == exchange) ++unexpected;
        if ((i + t) % 3 == 0) f.clock.ticks += 1;
      }
    });
  }
  for (std::thread& client : clients) client.join();
  CHECK(unexpected == 0);
  CHECK(phase_of(f.status()) != "refused");
  f.session.stop();  // returns: no thread waits on another under the lock
  f.session.stop();
}

TEST_CASE("five wrong codes hold one address, and another address still pairs with the console code") {
  Fixture f;
  f.portal.answer_with([&](std::string_view path, const std::string& body) { return f.portal.pairs(path, body); });
  for (int i = 0; i < 5; ++i) CHECK(f.pair("ZZZ-999", "10.0.2.2").status == 403);
  for (int i = 0; i < 1000; ++i) {
    const HttpReply held = f.pair(i % 2 ? "ZZZ-999" : kConsoleCode, "10.0.2.2");
    REQUIRE(held.status == 429);
    CHECK(message_of(held).starts_with("Too many wrong console codes: try again in "));
  }
  CHECK(f.display.count("pairing: a wrong console code from 10.0.2.2") == 5);
  CHECK(phase_of(f.status()) == "waiting");
  CHECK(f.pair(kConsoleCode, "10.0.2.15").status == 202);
  f.wait_for(PairingPhase::paired);
}

TEST_CASE("after ten wrong codes the console shows a new code, and only the new one pairs") {
  Fixture f;
  f.session.announce();
  CHECK(f.display.code() == kConsoleCode);
  for (int i = 0; i < 10; ++i) CHECK(f.pair("ZZZ-999", "fd00::" + std::to_string(i)).status == 403);
  CHECK(f.display.code() == "NEW-100");
  CHECK(f.pair(kConsoleCode, "fd00::42").status == 403);
  f.portal.answer_with([&](std::string_view path, const std::string& body) { return f.portal.pairs(path, body); });
  CHECK(f.pair("new-100", "fd00::43").status == 202);
  f.wait_for(PairingPhase::paired);
}

TEST_CASE("a Portal that does not answer is tried again, then the exchange fails and a new one may start") {
  Fixture f;
  f.portal.answer_with([](std::string_view, const std::string&) -> Result<PortalAnswer> {
    return PortalAnswer{503, "down", ""};
  });
  REQUIRE(f.pair(kConsoleCode).status == 202);
  f.wait_for(PairingPhase::failed);
  CHECK(message_of(f.status()).starts_with("The Portal (https://portal.example.org) did not answer after 3 tries (HTTP 503)"));
  CHECK(f.portal.sent().size() == 3);
  f.portal.answer_with([&](std::string_view path, const std::string& body) { return f.portal.pairs(path, body); });
  CHECK(f.pair(kConsoleCode).status == 202);
  f.wait_for(PairingPhase::paired);
}

TEST_CASE("without the Portal's signing key a pair request is refused and the status stays") {
  Fixture f(false);
  const HttpReply reply = f.pair(kConsoleCode);
  CHECK(reply.status == 503);
  CHECK(message_of(reply) == "This node cannot pair: this node has no maculaos.portal.signing_key.");
  CHECK(phase_of(f.status()) == "waiting");
}

TEST_CASE("stopping while the exchange waits to try the Portal again returns at once") {
  Fixture f;
  PairingSettings slow = f.settings(true);
  slow.retry = {8, 3600s, 3600s};
  PairingSession session(slow, kConsoleCode, f.portal, f.node, f.display, f.clock);
  f.portal.answer_with([](std::string_view, const std::string&) -> Result<PortalAnswer> {
    return fail(ErrorKind::network, "no route to host");
  });
  const std::string body = JsonObject().add("console_code", kConsoleCode).add("portal_code", kPortalCode).str();
  REQUIRE(session.handle({"POST", "/api/pair", "macula-3456", "10.0.2.2", "application/json", kToken, body.size(), false, body}).status ==
          202);
  for (int i = 0; i < 5000 && session.phase() != PairingPhase::retrying; ++i) std::this_thread::sleep_for(1ms);
  REQUIRE(session.phase() == PairingPhase::retrying);
  const auto start = std::chrono::steady_clock::now();
  session.stop();
  CHECK(std::chrono::steady_clock::now() - start < 600s);  // not the hour of the backoff
}

TEST_CASE("the head of a request is refused for another Host, a body without a length or too large") {
  Fixture f;
  auto head = [](std::string method, std::string host, std::optional<std::uint64_t> length, bool chunked) {
    return HttpRequest{std::move(method), "/api/pair", std::move(host), "10.0.2.2", "application/json", kToken, length, chunked, ""};
  };
  const auto rebound = f.session.refuse_head(head("GET", "evil.example.org", std::nullopt, false));
  REQUIRE(rebound);
  CHECK(rebound->status == 421);
  CHECK(rebound->body == "Host 'evil.example.org' is not this node: open the page by the node's name or address\n");
  CHECK(f.session.refuse_head(head("POST", "macula-3456", 48u << 20, false))->status == 413);
  CHECK(f.session.refuse_head(head("POST", "macula-3456", std::nullopt, true))->status == 411);
  CHECK(f.session.refuse_head(head("POST", "macula-3456", std::nullopt, false))->status == 411);
  CHECK(f.session.refuse_head(head("PUT", "macula-3456", std::nullopt, false))->status == 405);
  CHECK_FALSE(f.session.refuse_head(head("POST", "macula-3456.local:80", 60, false)));
  CHECK_FALSE(f.session.refuse_head(head("GET", "10.0.2.15", std::nullopt, false)));
  CHECK(f.session.handle({"GET", "/", "evil.example.org", "10.0.2.2", "", "", std::nullopt, false, ""}).status == 421);
  CHECK(f.session.handle({"GET", "/", "macula-3456", "10.0.2.2", "", "", std::nullopt, false, ""}).body == "<html>the page</html>");
  CHECK(f.session.handle({"GET", "/etc/passwd", "macula-3456", "10.0.2.2", "", "", std::nullopt, false, ""}).status == 404);
  CHECK(f.session.handle({"GET", "/api/pair", "macula-3456", "10.0.2.2", "", "", std::nullopt, false, ""}).status == 405);
}

}  // namespace macula
