#include "pairing/portal_protocol.h"

#include <sodium.h>

#include <regex>

#include "common/base64.h"
#include "common/json.h"
#include "common/json_fields.h"
#include "config/config_schema.h"

namespace macula {

namespace {

constexpr std::string_view kSignedTextVersion = "macula-pair-v1";

std::optional<std::string> from_base64(std::string_view text) {
  std::string bytes(text.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(), text.size(), nullptr,
                        &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  bytes.resize(length);
  return bytes;
}

// A printable one-line string of 1 to max characters.
bool printable(const char* text, size_t max) {
  if (!text) return false;
  const std::string_view s(text);
  if (s.empty() || s.size() > max) return false;
  for (const char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  return true;
}

struct Party {
  std::string id, name;
};

Result<Party> party(json_object* answer, const char* key) {
  json_object* object = nullptr;
  if (!json_object_object_get_ex(answer, key, &object) || !json_object_is_type(object, json_type_object) ||
      !printable(field_string(object, "id"), 200))
    return fail(std::string("\"") + key + "\": expected an object with an \"id\"");
  const char* name = field_string(object, "name");
  if (name && !printable(name, 200)) return fail(std::string("\"") + key + ".name\": expected one line of text");
  return Party{field_string(object, "id"), name ? name : ""};
}

Result<std::vector<PortalCertificate>> certificates(json_object* answer) {
  json_object* object = nullptr;
  std::vector<PortalCertificate> out;
  if (!json_object_object_get_ex(answer, "certificates", &object)) return out;
  if (!json_object_is_type(object, json_type_object)) return fail("\"certificates\": expected an object of PEM texts");
  const std::regex name_shape("[a-z0-9][a-z0-9-]{0,31}");
  json_object_object_foreach(object, name, value) {
    const char* pem = json_object_is_type(value, json_type_string) ? json_object_get_string(value) : nullptr;
    if (!std::regex_match(name, name_shape)) return fail(std::string("certificate name '") + name + "': expected a-z, 0-9 and -");
    if (!pem || !std::string_view(pem).starts_with("-----BEGIN CERTIFICATE-----") ||
        std::string_view(pem).find("-----END CERTIFICATE-----") == std::string_view::npos)
      return fail(std::string("certificate '") + name + "': expected a PEM certificate");
    out.push_back({name, pem});
  }
  return out;
}

Result<std::optional<GitopsSource>> gitops(json_object* answer) {
  json_object* object = nullptr;
  if (!json_object_object_get_ex(answer, "gitops", &object) || json_object_is_type(object, json_type_null))
    return std::optional<GitopsSource>();
  if (!json_object_is_type(object, json_type_object)) return fail("\"gitops\": expected an object with a \"url\"");
  GitopsSource source;
  const std::pair<const char*, std::string*> fields[] = {{"url", &source.url}, {"branch", &source.branch}, {"path", &source.path}};
  for (const auto& [key, value] : fields) {
    const char* text = field_string(object, key);
    if (!text && value != &source.url) continue;  // branch and path have defaults
    const std::string dotted = std::string("maculaos.setup.gitops.") + key;
    const std::string problem = text ? setting_problem(dotted, text) : "missing";
    if (!problem.empty()) return fail("\"gitops." + std::string(key) + "\": " + problem);
    *value = text;
  }
  return std::optional<GitopsSource>(source);
}

}  // namespace

std::string challenge_request_body(std::string_view pairing_code, std::string_view public_key) {
  return JsonObject().add("pairing_code", pairing_code).add("public_key", public_key).str() + "\n";
}

Result<std::string> parse_challenge(std::string_view body) {
  auto answer = parse_json_object(body, "the Portal's challenge");
  if (!answer) return fail(answer.error());
  const char* challenge = field_string(answer->get(), "challenge");
  const auto bytes = challenge ? from_base64(challenge) : std::nullopt;
  if (!bytes || bytes->size() < 32 || bytes->size() > 128)
    return fail("the Portal's challenge: expected \"challenge\", base64 of 32 to 128 bytes");
  return std::string(challenge);
}

std::string pair_signed_text(const PairRequest& request) {
  return std::string(kSignedTextVersion) + "\n" + request.challenge + "\n" + request.pairing_code + "\n" + request.hostname +
         "\n" + request.public_key + "\n";
}

std::string pair_request_body(const PairRequest& request, const Ed25519Signature& signature) {
  return JsonObject()
             .add("pairing_code", request.pairing_code)
             .add("hostname", request.hostname)
             .add("public_key", request.public_key)
             .add("challenge", request.challenge)
             .add("signature", base64_text(std::string_view(reinterpret_cast<const char*>(signature.data()), signature.size()), true))
             .str() +
         "\n";
}

Result<Ed25519PublicKey> parse_signing_key(std::string_view base64) {
  const auto bytes = from_base64(base64);
  Ed25519PublicKey key{};
  if (!bytes || bytes->size() != key.size())
    return fail("maculaos.portal.signing_key '" + std::string(base64.substr(0, 60)) +
                "': expected the base64 of the Portal's 32-byte Ed25519 public key");
  std::copy(bytes->begin(), bytes->end(), key.begin());
  return key;
}

Result<PairAnswer> parse_pair_answer(std::string_view body, std::string_view signature, const Ed25519PublicKey& portal_key,
                                     const PairRequest& sent) {
  const auto signature_bytes = from_base64(signature);
  if (!signature_bytes || signature_bytes->size() != crypto_sign_BYTES ||
      crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature_bytes->data()),
                                  reinterpret_cast<const unsigned char*>(body.data()), body.size(), portal_key.data()) != 0)
    return fail(std::string("the Portal's answer: not signed by the Portal's key (") + kPortalSignatureHeader +
                " against maculaos.portal.signing_key)");
  auto parsed = parse_json_object(body, "the Portal's answer");
  if (!parsed) return fail(parsed.error());
  json_object* answer = parsed->get();
  const char* challenge = field_string(answer, "challenge");
  const char* public_key = field_string(answer, "public_key");
  if (!challenge || challenge != sent.challenge || !public_key || public_key != sent.public_key)
    return fail("the Portal's answer: it answers another request (its challenge or public key is not ours)");
  PairAnswer out;
  const char* token = field_string(answer, "refresh_token");
  if (!token || !std::regex_match(token, std::regex("[A-Za-z0-9._~+/=-]{16,4096}")))
    return fail("the Portal's answer: \"refresh_token\": expected 16 to 4096 token characters");
  out.refresh_token = token;
  auto user = party(answer, "user");
  if (!user) return fail("the Portal's answer", user.error());
  auto organisation = party(answer, "organisation");
  if (!organisation) return fail("the Portal's answer", organisation.error());
  out.user_id = user->id, out.user_name = user->name;
  out.organisation_id = organisation->id, out.organisation_name = organisation->name;
  auto certs = certificates(answer);
  if (!certs) return fail("the Portal's answer", certs.error());
  out.certificates = std::move(*certs);
  auto source = gitops(answer);
  if (!source) return fail("the Portal's answer", source.error());
  out.gitops = std::move(*source);
  return out;
}

std::string portal_refusal(long status, std::string_view body) {
  if (auto answer = parse_json_object(body, "the Portal's refusal"))
    if (const char* error = field_string(answer->get(), "error"); printable(error, 300)) return error;
  return "HTTP " + std::to_string(status);
}

}  // namespace macula
