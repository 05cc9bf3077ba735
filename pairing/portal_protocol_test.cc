#include "pairing/portal_protocol.h"

#include <sodium.h>

#include <catch2/catch.hpp>

#include "common/json_fields.h"
#include "pairing/portal_test_key.h"

namespace macula {

namespace {

std::string answer_body(std::string_view extra = "") {
  return std::string(R"({"challenge": "Y2hhbGxlbmdlIG9mIDMyIGJ5dGVzIGZyb20gdGhlIFBvcnRhbA==",
 "public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBKk node",
 "refresh_token": "rt-0123456789abcdef0123",
 "user": {"id": "u-1", "name": "Ada"}, "organisation": {"id": "o-7", "name": "Edge Farm"},
 "certificates": {"ca": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"})") +
         std::string(extra) + "}";
}

}  // namespace

TEST_CASE("the pair request carries what the node signed, and the signature covers every field") {
  const std::string text = pair_signed_text(kSent);
  CHECK(text == "macula-pair-v1\n" + kSent.challenge + "\nWXYZ7788\nmacula-3456\n" + kSent.public_key + "\n");
  Ed25519Signature signature{};
  signature.fill(0xab);
  auto body = parse_json_object(pair_request_body(kSent, signature), "request");
  REQUIRE(body);
  CHECK(std::string(field_string(body->get(), "hostname")) == "macula-3456");
  CHECK(std::string(field_string(body->get(), "signature")).starts_with("q6ur"));  // 0xab 0xab 0xab
  PairRequest other = kSent;
  other.hostname = "macula-9999";
  CHECK(pair_signed_text(other) != text);
}

TEST_CASE("the challenge is asked for by the node key, which the Portal binds the code to") {
  auto body = parse_json_object(challenge_request_body("WXYZ7788", kSent.public_key), "request");
  REQUIRE(body);
  CHECK(std::string(field_string(body->get(), "pairing_code")) == "WXYZ7788");
  CHECK(std::string(field_string(body->get(), "public_key")) == kSent.public_key);
}

TEST_CASE("a challenge is base64 of at least 32 bytes") {
  CHECK(parse_challenge(R"({"challenge": ")" + kSent.challenge + "\"}").value() == kSent.challenge);
  CHECK_FALSE(parse_challenge(R"({"challenge": "c2hvcnQ="})"));
  CHECK_FALSE(parse_challenge(R"({"challenge": "not base64!"})"));
  CHECK_FALSE(parse_challenge("<html>Bad Gateway</html>"));
}

TEST_CASE("an answer signed by the Portal for this request is read whole") {
  PortalTestKey portal{1};
  const std::string body = answer_body(R"(, "gitops": {"url": "https://git.example.org/fleet.git", "path": "./edge"})");
  auto answer = parse_pair_answer(body, portal.sign(body), portal.public_key, kSent);
  REQUIRE(answer);
  CHECK(answer->refresh_token == "rt-0123456789abcdef0123");
  CHECK(answer->user_name == "Ada");
  CHECK(answer->organisation_id == "o-7");
  REQUIRE(answer->certificates.size() == 1);
  CHECK(answer->certificates[0].name == "ca");
  REQUIRE(answer->gitops);
  CHECK(answer->gitops->url == "https://git.example.org/fleet.git");
  CHECK(answer->gitops->branch == "main");
  CHECK(answer->gitops->path == "./edge");
}

TEST_CASE("an answer is refused unless the Portal signed exactly it, for this request, in shape") {
  PortalTestKey portal{1}, other{2};
  const std::string body = answer_body();
  auto refused = [&](const std::string& text, const std::string& signature) {
    auto answer = parse_pair_answer(text, signature, portal.public_key, kSent);
    REQUIRE_FALSE(answer);
    return answer.error().message;
  };
  CHECK(refused(body, other.sign(body)).find("not signed by the Portal's key") != std::string::npos);
  CHECK(refused(body, "").find("not signed") != std::string::npos);
  CHECK(refused(body + " ", portal.sign(body)).find("not signed") != std::string::npos);
  CHECK(refused("garbage", portal.sign("garbage")).find("not valid JSON") != std::string::npos);
  PairRequest replayed = kSent;
  replayed.challenge = "b3RoZXIgY2hhbGxlbmdlIG9mIDMyIGJ5dGVzIGZyb20gdGhlIFA=";
  CHECK_FALSE(parse_pair_answer(body, portal.sign(body), portal.public_key, replayed));
  const std::string bad_gitops = answer_body(R"(, "gitops": {"url": "git://git.example.org/fleet"})");
  CHECK(refused(bad_gitops, portal.sign(bad_gitops)) ==
        "the Portal's answer: \"gitops.url\": \"git://git.example.org/fleet\": expected the https:// URL of a Git repository");
  std::string no_token = body;
  no_token.replace(no_token.find("rt-"), 3, "\\n-");
  CHECK(refused(no_token, portal.sign(no_token)).find("refresh_token") != std::string::npos);
  std::string bad_name = body;
  bad_name.replace(bad_name.find("\"ca\""), 4, "\"../ca\"");
  CHECK(refused(bad_name, portal.sign(bad_name)).find("certificate name '../ca'") != std::string::npos);
}

TEST_CASE("the signing key is the base64 of 32 bytes") {
  PortalTestKey portal{1};
  char text[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(text, sizeof text, portal.public_key.data(), 32, sodium_base64_VARIANT_ORIGINAL);
  CHECK(parse_signing_key(text).value() == portal.public_key);
  CHECK_FALSE(parse_signing_key("c2hvcnQ="));
}

TEST_CASE("a refusal is told in the Portal's words when it gives them") {
  CHECK(portal_refusal(404, R"j({"error": "no such pairing code (or it expired)"})j") == "no such pairing code (or it expired)");
  CHECK(portal_refusal(403, "<html>") == "HTTP 403");
}

}  // namespace macula
