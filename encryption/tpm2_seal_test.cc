#include "encryption/tpm2_seal.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <map>

#include "encryption/tpm2_session.h"
#include "tests/hex_bytes.h"

namespace macula {
namespace {

using tpm2::Bytes;
using tpm2::EccPoint;

// Two P-256 keys made by openssl ecparam: the storage root keys of two TPMs.
struct KeyPair {
  Bytes private_key;
  EccPoint point;
};
const KeyPair kSrkA{hex("8bb3e8c2b03b14bf8d5781730d3cf43ea32acddb6b058e755c5d74a89a2ae01c"),
                    {hex("2afdc6ef8c9e50a2d635c6d18dff7ffe2c1e753374f837d133b1c4f8013425a0"),
                     hex("322e437e32182ac96bc6766608798783ecca9cd9f93ac9211ace0a97f464be14")}};
const KeyPair kSrkB{hex("f085acc384992c281b6cc061031c5c6b97a2c9beced56cb297f35d283cf3125c"),
                    {hex("1814125bc26a805460d4c0478a5f4e3391a83ae32c3c02132136b9c82ed05189"),
                     hex("a49102083729ecad6b54ea17382426bf6b7faeb3e03c5f3702dcb3eb949d0601")}};

constexpr std::uint32_t kRcPolicyFail = 0x99d, kRcAuthFail = 0x98e;

struct Writer {
  Bytes bytes;
  Writer& number(std::uint32_t v, int n) {
    while (n--) bytes.push_back(static_cast<std::uint8_t>(v >> (8 * n)));
    return *this;
  }
  Writer& raw(std::span<const std::uint8_t> b) { return bytes.insert(bytes.end(), b.begin(), b.end()), *this; }
  Writer& sized(std::span<const std::uint8_t> b) { return number(static_cast<std::uint32_t>(b.size()), 2).raw(b); }
};

Bytes srk_public_area(const EccPoint& point) {
  return Writer{hex("0023 000b 00030472 0000 0006 0080 0043 0010 0003 0010")}.sized(point.x).sized(point.y).bytes;
}

Bytes with_header(std::uint16_t tag, std::uint32_t code, const Bytes& body) {
  return Writer()
      .number(tag, 2)
      .number(static_cast<std::uint32_t>(10 + body.size()), 4)
      .number(code, 4)
      .raw(body)
      .bytes;
}

// A TPM as far as seal() and unseal() need one, built from the same primitives as the
// caller's side of the session: it decrypts the salt with its SRK's private key, checks every
// command's HMAC, decrypts inSensitive, encrypts outData and signs its answers. It records every
// byte that crosses the "bus", and lets a test change an answer on its way back.
class FakeTpm final : public TpmTransport {
 public:
  FakeTpm(const KeyPair& srk, const EccPoint& claimed) : srk_(srk), public_area_(srk_public_area(claimed)) {}
  explicit FakeTpm(const KeyPair& srk) : FakeTpm(srk, srk.point) {}

  Result<Bytes> transmit(const Bytes& command) override {
    traffic.push_back(command);
    Bytes response = answer(command);
    const std::uint32_t code = ByteReader{command, 6}.number(4);
    if (tamper) tamper(code, response);
    traffic.push_back(response);
    return response;
  }

  bool crosses_in_clear(std::span<const std::uint8_t> secret) const {
    return std::any_of(traffic.begin(), traffic.end(), [&](const Bytes& bytes) {
      return std::search(bytes.begin(), bytes.end(), secret.begin(), secret.end()) != bytes.end();
    });
  }

  std::vector<Bytes> traffic;
  std::function<void(std::uint32_t code, Bytes& response)> tamper;
  std::map<Bytes, std::pair<Bytes, Bytes>> sealed;  // private blob: secret, public area
  std::vector<std::uint8_t> unseal_session_types;
  bool checks_hmacs = true;  // false: a device on the bus that answers in the TPM's place

 private:
  struct Session {
    Bytes key, nonce_tpm;
    std::uint8_t type = 0;
    bool pcrs_checked = false;
  };

  Bytes answer(const Bytes& command) {
    ByteReader r{command};
    r.number(2);
    r.number(4);
    const std::uint32_t code = r.number(4);
    switch (code) {
      case tpm2::kCreatePrimary: {
        const Bytes parameters = Writer().sized(public_area_).sized(tpm2::object_name(public_area_)).bytes;
        objects_[0x80000000] = public_area_;
        return with_header(0x8002, 0,
                           Writer()
                               .number(0x80000000, 4)
                               .number(static_cast<std::uint32_t>(parameters.size()), 4)
                               .raw(parameters)
                               .raw(hex("0000 01 0000"))
                               .bytes);
      }
      case tpm2::kStartAuthSession: {
        const std::uint32_t tpm_key = r.number(4);
        r.number(4);
        const Bytes nonce_caller = r.sized();
        const Bytes encrypted_salt = r.sized();
        ByteReader salt{encrypted_salt};
        Session session;
        session.type = static_cast<std::uint8_t>(r.number(1));
        session.nonce_tpm = Bytes(32, static_cast<std::uint8_t>(0x40 + sessions_.size()));
        if (tpm_key != 0x40000007) {
          Bytes x = salt.sized(), y = salt.sized();
          auto z = tpm2::ecdh_x(srk_.private_key, EccPoint{x, y});
          if (!z) return with_header(0x8001, 0x2d8, {});  // TPM_RC_ECC_POINT
          const SecretBytes seed = tpm2::kdfe(*z, "SECRET", x, srk_.point.x, 256);
          session.key = tpm2::kdfa(seed, "ATH", session.nonce_tpm, nonce_caller, 256).bytes();
        }
        const std::uint32_t handle =
            (session.type == 0 ? 0x02000000u : 0x03000000u) + static_cast<std::uint32_t>(sessions_.size());
        const Bytes nonce_tpm = session.nonce_tpm;
        sessions_[handle] = std::move(session);
        return with_header(0x8001, 0, Writer().number(handle, 4).sized(nonce_tpm).bytes);
      }
      case tpm2::kPolicyPcr:
        sessions_[r.number(4)].pcrs_checked = true;
        return with_header(0x8001, 0, {});
      case tpm2::kPolicyGetDigest:
        return with_header(0x8001, 0, Writer().sized(Bytes(32, 0x77)).bytes);
      case tpm2::kFlushContext:
        return with_header(0x8001, 0, {});
      case tpm2::kLoad: {
        r.number(4);
        r.raw(r.number(4));  // the password authorization
        const Bytes private_area = r.sized();
        if (!sealed.contains(private_area)) return with_header(0x8001, 0x1df, {});  // TPM_RC_INTEGRITY
        objects_[0x80000001] = sealed[private_area].second;
        loaded_ = private_area;
        const Bytes parameters = Writer().sized(tpm2::object_name(objects_[0x80000001])).bytes;
        return with_header(0x8002, 0,
                           Writer()
                               .number(0x80000001, 4)
                               .number(static_cast<std::uint32_t>(parameters.size()), 4)
                               .raw(parameters)
                               .raw(hex("0000 01 0000"))
                               .bytes);
      }
      case tpm2::kCreate:
      case tpm2::kUnseal:
        return authorized(code, r);
    }
    return with_header(0x8001, 0x143, {});  // TPM_RC_COMMAND_CODE
  }

  // Create and Unseal: one handle, one session.
  Bytes authorized(std::uint32_t code, ByteReader& r) {
    const std::uint32_t handle = r.number(4);
    r.number(4);
    Session& session = sessions_[r.number(4)];
    const Bytes nonce_caller = r.sized();
    const std::uint8_t attributes = static_cast<std::uint8_t>(r.number(1));
    const Bytes hmac = r.sized();
    Bytes parameters = r.rest();
    const Bytes cp_hash =
        tpm2::sha256(Writer().number(code, 4).raw(tpm2::object_name(objects_[handle])).raw(parameters).bytes);
    if (checks_hmacs &&
        hmac != tpm2::hmac_sha256(
                    session.key,
                    Writer().raw(cp_hash).raw(nonce_caller).raw(session.nonce_tpm).number(attributes, 1).bytes))
      return with_header(0x8001, kRcAuthFail, {});
    if (attributes & tpm2::Session::kDecrypt)
      (void)tpm2::crypt_first_parameter(parameters,
                                        tpm2::kdfa(session.key, "CFB", nonce_caller, session.nonce_tpm, 256), false);

    Bytes out;
    if (code == tpm2::kCreate) {
      ByteReader in{parameters};
      in.number(2);
      in.sized();  // userAuth
      const Bytes secret = in.sized();
      const Bytes public_area = in.sized();
      const Bytes blob = Writer().raw(hex("b10b")).number(static_cast<std::uint32_t>(sealed.size()), 4).bytes;
      sealed[blob] = {secret, public_area};
      out = Writer().sized(blob).sized(public_area).bytes;
    } else {
      const auto& [secret, public_area] = sealed[loaded_];
      const bool needs_policy = ByteReader{public_area, 8}.number(2) != 0;  // authPolicy's size
      unseal_session_types.push_back(session.type);
      if (needs_policy && !(session.type == 1 && session.pcrs_checked)) return with_header(0x8001, kRcPolicyFail, {});
      out = Writer().sized(secret).bytes;
    }
    session.nonce_tpm = Bytes(32, static_cast<std::uint8_t>(session.nonce_tpm[0] + 1));
    if (attributes & tpm2::Session::kEncrypt)
      (void)tpm2::crypt_first_parameter(out, tpm2::kdfa(session.key, "CFB", session.nonce_tpm, nonce_caller, 256),
                                        true);
    const Bytes rp_hash = tpm2::sha256(Writer().number(0, 4).number(code, 4).raw(out).bytes);
    const Bytes response_hmac = tpm2::hmac_sha256(
        session.key, Writer().raw(rp_hash).raw(session.nonce_tpm).raw(nonce_caller).number(attributes, 1).bytes);
    return with_header(0x8002, 0,
                       Writer()
                           .number(static_cast<std::uint32_t>(out.size()), 4)
                           .raw(out)
                           .sized(session.nonce_tpm)
                           .number(attributes, 1)
                           .sized(response_hmac)
                           .bytes);
  }

  KeyPair srk_;
  Bytes public_area_;
  std::map<std::uint32_t, Session> sessions_;
  std::map<std::uint32_t, Bytes> objects_;
  Bytes loaded_;
};

const Bytes kSecret = hex("5ec2e7000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c");

TEST_CASE("seal and unseal: the key never crosses the bus in the clear") {
  for (const std::vector<int>& pcrs : {std::vector<int>{}, std::vector<int>{7}}) {
    FakeTpm tpm(kSrkA);
    auto sealed = seal(tpm, kSecret, pcrs);
    REQUIRE(sealed);
    CHECK(sealed->srk_public == srk_public_area(kSrkA.point));
    CHECK(sealed->pcrs == pcrs);
    auto unsealed = unseal(tpm, *sealed);
    REQUIRE(unsealed);
    CHECK(unsealed->bytes() == kSecret);
    CHECK(tpm.unseal_session_types == std::vector<std::uint8_t>{static_cast<std::uint8_t>(pcrs.empty() ? 0 : 1)});
    CHECK_FALSE(tpm.crosses_in_clear(kSecret));
    CHECK(tpm.crosses_in_clear(srk_public_area(kSrkA.point)));  // the search finds what does cross
  }
}

TEST_CASE("an answer changed on the bus is refused, naming the command") {
  FakeTpm tpm(kSrkA);
  auto sealed = seal(tpm, kSecret, {7});
  REQUIRE(sealed);
  tpm.tamper = [](std::uint32_t code, Bytes& response) {
    if (code == tpm2::kUnseal) response[16] ^= 0x01;  // a bit of the encrypted key
  };
  auto unsealed = unseal(tpm, *sealed);
  REQUIRE_FALSE(unsealed);
  CHECK(unsealed.error().message ==
        "TPM2 Unseal: the response's HMAC does not match: the answer is not from the TPM the session was salted to");
}

TEST_CASE("a bound PCR that changed: the TPM refuses the policy, and unseal says why") {
  FakeTpm tpm(kSrkA);
  auto sealed = seal(tpm, kSecret, {7});
  REQUIRE(sealed);
  tpm.tamper = [](std::uint32_t code, Bytes& response) {
    if (code == tpm2::kUnseal) response = with_header(0x8001, kRcPolicyFail, {});
  };
  auto unsealed = unseal(tpm, *sealed);
  REQUIRE_FALSE(unsealed);
  CHECK(unsealed.error().message ==
        "a bound PCR has changed since the key was sealed: TPM2 Unseal failed: response code 0x99d");
}

TEST_CASE("a TPM whose storage root key is not the recorded one is refused before Load") {
  FakeTpm first(kSrkA);
  auto sealed = seal(first, kSecret, {});
  REQUIRE(sealed);
  FakeTpm other(kSrkB);
  other.sealed = first.sealed;
  auto unsealed = unseal(other, *sealed);
  REQUIRE_FALSE(unsealed);
  CHECK(unsealed.error().kind == ErrorKind::refused);
  CHECK(unsealed.error().message.starts_with("this TPM's storage root key is not the one the key was sealed to"));
}

TEST_CASE("a device that claims the recorded key cannot learn the session key, nor answer for the TPM") {
  FakeTpm first(kSrkA);
  auto sealed = seal(first, kSecret, {});
  REQUIRE(sealed);
  FakeTpm impostor(kSrkB, kSrkA.point);  // shows A's public key, holds B's private key
  impostor.sealed = first.sealed;
  impostor.checks_hmacs = false;
  auto unsealed = unseal(impostor, *sealed);
  REQUIRE_FALSE(unsealed);
  CHECK(unsealed.error().message ==
        "TPM2 Unseal: the response's HMAC does not match: the answer is not from the TPM the session was salted to");
  impostor.checks_hmacs = true;  // a TPM with another key cannot even accept our command
  CHECK(unseal(impostor, *sealed).error().message == "TPM2 Unseal failed: response code 0x98e");
}

TEST_CASE("a token made before the SRK was recorded unseals, salted to the SRK the TPM shows") {
  FakeTpm tpm(kSrkA);
  auto sealed = seal(tpm, kSecret, {7});
  REQUIRE(sealed);
  sealed->srk_public.clear();
  auto unsealed = unseal(tpm, *sealed);
  REQUIRE(unsealed);
  CHECK(unsealed->bytes() == kSecret);
  CHECK_FALSE(tpm.crosses_in_clear(kSecret));
}

}  // namespace
}  // namespace macula
