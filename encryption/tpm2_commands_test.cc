#include "encryption/tpm2_commands.h"

#include <catch2/catch.hpp>

#include "tests/hex_bytes.h"

namespace macula::tpm2 {
namespace {

TEST_CASE("FlushContext: no sessions, the handle") {
  CHECK(flush_context(0x80000001) == hex("8001 0000000e 00000165 80000001"));
}

TEST_CASE("CreatePrimary: the owner's SRK from the TCG's ECC P-256 template, with the empty password") {
  CHECK(create_primary() == hex("8002 00000043 00000131 40000001"
                                " 00000009 40000009 0000 00 0000"  // password session, empty
                                " 0004 0000 0000"                  // inSensitive
                                " 001a 0023 000b 00030472 0000 0006 0080 0043 0010 0003 0010 0000 0000"
                                " 0000 00000000"));
}

TEST_CASE("Create: a sealed data object, with or without a policy") {
  const Bytes secret{1, 2, 3};
  const std::uint32_t parent[] = {0x80000000};
  auto create_sealed = [&](std::span<const std::uint8_t> policy) {
    return authorized(kCreate, parent, {}, create_parameters(secret, policy));
  };
  const Bytes plain = create_sealed({});
  CHECK(plain == hex("8002 0000003a 00000153 80000000 00000009 40000009 0000 00 0000"
                     " 0007 0000 0003 010203"
                     " 000e 0008 000b 00000452 0000 0010 0000"  // userWithAuth: the password unseals it
                     " 0000 00000000"));
  const Bytes policy(32, 0xab);
  const Bytes bound = create_sealed(policy);
  CHECK(bound.size() == plain.size() + 32);
  CHECK(bound[0x2c] == 0x04);  // objectAttributes' low bytes: no userWithAuth, only the policy unseals it
  CHECK(bound[0x2d] == 0x12);
}

TEST_CASE("a session's authorization: its handle, nonce, attributes and HMAC, sized") {
  const std::uint32_t item[] = {0x80000001};
  const Authorization session{0x02000000, {0xaa, 0xbb}, 0x41, {0xcc}};
  CHECK(authorized(kUnseal, item, session, {}) ==
        hex("8002 0000001e 0000015e 80000001 0000000c 02000000 0002 aabb 41 0001 cc"));
}

TEST_CASE("StartAuthSession salted to the SRK: the ephemeral point, AES-128-CFB, SHA-256, unbound") {
  const EccPoint point{Bytes(32, 0x11), Bytes(32, 0x22)};
  const Bytes nonce(32, 0x33);
  const Bytes command = start_salted_session(SessionType::policy, 0x80000000, nonce, point);
  CHECK(command == hex("8001 00000083 00000176 80000000 40000007 0020" + std::string(64, '3') + " 0044 0020" +
                       std::string(64, '1') + " 0020" + std::string(64, '2') + " 01 0006 0080 0043 000b"));
}

TEST_CASE("the SRK's point comes from a public area of our template only") {
  Bytes public_area = hex("0023 000b 00030472 0000 0006 0080 0043 0010 0003 0010");
  const Bytes with_point = [&] {
    Bytes b = public_area;
    for (std::uint8_t fill : {0x11, 0x22}) {
      b.push_back(0x00), b.push_back(0x20);
      b.insert(b.end(), 32, fill);
    }
    return b;
  }();
  auto point = srk_point(with_point);
  REQUIRE(point);
  CHECK(point->x == Bytes(32, 0x11));
  CHECK(point->y == Bytes(32, 0x22));
  Bytes rsa = with_point;
  rsa[1] = 0x01;  // TPM_ALG_RSA
  CHECK(srk_point(rsa).error().message ==
        "the TPM's storage root key: expected an ECC P-256 key of the standard SRK template");
  CHECK_FALSE(srk_point(Bytes(with_point.begin(), with_point.end() - 1)));
  CHECK(object_name(with_point).size() == 34);
  CHECK(object_name(with_point)[1] == 0x0b);  // nameAlg SHA-256, then the digest
}

TEST_CASE("PolicyPCR selects the SHA-256 bank's PCR 7 in its bitmap") {
  const int pcrs[] = {7};
  CHECK(policy_pcr(0x03000000, pcrs) == hex("8001 0000001a 0000017f 03000000 0000 00000001 000b 03 800000"));
}

TEST_CASE("a response is checked before it is read") {
  auto ok = Response::parse(hex("8002 00000019 00000000 80000001 00000007 0003 aabbcc 0000"), "Create");
  REQUIRE(ok);
  CHECK(ok->u32().value() == 0x80000001);
  REQUIRE(ok->skip_parameter_size());
  CHECK(ok->sized().value() == Bytes{0xaa, 0xbb, 0xcc});
  CHECK(ok->sized().value().empty());
  CHECK_FALSE(ok->u32());  // nothing left

  auto refused = Response::parse(hex("8001 0000000a 0000099d"), "Unseal");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message == "TPM2 Unseal failed: response code 0x99d");
  auto short_one = Response::parse(hex("8001 00000010 00000000"), "Load");
  REQUIRE_FALSE(short_one);
  CHECK(short_one.error().message == "TPM2 Load: the response says 16 bytes, 10 came");
  auto cut = Response::parse(hex("8001 0000000c 00000000 0009"), "Load");
  REQUIRE(cut);
  CHECK_FALSE(cut->u32());
  CHECK_FALSE(Response::parse(hex("8001 000000"), "Load"));
}

}  // namespace
}  // namespace macula::tpm2
