#include "support/secret_scrub.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("a value after a secret key's name is hidden, in each way configs, logs and command lines write it") {
  CHECK(scrub_secrets("token: abc123\n") == "token: <hidden>\n");
  CHECK(scrub_secrets("  \"password\": \"hunter2 x\",\n") == "  \"password\": \"<hidden>\",\n");
  CHECK(scrub_secrets("K3S_TOKEN=abc K3S_URL=https://x:6443") == "K3S_TOKEN=<hidden> K3S_URL=https://x:6443");
  CHECK(scrub_secrets("k3s agent --token abc --server https://x") == "k3s agent --token <hidden> --server https://x");
  CHECK(scrub_secrets("k3s agent --agent-token=abc") == "k3s agent --agent-token=<hidden>");
  CHECK(scrub_secrets("BOOT_IMAGE=/vmlinuz maculaos.token=abc quiet") == "BOOT_IMAGE=/vmlinuz maculaos.token=<hidden> quiet");
  CHECK(scrub_secrets("recovery_passphrase: 'x y'") == "recovery_passphrase: '<hidden>'");
  CHECK(scrub_secrets("Client-Secret=s3 api_key: k") == "Client-Secret=<hidden> api_key: <hidden>");
}

TEST_CASE("words that only name a secret are left") {
  const std::string line = "Failed password for macula from 10.0.2.2 port 22 ssh2; refreshing tokens\n";
  CHECK(scrub_secrets(line) == line);
  CHECK(scrub_secrets("token:\n  nested: 1\n") == "token:\n  nested: 1\n");
  CHECK(scrub_secrets("") == "");
}

TEST_CASE("k3s join tokens, private keys, password hashes and recovery passphrases are hidden wherever they are") {
  CHECK(scrub_secrets("join with K10" + std::string(64, 'a') + "::server:0123abcd now") == "join with <hidden> now");
  CHECK(scrub_secrets("K10abc::x") == "K10abc::x");  // too short for a CA hash
  CHECK(scrub_secrets("a\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\nNzaC1\n-----END OPENSSH PRIVATE KEY-----\nz\n") ==
        "a\n<private key hidden>\nz\n");
  CHECK(scrub_secrets("x -----BEGIN EC PRIVATE KEY-----\nMHcC (cut)") == "x <private key hidden>");
  const std::string pub = "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n";
  CHECK(scrub_secrets(pub) == pub);
  CHECK(scrub_secrets("hash $6$salt$abcdef/. end") == "hash <hidden> end");
  CHECK(scrub_secrets("cost $5 and $ 6") == "cost $5 and $ 6");
  CHECK(scrub_secrets("key cbde-fghi-jkln-rtuv-cbde-fghi-jkln-rtuv shown") == "key <hidden> shown");
}

TEST_CASE("a secret hidden twice over is hidden once") {
  CHECK(scrub_secrets("token: K10" + std::string(20, 'f') + "::server:x\n") == "token: <hidden>\n");
}

}  // namespace
}  // namespace macula
