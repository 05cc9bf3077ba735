#include "identity/node_identity.h"

#include <sys/stat.h>

#include <sodium.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "common/files.h"
#include "common/json_fields.h"
#include "tests/scratch_dir.h"

namespace macula {

namespace {

// A key made by OpenSSH's ssh-keygen, with the line and fingerprint it printed for it.
constexpr Ed25519PublicKey kOpensshKey = {0x12, 0xa4, 0x69, 0x9e, 0xef, 0x01, 0x3d, 0xf2, 0x22, 0x38, 0x0e,
                                          0x48, 0x8e, 0x76, 0x64, 0xf7, 0x14, 0x78, 0x4b, 0x86, 0xe7, 0xa7,
                                          0x8d, 0x49, 0xfa, 0xb6, 0x15, 0x0e, 0x29, 0xe6, 0x03, 0xd6};

mode_t mode_of(const std::filesystem::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("the public key line and fingerprint are OpenSSH's") {
  CHECK(openssh_public_line(kOpensshKey, "t") ==
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBKkaZ7vAT3yIjgOSI52ZPcUeEuG56eNSfq2FQ4p5gPW t");
  CHECK(public_key_fingerprint(kOpensshKey) == "SHA256:UF3MQOXcz2kMrrb/WXIGNqjTkBJT4fHby9TbaWxiRDo");
}

TEST_CASE("identity --json: the fingerprint, the public key line, where it is kept, and whether it was made now") {
  const LoadedIdentity loaded{{kOpensshKey, openssh_public_line(kOpensshKey, "edge-1"), public_key_fingerprint(kOpensshKey)}, true};
  auto doc = parse_json_object(identity_json(loaded, "/var/lib/maculaos/identity"), "identity --json");
  REQUIRE(doc);
  CHECK(std::string(field_string(doc->get(), "type")) == "ED25519");
  CHECK(std::string(field_string(doc->get(), "fingerprint")) == public_key_fingerprint(kOpensshKey));
  CHECK(std::string(field_string(doc->get(), "public_key")) == openssh_public_line(kOpensshKey, "edge-1"));
  CHECK(std::string(field_string(doc->get(), "directory")) == "/var/lib/maculaos/identity");
  json_object* created = nullptr;
  REQUIRE(json_object_object_get_ex(doc->get(), "created", &created));
  CHECK(json_object_get_boolean(created));
}

TEST_CASE("a node identity is made once, private, and read back the same") {
  ScratchDir scratch("identity");
  const std::string dir = (scratch.path / "identity").string();
  auto made = ensure_node_identity(dir, "node-1");
  REQUIRE(made);
  CHECK(made->created);
  CHECK(mode_of(dir) == 0700);
  CHECK(mode_of(dir + "/node.key") == 0600);
  CHECK(made->identity.fingerprint == public_key_fingerprint(made->identity.public_key));
  CHECK(read_file(dir + "/node.pub").value() == made->identity.openssh_public + "\n");

  SECTION("a second run reads the same key") {
    auto again = ensure_node_identity(dir, "node-1");
    REQUIRE(again);
    CHECK_FALSE(again->created);
    CHECK(again->identity.public_key == made->identity.public_key);
  }
  SECTION("a lost public file is derived again from the seed") {
    std::filesystem::remove(dir + "/node.pub");
    auto again = ensure_node_identity(dir, "node-1");
    REQUIRE(again);
    CHECK_FALSE(again->created);
    CHECK(read_file(dir + "/node.pub").value() == made->identity.openssh_public + "\n");
  }
  SECTION("a seed of the wrong size is refused, and kept") {
    REQUIRE(write_file_atomic(dir + "/node.key", "short", 0600));
    auto refused = ensure_node_identity(dir, "node-1");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("node.key: 5 bytes, expected an Ed25519 seed of 32") != std::string::npos);
    CHECK(read_file(dir + "/node.key").value() == "short");
  }
}

TEST_CASE("the node signs with its identity, and the signature checks against its public key only") {
  ScratchDir scratch("identity");
  const std::string dir = (scratch.path / "identity").string();
  auto made = ensure_node_identity(dir, "node-1");
  REQUIRE(made);
  const std::string message = "macula-pair-v1\nchallenge";
  auto signature = sign_as_node(dir, message);
  REQUIRE(signature);
  auto verifies = [&](std::string_view text, const Ed25519PublicKey& key) {
    return crypto_sign_verify_detached(signature->data(), reinterpret_cast<const unsigned char*>(text.data()),
                                       text.size(), key.data()) == 0;
  };
  CHECK(verifies(message, made->identity.public_key));
  CHECK_FALSE(verifies(message + "!", made->identity.public_key));
  CHECK_FALSE(verifies(message, kOpensshKey));
  CHECK_FALSE(sign_as_node((scratch.path / "none").string(), message));
}

}  // namespace macula
