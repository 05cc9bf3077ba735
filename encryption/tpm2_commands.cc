#include "encryption/tpm2_commands.h"

#include <mbedtls/sha256.h>

#include <algorithm>
#include <cstdio>

namespace macula::tpm2 {

namespace {

constexpr std::uint16_t kNoSessions = 0x8001, kSessions = 0x8002;  // TPM_ST_NO_SESSIONS, TPM_ST_SESSIONS
constexpr std::uint32_t kRhNull = 0x40000007;
constexpr std::uint16_t kAlgAes = 0x0006, kAlgKeyedHash = 0x0008, kAlgSha256 = 0x000B, kAlgNull = 0x0010,
                        kAlgEcc = 0x0023, kAlgCfb = 0x0043, kCurveP256 = 0x0003;
// TPMA_OBJECT bits
constexpr std::uint32_t kFixedTpm = 1u << 1, kFixedParent = 1u << 4, kSensitiveDataOrigin = 1u << 5,
                        kUserWithAuth = 1u << 6, kNoDa = 1u << 10, kRestricted = 1u << 16, kDecrypt = 1u << 17;

// Big-endian marshalling, as the TPM reads everything.
class Marshal {
 public:
  void reserve(std::size_t n) { bytes_.reserve(n); }
  Marshal& u8(std::uint8_t v) { return bytes_.push_back(v), *this; }
  Marshal& u16(std::uint16_t v) { return u8(static_cast<std::uint8_t>(v >> 8)).u8(static_cast<std::uint8_t>(v)); }
  Marshal& u32(std::uint32_t v) { return u16(static_cast<std::uint16_t>(v >> 16)).u16(static_cast<std::uint16_t>(v)); }
  Marshal& raw(std::span<const std::uint8_t> b) { return bytes_.insert(bytes_.end(), b.begin(), b.end()), *this; }
  Marshal& sized(std::span<const std::uint8_t> b) { return u16(static_cast<std::uint16_t>(b.size())).raw(b); }
  Marshal& auth(const Authorization& a) {
    return u32(static_cast<std::uint32_t>(4 + 2 + a.nonce.size() + 1 + 2 + a.hmac.size()))
        .u32(a.session).sized(a.nonce).u8(a.attributes).sized(a.hmac);
  }
  Bytes take() { return std::move(bytes_); }

 protected:
  Bytes bytes_;
};

// A command: its header (tag, size, code), then what is marshalled after it.
class Command : public Marshal {
 public:
  Command(std::uint16_t tag, CommandCode code) { u16(tag).u32(0).u32(code); }
  Bytes done() {
    const std::uint32_t n = static_cast<std::uint32_t>(bytes_.size());
    for (int i = 0; i < 4; ++i) bytes_[2 + i] = static_cast<std::uint8_t>(n >> (24 - 8 * i));
    return take();
  }
};

// TPMT_PUBLIC of the storage root key, up to its unique field (the point).
Bytes srk_template() {
  return Marshal()
      .u16(kAlgEcc).u16(kAlgSha256)
      .u32(kFixedTpm | kFixedParent | kSensitiveDataOrigin | kUserWithAuth | kNoDa | kRestricted | kDecrypt)
      .u16(0)                                       // authPolicy
      .u16(kAlgAes).u16(128).u16(kAlgCfb)           // symmetric
      .u16(kAlgNull).u16(kCurveP256).u16(kAlgNull)  // scheme, curve, kdf
      .take();
}

// TPMT_PUBLIC of a sealed data object.
Bytes sealed_public(std::span<const std::uint8_t> policy) {
  return Marshal()
      .u16(kAlgKeyedHash).u16(kAlgSha256)
      .u32(kFixedTpm | kFixedParent | kNoDa | (policy.empty() ? kUserWithAuth : 0))
      .sized(policy)
      .u16(kAlgNull)  // keyedhash scheme: none (a sealed data object)
      .u16(0)         // unique
      .take();
}

void pcr_selection(Marshal& c, std::span<const int> pcrs) {
  std::uint8_t select[3] = {0, 0, 0};
  for (int pcr : pcrs)
    if (pcr >= 0 && pcr < 24) select[pcr / 8] |= static_cast<std::uint8_t>(1u << (pcr % 8));
  c.u32(1).u16(kAlgSha256).u8(3).u8(select[0]).u8(select[1]).u8(select[2]);
}

}  // namespace

Bytes authorized(CommandCode code, std::span<const std::uint32_t> handles, const Authorization& authorization,
                 std::span<const std::uint8_t> parameters) {
  Command c(kSessions, code);
  for (std::uint32_t handle : handles) c.u32(handle);
  c.auth(authorization).raw(parameters);
  return c.done();
}

Bytes create_primary() {
  Command c(kSessions, kCreatePrimary);
  c.u32(kOwnerHierarchy).auth({});
  c.u16(4).u16(0).u16(0);  // inSensitive: no password, no data
  c.sized(Marshal().raw(srk_template()).u16(0).u16(0).take());  // unique: empty x and y
  c.u16(0).u32(0);  // outsideInfo, creationPCR
  return c.done();
}

Result<EccPoint> srk_point(std::span<const std::uint8_t> public_area) {
  const Bytes expected = srk_template();
  const std::size_t x = expected.size(), y = x + 2 + 32;  // each a TPM2B of 32 bytes
  auto coordinate = [&](std::size_t at) { return Bytes(public_area.begin() + at + 2, public_area.begin() + at + 34); };
  if (public_area.size() != y + 34 || !std::equal(expected.begin(), expected.end(), public_area.begin()) ||
      public_area[x] != 0 || public_area[x + 1] != 32 || public_area[y] != 0 || public_area[y + 1] != 32)
    return fail(ErrorKind::verification,
                "the TPM's storage root key: expected an ECC P-256 key of the standard SRK template");
  return EccPoint{coordinate(x), coordinate(y)};
}

Bytes object_name(std::span<const std::uint8_t> public_area) {
  Bytes name(2 + 32);
  name[0] = kAlgSha256 >> 8;
  name[1] = kAlgSha256 & 0xff;
  mbedtls_sha256_ret(public_area.data(), public_area.size(), name.data() + 2, 0);
  return name;
}

SecretBytes create_parameters(std::span<const std::uint8_t> secret, std::span<const std::uint8_t> policy) {
  Marshal c;
  c.reserve(64 + secret.size() + policy.size());  // one buffer: no reallocation leaves a copy behind
  c.u16(static_cast<std::uint16_t>(4 + secret.size())).u16(0).sized(secret);
  c.sized(sealed_public(policy));
  c.u16(0).u32(0);  // outsideInfo, creationPCR
  return SecretBytes(c.take());
}

Bytes load(std::uint32_t parent, std::span<const std::uint8_t> private_area, std::span<const std::uint8_t> public_area) {
  Command c(kSessions, kLoad);
  c.u32(parent).auth({}).sized(private_area).sized(public_area);
  return c.done();
}

Bytes flush_context(std::uint32_t handle) {
  Command c(kNoSessions, kFlushContext);
  c.u32(handle);
  return c.done();
}

Bytes start_trial_session(std::span<const std::uint8_t> nonce) {
  Command c(kNoSessions, kStartAuthSession);
  c.u32(kRhNull).u32(kRhNull).sized(nonce).u16(0).u8(static_cast<std::uint8_t>(SessionType::trial));
  c.u16(kAlgNull).u16(kAlgSha256);  // no parameter encryption
  return c.done();
}

Bytes start_salted_session(SessionType type, std::uint32_t tpm_key, std::span<const std::uint8_t> nonce,
                           const EccPoint& encrypted_salt) {
  Command c(kNoSessions, kStartAuthSession);
  c.u32(tpm_key).u32(kRhNull).sized(nonce);
  c.sized(Marshal().sized(encrypted_salt.x).sized(encrypted_salt.y).take());  // a TPMS_ECC_POINT
  c.u8(static_cast<std::uint8_t>(type)).u16(kAlgAes).u16(128).u16(kAlgCfb).u16(kAlgSha256);
  return c.done();
}

Bytes policy_pcr(std::uint32_t session, std::span<const int> pcrs) {
  Command c(kNoSessions, kPolicyPcr);
  c.u32(session).u16(0);  // pcrDigest: empty, the PCRs as they are now
  pcr_selection(c, pcrs);
  return c.done();
}

Bytes policy_get_digest(std::uint32_t session) {
  Command c(kNoSessions, kPolicyGetDigest);
  c.u32(session);
  return c.done();
}

Result<Response> Response::parse(const Bytes& bytes, const std::string& command) {
  if (bytes.size() < 10) return fail("TPM2 " + command + ": a response of " + std::to_string(bytes.size()) + " bytes");
  const std::uint32_t size = static_cast<std::uint32_t>(bytes[2]) << 24 | static_cast<std::uint32_t>(bytes[3]) << 16 |
                             static_cast<std::uint32_t>(bytes[4]) << 8 | bytes[5];
  const std::uint32_t code = static_cast<std::uint32_t>(bytes[6]) << 24 | static_cast<std::uint32_t>(bytes[7]) << 16 |
                             static_cast<std::uint32_t>(bytes[8]) << 8 | bytes[9];
  if (size != bytes.size())
    return fail("TPM2 " + command + ": the response says " + std::to_string(size) + " bytes, " +
                std::to_string(bytes.size()) + " came");
  if (code != 0) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%03x", code);
    return fail("TPM2 " + command + " failed: response code " + hex);
  }
  return Response(bytes, command);
}

Result<void> Response::need(std::size_t n) {
  if (bytes_.size() - at_ < n) return fail("TPM2 " + command_ + ": the response ends early");
  return {};
}

Result<std::uint8_t> Response::u8() {
  if (auto r = need(1); !r) return fail(r.error());
  return bytes_[at_++];
}

Result<Bytes> Response::raw(std::size_t n) {
  if (auto r = need(n); !r) return fail(r.error());
  Bytes out(bytes_.begin() + static_cast<std::ptrdiff_t>(at_), bytes_.begin() + static_cast<std::ptrdiff_t>(at_ + n));
  at_ += n;
  return out;
}

Result<std::uint32_t> Response::u32() {
  if (auto r = need(4); !r) return fail(r.error());
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = v << 8 | bytes_[at_++];
  return v;
}

Result<void> Response::skip_parameter_size() {
  if (auto size = u32(); !size) return fail(size.error());
  return {};
}

Result<Bytes> Response::sized() {
  if (auto r = need(2); !r) return fail(r.error());
  const std::size_t n = static_cast<std::size_t>(bytes_[at_]) << 8 | bytes_[at_ + 1];
  at_ += 2;
  return raw(n);
}

}  // namespace macula::tpm2
