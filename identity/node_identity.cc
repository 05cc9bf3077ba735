#include "identity/node_identity.h"

#include <sodium.h>

#include "common/base64.h"
#include "common/files.h"
#include "common/json.h"

namespace macula {

namespace {

constexpr std::string_view kKeyType = "ssh-ed25519";
constexpr const char* kSeedFile = "node.key";
constexpr const char* kPublicFile = "node.pub";

void append_length_prefixed(std::string& out, std::string_view bytes) {
  const auto n = static_cast<std::uint32_t>(bytes.size());
  for (int shift : {24, 16, 8, 0}) out.push_back(static_cast<char>((n >> shift) & 0xff));
  out.append(bytes);
}

std::string wire_blob(const Ed25519PublicKey& key) {
  std::string blob;
  append_length_prefixed(blob, kKeyType);
  append_length_prefixed(blob, std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
  return blob;
}

Result<void> init_sodium() {
  if (sodium_init() < 0) return fail("libsodium could not initialise (no random source?)");
  return {};
}

NodeIdentity identity_of(const Ed25519PublicKey& key, std::string_view comment) {
  return {key, openssh_public_line(key, comment), public_key_fingerprint(key)};
}

// The public half of a seed (libsodium derives the whole keypair from it).
Ed25519PublicKey public_key_of(const std::string& seed) {
  Ed25519PublicKey key{};
  unsigned char secret[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(key.data(), secret, reinterpret_cast<const unsigned char*>(seed.data()));
  sodium_memzero(secret, sizeof secret);
  return key;
}

}  // namespace

std::string openssh_public_line(const Ed25519PublicKey& key, std::string_view comment) {
  std::string line = std::string(kKeyType) + " " + base64_text(wire_blob(key), true);
  if (!comment.empty()) line += " " + std::string(comment);
  return line;
}

std::string public_key_fingerprint(const Ed25519PublicKey& key) {
  const std::string blob = wire_blob(key);
  std::string digest(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(digest.data()), reinterpret_cast<const unsigned char*>(blob.data()),
                     blob.size());
  return "SHA256:" + base64_text(digest, false);
}

Result<LoadedIdentity> ensure_node_identity(const std::string& dir, std::string_view comment) {
  if (auto r = init_sodium(); !r) return fail(r.error());
  if (auto r = make_directory(dir, 0700); !r) return fail(r.error());
  const std::string seed_path = dir + "/" + kSeedFile;
  const std::string public_path = dir + "/" + kPublicFile;
  LoadedIdentity loaded;
  auto seed = read_file(seed_path);
  if (seed && seed->size() != crypto_sign_SEEDBYTES)
    return fail(seed_path + ": " + std::to_string(seed->size()) + " bytes, expected an Ed25519 seed of " +
                std::to_string(crypto_sign_SEEDBYTES) + " (move it away to make a new identity)");
  if (!seed) {
    if (seed.error().code != ENOENT) return fail(seed.error());
    std::string fresh(crypto_sign_SEEDBYTES, '\0');
    randombytes_buf(fresh.data(), fresh.size());
    // The seed first: a cut before node.pub is written leaves a key whose public half the next
    // run derives again.
    if (auto r = write_file_atomic(seed_path, fresh, 0600); !r) return fail(r.error());
    seed = std::move(fresh);
    loaded.created = true;
  }
  loaded.identity = identity_of(public_key_of(*seed), comment);
  sodium_memzero(seed->data(), seed->size());
  const std::string public_text = loaded.identity.openssh_public + "\n";
  if (auto kept = read_file(public_path); !kept || *kept != public_text)
    if (auto r = write_file_atomic(public_path, public_text, 0644); !r) return fail(r.error());
  return loaded;
}

Result<Ed25519Signature> sign_as_node(const std::string& dir, std::string_view message) {
  if (auto r = init_sodium(); !r) return fail(r.error());
  const std::string seed_path = dir + "/" + kSeedFile;
  auto seed = read_file(seed_path);
  if (!seed) return fail("the node identity", seed.error());
  if (seed->size() != crypto_sign_SEEDBYTES) return fail(seed_path + ": not an Ed25519 seed");
  Ed25519PublicKey public_key{};
  unsigned char secret[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(public_key.data(), secret, reinterpret_cast<const unsigned char*>(seed->data()));
  sodium_memzero(seed->data(), seed->size());
  Ed25519Signature signature{};
  crypto_sign_detached(signature.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret);
  sodium_memzero(secret, sizeof secret);
  return signature;
}

std::string identity_json(const LoadedIdentity& loaded, std::string_view dir) {
  JsonObject out;
  out.add("type", "ED25519").add("fingerprint", loaded.identity.fingerprint).add("public_key", loaded.identity.openssh_public);
  return out.add("directory", dir).add("created", loaded.created).str();
}

}  // namespace macula
