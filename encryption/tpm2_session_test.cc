#include "encryption/tpm2_session.h"

#include <catch2/catch.hpp>

#include "tests/hex_bytes.h"

namespace macula::tpm2 {
namespace {

// Known answers computed apart from this code: KDFa and KDFe with python3's hmac and hashlib
// from the spec's formulas, AES-128-CFB and ECDH with the openssl CLI (enc -aes-128-cfb,
// pkeyutl -derive).
const Bytes kKey = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
const Bytes kPartyU = hex("a0a1a2a3a4a5a6a7a8a9aaabacadaeafa0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
const Bytes kPartyV(32, 0x50);

Bytes bytes(const SecretBytes& secret) { return secret.bytes(); }

TEST_CASE("KDFa: HMAC-SHA-256 in counter mode over the label, both contexts and the bits") {
  CHECK(bytes(kdfa(kKey, "ATH", kPartyU, kPartyV, 256)) ==
        hex("1cafa408f144a0364b7585d9cb36c27f5c0f64348a1b3bfb67646e729d9ce466"));
  CHECK(bytes(kdfa(kKey, "CFB", kPartyU, kPartyV, 256)) ==
        hex("f31b06b1f6baf78326476933c4303e39fdc735f994a412df57238a17613f40ab"));
  CHECK(bytes(kdfa(kKey, "XYZ", kPartyU, kPartyV, 384)) ==
        hex("1ca6d11b10afac080d2121a670e9fdc18bb5ea05059312fccfcd3539009f83dd"
            "a3074bfeed21fe0e9d7798844cb99f95"));
}

TEST_CASE("KDFe: SHA-256 in counter mode over Z, the label and both parties' x") {
  CHECK(bytes(kdfe(kKey, "SECRET", kPartyU, kPartyV, 256)) ==
        hex("5c0584d0a7a4a8b9a5733848902e99cae8846718d0f7be9632db5367b7721bde"));
  CHECK(bytes(kdfe(kKey, "SECRET", kPartyU, kPartyV, 512)) ==
        hex("5c0584d0a7a4a8b9a5733848902e99cae8846718d0f7be9632db5367b7721bde"
            "64f5774bc68d4ed7445d32ec41cccdbb8763063d9e582cb2a5b07e35e8ae90b7"));
}

TEST_CASE("AES-128-CFB: openssl's ciphertext, and back") {
  const Bytes key_iv = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  const std::string plain = "the state key crosses no bus";
  Bytes data(plain.begin(), plain.end());
  aes128_cfb(key_iv, data, true);
  CHECK(data == hex("73968a5492a1621af52e8574f7b4f1e193cb9f194b3da1ccdf09e66a"));
  aes128_cfb(key_iv, data, false);
  CHECK(data == Bytes(plain.begin(), plain.end()));
}

// Two P-256 keys made by openssl ecparam, and their shared x from openssl pkeyutl -derive.
const Bytes kPrivateA = hex("8bb3e8c2b03b14bf8d5781730d3cf43ea32acddb6b058e755c5d74a89a2ae01c");
const EccPoint kPublicA{hex("2afdc6ef8c9e50a2d635c6d18dff7ffe2c1e753374f837d133b1c4f8013425a0"),
                        hex("322e437e32182ac96bc6766608798783ecca9cd9f93ac9211ace0a97f464be14")};
const Bytes kPrivateB = hex("f085acc384992c281b6cc061031c5c6b97a2c9beced56cb297f35d283cf3125c");
const EccPoint kPublicB{hex("1814125bc26a805460d4c0478a5f4e3391a83ae32c3c02132136b9c82ed05189"),
                        hex("a49102083729ecad6b54ea17382426bf6b7faeb3e03c5f3702dcb3eb949d0601")};
const Bytes kShared = hex("feac147050327a6082b5d3a0bb747dd516244c1eebb65220abc022208d2c01c3");

TEST_CASE("ECDH on P-256: either side's private key with the other's point gives openssl's Z") {
  CHECK(bytes(ecdh_x(kPrivateA, kPublicB).value()) == kShared);
  CHECK(bytes(ecdh_x(kPrivateB, kPublicA).value()) == kShared);
  EccPoint off_curve = kPublicB;
  off_curve.y.back() ^= 1;
  CHECK(ecdh_x(kPrivateA, off_curve).error().message == "ECDH: expected a point on NIST P-256");
}

TEST_CASE("a salt for the SRK: what the TPM derives from the ephemeral point with its private key") {
  auto salt = salt_for(kPublicA);
  REQUIRE(salt);
  CHECK(salt->value.size() == 32);
  const SecretBytes z = ecdh_x(kPrivateA, salt->encrypted).value();
  CHECK(bytes(kdfe(z, "SECRET", salt->encrypted.x, kPublicA.x, 256)) == bytes(salt->value));
  CHECK(salt_for(kPublicA)->encrypted.x != salt->encrypted.x);  // ephemeral: a new key each time
}

Bytes concat(std::initializer_list<std::span<const std::uint8_t>> parts) {
  Bytes out;
  for (auto part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

const Bytes kSalt(32, 0x5a), kNonceCaller(32, 0xc0), kNonceTpm(32, 0x7b);

TEST_CASE("a command's HMAC: sessionKey over cpHash, nonceCaller, nonceTPM, attributes, and decrypt encrypts inSensitive") {
  Session session(0x02000000, SecretBytes(kSalt), kNonceCaller, kNonceTpm);
  const Bytes session_key = bytes(kdfa(kSalt, "ATH", kNonceTpm, kNonceCaller, 256));
  const std::uint32_t handles[] = {0x80000000};
  const Bytes names[] = {Bytes(34, 0x0b)};
  const Bytes parameters = hex("0009 0000 0005 0102030405 0000");
  const std::uint8_t attributes = Session::kContinueSession | Session::kDecrypt;
  const Bytes command = session.command(kCreate, handles, names, SecretBytes(parameters), attributes).value();

  ByteReader r{command};
  CHECK(r.number(2) == 0x8002);
  CHECK(r.number(4) == command.size());
  CHECK(r.number(4) == kCreate);
  CHECK(r.number(4) == 0x80000000);
  r.number(4);  // authorization size
  CHECK(r.number(4) == 0x02000000);
  const Bytes nonce = r.sized();
  CHECK(nonce.size() == 32);
  CHECK(nonce != kNonceCaller);  // a fresh nonce for each command
  CHECK(r.number(1) == attributes);
  const Bytes hmac = r.sized();
  const Bytes sent = r.raw(command.size() - r.at);

  // The secret went encrypted: key || IV from KDFa over the session key, nonceCaller, nonceTPM.
  CHECK(sent.size() == parameters.size());
  CHECK(Bytes(sent.begin(), sent.begin() + 2) == hex("0009"));
  Bytes decrypted = sent;
  aes128_cfb(bytes(kdfa(session_key, "CFB", nonce, kNonceTpm, 256)), std::span(decrypted).subspan(2, 9), false);
  CHECK(decrypted == parameters);

  const Bytes cp_hash = sha256(concat({hex("00000153"), names[0], sent}));
  CHECK(hmac == hmac_sha256(session_key, concat({cp_hash, nonce, kNonceTpm, Bytes{attributes}})));
}

// A response to Unseal as the TPM makes it: rpHash over success, the command code and the
// parameters, with the TPM's new nonce; outData encrypted when the command asked for it.
Bytes unseal_response(const Bytes& session_key, const Bytes& nonce_caller, const Bytes& nonce_tpm, Bytes secret,
                      std::uint8_t attributes) {
  aes128_cfb(bytes(kdfa(session_key, "CFB", nonce_tpm, nonce_caller, 256)), secret, true);
  const Bytes parameters = concat({Bytes{0, static_cast<std::uint8_t>(secret.size())}, secret});
  const Bytes rp_hash = sha256(concat({hex("00000000 0000015e"), parameters}));
  const Bytes hmac = hmac_sha256(session_key, concat({rp_hash, nonce_tpm, nonce_caller, Bytes{attributes}}));
  const Bytes auth = concat({hex("0020"), nonce_tpm, Bytes{attributes}, hex("0020"), hmac});
  const std::uint32_t size = static_cast<std::uint32_t>(10 + 4 + parameters.size() + auth.size());
  return concat({hex("8002"), Bytes{0, 0, 0, static_cast<std::uint8_t>(size)}, hex("00000000"),
                 Bytes{0, 0, 0, static_cast<std::uint8_t>(parameters.size())}, parameters, auth});
}

TEST_CASE("a response's HMAC is checked before its encrypted parameter is trusted") {
  const Bytes session_key = bytes(kdfa(kSalt, "ATH", kNonceTpm, kNonceCaller, 256));
  const std::uint32_t item[] = {0x80000001};
  const Bytes names[] = {Bytes(34, 0x0b)};
  const std::uint8_t attributes = Session::kContinueSession | Session::kEncrypt;
  const Bytes secret = hex("00112233445566778899aabbccddeeff");
  const Bytes next_nonce(32, 0x99);

  Session session(0x03000000, SecretBytes(kSalt), kNonceCaller, kNonceTpm);
  const Bytes command = session.command(kUnseal, item, names, SecretBytes(), attributes).value();
  const Bytes nonce = ByteReader{command, 22}.sized();
  const Bytes response = unseal_response(session_key, nonce, next_nonce, secret, attributes);
  CHECK(std::search(response.begin(), response.end(), secret.begin(), secret.end()) == response.end());
  auto checked = session.response(response, kUnseal, "Unseal");
  REQUIRE(checked);
  CHECK(Bytes(checked->bytes().begin() + 16, checked->bytes().begin() + 32) == secret);

  // The next command's HMAC is under the TPM's newest nonce.
  const Bytes again = session.command(kUnseal, item, names, SecretBytes(), attributes).value();
  ByteReader r{again, 22};
  const Bytes nonce2 = r.sized();
  r.number(1);
  const Bytes cp_hash = sha256(concat({hex("0000015e"), names[0]}));
  CHECK(r.sized() == hmac_sha256(session_key, concat({cp_hash, nonce2, next_nonce, Bytes{attributes}})));

  Bytes forged = unseal_response(session_key, nonce2, next_nonce, secret, attributes);
  forged[20] ^= 1;  // one bit of the encrypted key
  auto refused = session.response(forged, kUnseal, "Unseal");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message ==
        "TPM2 Unseal: the response's HMAC does not match: the answer is not from the TPM the session was salted to");
  CHECK(refused.error().kind == ErrorKind::verification);

  Session other(0x03000000, SecretBytes(Bytes(32, 0x01)), kNonceCaller, kNonceTpm);  // another salt
  (void)other.command(kUnseal, item, names, SecretBytes(), attributes);
  CHECK_FALSE(
      other.response(unseal_response(session_key, nonce2, next_nonce, secret, attributes), kUnseal, "Unseal"));
}

TEST_CASE("an encrypted parameter must be a sized buffer that fits") {
  const Bytes key_iv(32, 1);
  Bytes short_one = hex("0005 0102");
  CHECK(crypt_first_parameter(short_one, key_iv, true).error().message ==
        "an encrypted parameter: its size runs past the parameters");
  Bytes none;
  CHECK_FALSE(crypt_first_parameter(none, key_iv, true));
}

}  // namespace
}  // namespace macula::tpm2
