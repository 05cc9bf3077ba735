// The node's own Ed25519 keypair: who this node is to the Portal and its peers (pairing signs
// with it; the wizard and sysinfo show its fingerprint). Made once, kept on the state: the
// 32-byte seed (0600) in a 0700 directory, the public key beside it in OpenSSH's format, so
// `ssh-keygen -lf node.pub` shows the same fingerprint we do.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "names/names.h"

namespace macula {


using Ed25519PublicKey = std::array<std::uint8_t, 32>;
using Ed25519Signature = std::array<std::uint8_t, 64>;

struct NodeIdentity {
  Ed25519PublicKey public_key{};
  std::string openssh_public;  // "ssh-ed25519 AAAA... COMMENT"
  std::string fingerprint;     // "SHA256:..." as ssh-keygen -l prints it
};

// Pure: OpenSSH's "ssh-ed25519 BASE64 COMMENT" line of a public key (its wire blob is the
// string "ssh-ed25519" then the key, each length-prefixed).
std::string openssh_public_line(const Ed25519PublicKey& key, std::string_view comment);
// Pure: "SHA256:" and the unpadded base64 of the SHA-256 of that blob (ssh-keygen -l's form).
std::string public_key_fingerprint(const Ed25519PublicKey& key);

// The identity in dir: read (the public half derived from the seed, node.pub rewritten if it
// is missing or disagrees), or made when there is none. created says which.
struct LoadedIdentity {
  NodeIdentity identity;
  bool created = false;
};
Result<LoadedIdentity> ensure_node_identity(const std::string& dir, std::string_view comment);

// Pure: `maculaos identity --json` (docs/json-output.md): type, fingerprint, public_key (the
// OpenSSH line), directory and created.
std::string identity_json(const LoadedIdentity& loaded, std::string_view dir);

// message signed (Ed25519, detached) with the identity in dir, which must exist.
Result<Ed25519Signature> sign_as_node(const std::string& dir, std::string_view message);

}  // namespace macula
