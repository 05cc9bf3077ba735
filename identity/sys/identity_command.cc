#include "identity/sys/identity_command.h"

#include <unistd.h>

#include <climits>
#include <cstdio>

#include "identity/node_identity.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos identity

The node's identity: an Ed25519 keypair, made the first time it is asked for (setup and
pairing do), kept in /var/lib/maculaos/identity (the private seed 0600 in a 0700 directory,
never shown). Prints its fingerprint, as ssh-keygen -l does, and its public key.
)";

Result<int> run_identity(std::span<const std::string> args) {
  if (!args.empty()) return usage_error("unexpected '" + args[0] + "' (see maculaos identity --help)");
  if (::geteuid() != 0)
    return fail(ErrorKind::permission, "the node identity is readable by root only: run it as root (sudo maculaos identity)");
  char host[HOST_NAME_MAX + 1] = {};
  ::gethostname(host, sizeof host - 1);
  auto loaded = ensure_node_identity(kNodeIdentityDir, host);
  if (!loaded) return fail("node identity", loaded.error());
  std::printf("identity: ED25519 %s (%s %s)\n%s\n", loaded->identity.fingerprint.c_str(),
              loaded->created ? "made now in" : "kept in", kNodeIdentityDir, loaded->identity.openssh_public.c_str());
  return 0;
}

}  // namespace

Applet identity_applet() { return {"identity", "the node's Ed25519 identity and its fingerprint", kUsage, run_identity}; }

}  // namespace macula
