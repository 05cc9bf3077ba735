#include "encryption/tpm2_session.h"

#include <mbedtls/aes.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>
#include <mbedtls/md.h>
#include <mbedtls/sha256.h>
#include <sodium.h>

#include <algorithm>

namespace macula::tpm2 {

namespace {

constexpr std::size_t kDigestBytes = 32, kCoordinateBytes = 32;

void append(Bytes& to, std::span<const std::uint8_t> bytes) { to.insert(to.end(), bytes.begin(), bytes.end()); }
void append_u32(Bytes& to, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) to.push_back(static_cast<std::uint8_t>(v >> shift));
}
void append_label(Bytes& to, std::string_view label) {
  to.insert(to.end(), label.begin(), label.end());
  to.push_back(0);
}

int random_bytes(void*, unsigned char* out, std::size_t n) {
  ::randombytes_buf(out, n);
  return 0;
}

Bytes random_nonce() {
  Bytes nonce(kDigestBytes);
  ::randombytes_buf(nonce.data(), nonce.size());
  return nonce;
}

// The counter-mode loop both KDFs share: block(counter) until `bits` are made.
template <typename Block>
SecretBytes counter_mode(std::size_t bits, Block block) {
  SecretBytes out((bits + 7) / 8);
  for (std::uint32_t counter = 1, at = 0; at < out.size(); ++counter) {
    SecretBytes digest(block(counter));
    const std::size_t n = std::min(digest.size(), out.size() - at);
    std::copy_n(digest.data(), n, out.data() + at);
    at += static_cast<std::uint32_t>(n);
  }
  return out;
}

struct Group {
  Group() {
    mbedtls_ecp_group_init(&group);
    mbedtls_ecp_group_load(&group, MBEDTLS_ECP_DP_SECP256R1);
  }
  ~Group() { mbedtls_ecp_group_free(&group); }
  mbedtls_ecp_group group;
};
struct Point {
  Point() { mbedtls_ecp_point_init(&point); }
  ~Point() { mbedtls_ecp_point_free(&point); }
  mbedtls_ecp_point point;
};
struct Scalar {
  Scalar() { mbedtls_mpi_init(&mpi); }
  ~Scalar() { mbedtls_mpi_free(&mpi); }  // mbedtls_mpi_free zeroes the limbs
  mbedtls_mpi mpi;
};

Result<SecretBytes> coordinate(const mbedtls_mpi& value) {
  SecretBytes out(kCoordinateBytes);
  if (mbedtls_mpi_write_binary(&value, out.data(), out.size()) != 0) return fail("a P-256 coordinate over 32 bytes");
  return out;
}

}  // namespace

Bytes sha256(std::span<const std::uint8_t> data) {
  Bytes digest(kDigestBytes);
  mbedtls_sha256_ret(data.data(), data.size(), digest.data(), 0);
  return digest;
}

Bytes hmac_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
  Bytes mac(kDigestBytes);
  mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), key.data(), key.size(), data.data(), data.size(),
                  mac.data());
  return mac;
}

SecretBytes kdfa(std::span<const std::uint8_t> key, std::string_view label, std::span<const std::uint8_t> context_u,
                 std::span<const std::uint8_t> context_v, std::size_t bits) {
  return counter_mode(bits, [&](std::uint32_t counter) {
    Bytes input;
    append_u32(input, counter);
    append_label(input, label);
    append(input, context_u);
    append(input, context_v);
    append_u32(input, static_cast<std::uint32_t>(bits));
    return hmac_sha256(key, input);
  });
}

SecretBytes kdfe(std::span<const std::uint8_t> z, std::string_view label, std::span<const std::uint8_t> party_u,
                 std::span<const std::uint8_t> party_v, std::size_t bits) {
  return counter_mode(bits, [&](std::uint32_t counter) {
    Bytes buffer;
    buffer.reserve(4 + z.size() + label.size() + 1 + party_u.size() + party_v.size());
    append_u32(buffer, counter);
    append(buffer, z);
    append_label(buffer, label);
    append(buffer, party_u);
    append(buffer, party_v);
    SecretBytes holds_z(std::move(buffer));
    return sha256(holds_z);
  });
}

void aes128_cfb(std::span<const std::uint8_t> key_iv, std::span<std::uint8_t> data, bool encrypt) {
  mbedtls_aes_context aes;
  mbedtls_aes_init(&aes);
  mbedtls_aes_setkey_enc(&aes, key_iv.data(), 128);  // CFB runs the block cipher forwards both ways
  std::uint8_t iv[16];
  std::copy_n(key_iv.data() + 16, sizeof iv, iv);
  std::size_t offset = 0;
  mbedtls_aes_crypt_cfb128(&aes, encrypt ? MBEDTLS_AES_ENCRYPT : MBEDTLS_AES_DECRYPT, data.size(), &offset, iv,
                           data.data(), data.data());
  mbedtls_aes_free(&aes);  // zeroes the key schedule
  ::sodium_memzero(iv, sizeof iv);
}

Result<SecretBytes> ecdh_x(std::span<const std::uint8_t> private_key, const EccPoint& point) {
  Group g;
  Point q, shared;
  Scalar d;
  if (point.x.size() != kCoordinateBytes || point.y.size() != kCoordinateBytes ||
      mbedtls_mpi_read_binary(&q.point.X, point.x.data(), point.x.size()) != 0 ||
      mbedtls_mpi_read_binary(&q.point.Y, point.y.data(), point.y.size()) != 0 ||
      mbedtls_mpi_lset(&q.point.Z, 1) != 0 || mbedtls_ecp_check_pubkey(&g.group, &q.point) != 0)
    return fail(ErrorKind::verification, "ECDH: expected a point on NIST P-256");
  if (mbedtls_mpi_read_binary(&d.mpi, private_key.data(), private_key.size()) != 0 ||
      mbedtls_ecp_check_privkey(&g.group, &d.mpi) != 0)
    return fail("ECDH: expected a P-256 private key");
  if (mbedtls_ecp_mul(&g.group, &shared.point, &d.mpi, &q.point, random_bytes, nullptr) != 0)
    return fail("ECDH on P-256 failed");
  return coordinate(shared.point.X);
}

Result<Salt> salt_for(const EccPoint& srk) {
  Group g;
  Point ephemeral;
  Scalar d;
  if (mbedtls_ecp_gen_keypair(&g.group, &d.mpi, &ephemeral.point, random_bytes, nullptr) != 0)
    return fail("make an ephemeral P-256 key");
  auto private_key = coordinate(d.mpi);
  auto x = private_key ? coordinate(ephemeral.point.X) : fail(private_key.error());
  auto y = x ? coordinate(ephemeral.point.Y) : fail(x.error());
  if (!y) return fail(y.error());
  auto z = ecdh_x(*private_key, srk);
  if (!z) return fail("salt a session to the TPM's storage root key", z.error());
  EccPoint encrypted{x->bytes(), y->bytes()};
  // Part 1 §C.6.4: partyUInfo is the ephemeral key's x, partyVInfo the TPM key's x.
  SecretBytes salt = kdfe(*z, "SECRET", encrypted.x, srk.x, kDigestBytes * 8);
  return Salt{std::move(salt), std::move(encrypted)};
}

Result<void> crypt_first_parameter(std::span<std::uint8_t> parameters, std::span<const std::uint8_t> key_iv,
                                   bool encrypt) {
  if (parameters.size() < 2) return fail("an encrypted parameter: expected a sized buffer first");
  const std::size_t n = static_cast<std::size_t>(parameters[0]) << 8 | parameters[1];
  if (parameters.size() - 2 < n) return fail("an encrypted parameter: its size runs past the parameters");
  aes128_cfb(key_iv, parameters.subspan(2, n), encrypt);
  return {};
}

Session::Session(std::uint32_t handle, const SecretBytes& salt, Bytes nonce_caller, Bytes nonce_tpm)
    : handle_(handle),
      key_(kdfa(salt, "ATH", nonce_tpm, nonce_caller, kDigestBytes * 8)),  // unbound: the salt alone
      nonce_caller_(std::move(nonce_caller)),
      nonce_tpm_(std::move(nonce_tpm)) {}

SecretBytes Session::cfb_key(std::span<const std::uint8_t> newer, std::span<const std::uint8_t> older) const {
  return kdfa(key_, "CFB", newer, older, 128 + 128);
}

Bytes Session::auth_hmac(std::span<const std::uint8_t> p_hash, std::span<const std::uint8_t> newer,
                         std::span<const std::uint8_t> older, std::uint8_t attributes) const {
  Bytes input;
  append(input, p_hash);
  append(input, newer);
  append(input, older);
  input.push_back(attributes);
  return hmac_sha256(key_, input);
}

Result<Bytes> Session::command(CommandCode code, std::span<const std::uint32_t> handles, std::span<const Bytes> names,
                               SecretBytes parameters, std::uint8_t attributes) {
  nonce_caller_ = random_nonce();
  attributes_ = attributes;
  if (attributes & kDecrypt)
    if (auto r = crypt_first_parameter(parameters.span(), cfb_key(nonce_caller_, nonce_tpm_), true); !r)
      return fail(r.error());
  Bytes cp;
  append_u32(cp, code);
  for (const Bytes& name : names) append(cp, name);
  append(cp, parameters);
  const Bytes hmac = auth_hmac(sha256(cp), nonce_caller_, nonce_tpm_, attributes);
  return authorized(code, handles, Authorization{handle_, nonce_caller_, attributes, hmac}, parameters);
}

Result<SecretBytes> Session::response(const Bytes& bytes, CommandCode code, const std::string& name) {
  auto response = Response::parse(bytes, name);
  if (!response) return fail(response.error());
  auto size = response->u32();
  auto parameters = size ? response->raw(*size) : fail(size.error());
  auto nonce = parameters ? response->sized() : fail(parameters.error());
  auto attributes = nonce ? response->u8() : fail(nonce.error());
  auto hmac = attributes ? response->sized() : fail(attributes.error());
  if (!hmac) return fail(hmac.error());
  if (!response->at_end()) return fail("TPM2 " + name + ": more than one authorization in the response");
  Bytes rp;
  append_u32(rp, 0);  // responseCode: success
  append_u32(rp, code);
  append(rp, *parameters);
  const Bytes expected = auth_hmac(sha256(rp), *nonce, nonce_caller_, *attributes);
  if (hmac->size() != expected.size() || ::sodium_memcmp(hmac->data(), expected.data(), expected.size()) != 0)
    return fail(ErrorKind::verification, "TPM2 " + name +
                                             ": the response's HMAC does not match: the answer is not from the TPM "
                                             "the session was salted to");
  nonce_tpm_ = std::move(*nonce);
  SecretBytes out{std::vector<std::uint8_t>(bytes)};
  if (attributes_ & kEncrypt) {
    const std::size_t at = 10 + 4;  // after the header and the parameters' size
    if (auto r = crypt_first_parameter(out.span().subspan(at, parameters->size()), cfb_key(nonce_tpm_, nonce_caller_),
                                       false);
        !r)
      return fail("TPM2 " + name, r.error());
  }
  SecretBytes wipe_parameters(std::move(*parameters));  // as received: clear when no encryption was asked
  return out;
}

}  // namespace macula::tpm2
