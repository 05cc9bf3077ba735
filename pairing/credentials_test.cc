#include "pairing/credentials.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "common/files.h"
#include "config/config_sources.h"
#include "tests/scratch_dir.h"

namespace macula {

namespace {

mode_t mode_of(const std::filesystem::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

PairAnswer answer() {
  PairAnswer a;
  a.refresh_token = "rt-0123456789abcdef0123";
  a.user_id = "u-1", a.user_name = "Ada \"the\" admin";
  a.organisation_id = "o-7", a.organisation_name = "Edge Farm";
  a.certificates = {{"ca", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}};
  a.gitops = GitopsSource{"https://git.example.org/fleet.git", "edge", "./clusters/edge"};
  return a;
}

}  // namespace

TEST_CASE("the GitOps drop-in is a node config the schema takes, with the answer's settings") {
  const std::vector<ConfigText> texts = {{"50-pairing.yaml", pairing_config_text(*answer().gitops)}};
  const MergedConfig merged = merge_config_sources(texts, {});
  CHECK(merged.issues.empty());
  CHECK(config_text(merged.tree, "maculaos.setup.gitops.url") == "https://git.example.org/fleet.git");
  CHECK(config_text(merged.tree, "maculaos.setup.gitops.branch") == "edge");
  CHECK(config_text(merged.tree, "maculaos.setup.gitops.path") == "./clusters/edge");
}

TEST_CASE("a pairing is stored private: 0600 files in a 0700 directory, the token in none but its own") {
  ScratchDir scratch("credentials");
  const std::string credentials = (scratch.path / "credentials").string(), config = (scratch.path / "config.d").string();
  REQUIRE(store_pairing(answer(), "https://portal.example.org", credentials, config));
  CHECK(mode_of(credentials) == 0700);
  for (const char* file : {"refresh_token", "portal.json", "ca.pem"}) CHECK(mode_of(credentials + "/" + file) == 0600);
  CHECK(read_file(credentials + "/refresh_token").value() == "rt-0123456789abcdef0123\n");
  const std::string account = read_file(credentials + "/portal.json").value();
  CHECK(account.find("\"name\": \"Ada \\\"the\\\" admin\"") != std::string::npos);
  CHECK(account.find("rt-0123") == std::string::npos);
  CHECK(mode_of(config + "/50-pairing.yaml") == 0600);

  SECTION("an answer without GitOps settings writes no drop-in") {
    std::filesystem::remove(config + "/50-pairing.yaml");
    PairAnswer plain = answer();
    plain.gitops.reset();
    REQUIRE(store_pairing(plain, "https://portal.example.org", credentials, config));
    CHECK_FALSE(std::filesystem::exists(config + "/50-pairing.yaml"));
  }
}

}  // namespace macula
