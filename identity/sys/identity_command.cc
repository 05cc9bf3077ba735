#include "identity/sys/identity_command.h"

#include <unistd.h>

#include <climits>
#include <cstdio>

#include "common/args.h"
#include "identity/node_identity.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos identity [--json]

The node's identity: an Ed25519 keypair, made the first time it is asked for (setup and
pairing do), kept in /var/lib/maculaos/identity (the private seed 0600 in a 0700 directory,
never shown). Prints its fingerprint, in ssh-keygen's form, and its public key; --json prints
them as a JSON object (docs/json-output.md).
)";

constexpr OptionSpec kOptions[] = {{"json", 0, false}};

Result<int> run_identity(std::span<const std::string> argv) {
  auto args = parse_args("maculaos identity", kOptions, argv);
  if (!args) return fail(args.error());
  if (!args->positional.empty()) return usage_error("unexpected '" + args->positional[0] + "' (see maculaos identity --help)");
  char host[HOST_NAME_MAX + 1] = {};
  ::gethostname(host, sizeof host - 1);
  auto loaded = ensure_node_identity(kNodeIdentityDir, host);
  if (!loaded) return fail("node identity", loaded.error());
  if (args->has("json")) return std::puts(identity_json(*loaded, kNodeIdentityDir).c_str()), 0;
  std::printf("identity: ED25519 %s (%s %s)\n%s\n", loaded->identity.fingerprint.c_str(),
              loaded->created ? "made now in" : "kept in", kNodeIdentityDir, loaded->identity.openssh_public.c_str());
  return 0;
}

}  // namespace

// Root: the private seed is root's, and the first run makes it.
Applet identity_applet() {
  return {.name = "identity", .summary = "the node's Ed25519 identity and its fingerprint", .usage = kUsage,
          .run = run_identity, .options = kOptions, .needs_root = true};
}

}  // namespace macula
