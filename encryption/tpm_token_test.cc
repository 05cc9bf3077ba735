#include "encryption/tpm_token.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("a TPM token round-trips its blobs, PCRs and storage root key") {
  const SealedSecret sealed{{0x00, 0x20, 0xff}, {0x00, 0x08, 0x00, 0x0b}, {7}, {0x00, 0x23, 0x00, 0x0b}};
  const std::string json = tpm_token_json(sealed);
  CHECK(json.find("\"type\":\"macula-tpm2\"") != std::string::npos);
  CHECK(json.find("\"keyslots\":[]") != std::string::npos);
  auto back = parse_tpm_token(json);
  REQUIRE(back);
  CHECK(back->private_area == sealed.private_area);
  CHECK(back->public_area == sealed.public_area);
  CHECK(back->pcrs == std::vector<int>{7});
  CHECK(back->srk_public == sealed.srk_public);
  CHECK(parse_tpm_token(tpm_token_json({{1}, {2}, {}, {}}))->pcrs.empty());
}

TEST_CASE("a token made before the storage root key was recorded still reads, with none") {
  auto old = parse_tpm_token("{\"type\":\"macula-tpm2\",\"keyslots\":[],\"tpm2-private\":\"AA==\","
                             "\"tpm2-public\":\"AQ==\",\"tpm2-pcrs\":[7]}");
  REQUIRE(old);
  CHECK(old->srk_public.empty());
  CHECK(old->pcrs == std::vector<int>{7});
  CHECK(parse_tpm_token("{\"type\":\"macula-tpm2\",\"tpm2-private\":\"AA==\",\"tpm2-public\":\"AA==\","
                        "\"tpm2-pcrs\":[],\"tpm2-srk\":\"!!\"}")
            .error().message == "the TPM token's tpm2-srk: expected base64 text");
}

TEST_CASE("a token that is not ours, or damaged, is refused by what is wrong") {
  CHECK(parse_tpm_token("{\"type\":\"systemd-tpm2\",\"keyslots\":[]}").error().message ==
        "the token is not of type macula-tpm2");
  CHECK(parse_tpm_token("{\"type\":\"macula-tpm2\",\"tpm2-public\":\"AA==\",\"tpm2-pcrs\":[]}").error().message ==
        "the TPM token has no tpm2-private");
  CHECK(parse_tpm_token("{\"type\":\"macula-tpm2\",\"tpm2-private\":\"!!\",\"tpm2-public\":\"AA==\",\"tpm2-pcrs\":[]}")
            .error().message == "the TPM token's tpm2-private: expected base64 text");
  CHECK(parse_tpm_token("{\"type\":\"macula-tpm2\",\"tpm2-private\":\"AA==\",\"tpm2-public\":\"AA==\",\"tpm2-pcrs\":[24]}")
            .error().message == "the TPM token's tpm2-pcrs: expected PCR numbers from 0 to 23");
  CHECK_FALSE(parse_tpm_token("not json"));
}

TEST_CASE("PCR lists: numbers from 0 to 23, separated by commas") {
  CHECK(parse_pcr_list("").value().empty());
  CHECK(parse_pcr_list("7").value() == std::vector<int>{7});
  CHECK(parse_pcr_list("0,7").value() == std::vector<int>{0, 7});
  CHECK(parse_pcr_list("24").error().message == "'24': expected PCR numbers from 0 to 23, separated by commas (e.g. 7)");
  CHECK_FALSE(parse_pcr_list("7,"));
  CHECK_FALSE(parse_pcr_list("seven"));
}

}  // namespace
}  // namespace macula
