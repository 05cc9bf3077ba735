#include "encryption/tpm2_commands.h"

#include <catch2/catch.hpp>

namespace macula::tpm2 {
namespace {

Bytes hex(std::string_view text) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < text.size();) {
    if (text[i] == ' ') { ++i; continue; }
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
    i += 2;
  }
  return out;
}

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
  const Bytes plain = create_sealed(0x80000000, secret, {});
  CHECK(plain == hex("8002 0000003a 00000153 80000000 00000009 40000009 0000 00 0000"
                     " 0007 0000 0003 010203"
                     " 000e 0008 000b 00000452 0000 0010 0000"  // userWithAuth: the password unseals it
                     " 0000 00000000"));
  const Bytes policy(32, 0xab);
  const Bytes bound = create_sealed(0x80000000, secret, policy);
  CHECK(bound.size() == plain.size() + 32);
  CHECK(bound[0x2c] == 0x04);  // objectAttributes' low bytes: no userWithAuth, only the policy unseals it
  CHECK(bound[0x2d] == 0x12);
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
