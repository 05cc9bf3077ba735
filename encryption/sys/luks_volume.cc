#include "encryption/sys/luks_volume.h"

#include <libcryptsetup.h>

#include <cstring>

namespace macula {

namespace {

// Typed passphrases: argon2id, about 2 s to try one, at most 256 MiB (a node with 1 GiB must
// still open it in its initramfs) and one thread (the TCG guests and small boards).
crypt_pbkdf_type typed_passphrase_kdf() {
  crypt_pbkdf_type kdf{};
  kdf.type = CRYPT_KDF_ARGON2ID;
  kdf.hash = "sha256";
  kdf.time_ms = 2000;
  kdf.max_memory_kb = 256 * 1024;
  kdf.parallel_threads = 1;
  return kdf;
}

// LUKS2's limit (LUKS2_TOKENS_MAX).
constexpr int kMaxTokens = 32;

Result<void> check(int rc, const std::string& what) {
  if (rc < 0) return fail(what + ": " + std::strerror(-rc), -rc);
  return {};
}

}  // namespace

Result<LuksVolume> LuksVolume::format(const std::string& device, const LuksFormat& format) {
  crypt_device* raw = nullptr;
  if (auto r = check(crypt_init(&raw, device.c_str()), "LUKS2 on " + device); !r) return fail(r.error());
  LuksVolume volume(Handle(raw, crypt_free), device);
  crypt_pbkdf_type kdf = typed_passphrase_kdf();
  const std::string label(format.label);
  crypt_params_luks2 params{};
  params.pbkdf = &kdf;
  params.sector_size = 512;
  params.label = label.c_str();
  if (auto r = check(crypt_format(raw, CRYPT_LUKS2, "aes", "xts-plain64", nullptr, nullptr, 64, &params),
                     "format " + device + " as LUKS2");
      !r)
    return fail(r.error());
  const int slot = crypt_keyslot_add_by_volume_key(raw, CRYPT_ANY_SLOT, nullptr, 0, format.passphrase.data(),
                                                   format.passphrase.size());
  if (auto r = check(slot, "add the passphrase to " + device); !r) return fail(r.error());
  return volume;
}

Result<LuksVolume> LuksVolume::load(const std::string& device) {
  crypt_device* raw = nullptr;
  if (auto r = check(crypt_init(&raw, device.c_str()), "LUKS2 on " + device); !r) return fail(r.error());
  LuksVolume volume(Handle(raw, crypt_free), device);
  if (auto r = check(crypt_load(raw, CRYPT_LUKS2, nullptr), device + ": not a LUKS2 volume"); !r) return fail(r.error());
  return volume;
}

Result<void> LuksVolume::activate(const std::string& name, std::string_view passphrase) {
  const int rc = crypt_activate_by_passphrase(cd_.get(), name.c_str(), CRYPT_ANY_SLOT, passphrase.data(),
                                              passphrase.size(), 0);
  if (rc == -EPERM) return fail(device_ + ": no keyslot opens with that passphrase", EPERM);
  return check(rc, "open " + device_ + " as " + mapper_path(name));
}

Result<void> LuksVolume::check_passphrase(std::string_view passphrase) {
  // libcryptsetup checks the passphrase against the keyslots and activates nothing when the
  // name is null.
  const int rc = crypt_activate_by_passphrase(cd_.get(), nullptr, CRYPT_ANY_SLOT, passphrase.data(), passphrase.size(), 0);
  if (rc == -EPERM) return fail(device_ + ": no keyslot opens with that passphrase", EPERM);
  return check(rc, "check a passphrase of " + device_);
}

Result<void> LuksVolume::set_label(std::string_view label) {
  const std::string text(label);
  return check(crypt_set_label(cd_.get(), text.c_str(), nullptr), "label " + device_ + " " + text);
}

Result<void> LuksVolume::change_passphrase(std::string_view old_passphrase, std::string_view new_passphrase) {
  crypt_pbkdf_type kdf = typed_passphrase_kdf();
  if (auto r = check(crypt_set_pbkdf_type(cd_.get(), &kdf), device_ + ": key derivation"); !r) return r;
  const int rc = crypt_keyslot_change_by_passphrase(cd_.get(), CRYPT_ANY_SLOT, CRYPT_ANY_SLOT, old_passphrase.data(),
                                                    old_passphrase.size(), new_passphrase.data(),
                                                    new_passphrase.size());
  if (rc == -EPERM) return fail(device_ + ": no keyslot opens with the current passphrase given", EPERM);
  return check(rc, "change a passphrase of " + device_);
}

Result<int> LuksVolume::add_random_key(std::string_view passphrase, std::string_view key) {
  crypt_pbkdf_type kdf{};
  kdf.type = CRYPT_KDF_PBKDF2;
  kdf.hash = "sha512";
  kdf.iterations = 1000;
  kdf.flags = CRYPT_PBKDF_NO_BENCHMARK;
  if (auto r = check(crypt_set_pbkdf_type(cd_.get(), &kdf), device_ + ": key derivation"); !r) return fail(r.error());
  const int slot = crypt_keyslot_add_by_passphrase(cd_.get(), CRYPT_ANY_SLOT, passphrase.data(), passphrase.size(),
                                                   key.data(), key.size());
  if (auto r = check(slot, "add a key to " + device_); !r) return fail(r.error());
  return slot;
}

Result<void> LuksVolume::add_token(int keyslot, const std::string& json) {
  const int token = crypt_token_json_set(cd_.get(), CRYPT_ANY_TOKEN, json.c_str());
  if (auto r = check(token, "add a token to " + device_); !r) return r;
  return check(crypt_token_assign_keyslot(cd_.get(), token, keyslot), "tie token to keyslot on " + device_);
}

std::vector<int> LuksVolume::tokens(std::string_view type) {
  std::vector<int> found;
  for (int id = 0; id < kMaxTokens; ++id) {
    const char* token_type = nullptr;
    if (crypt_token_status(cd_.get(), id, &token_type) == CRYPT_TOKEN_INACTIVE || !token_type) continue;
    if (type == token_type) found.push_back(id);
  }
  return found;
}

std::optional<std::string> LuksVolume::token(std::string_view type) {
  for (int id : tokens(type)) {
    const char* json = nullptr;
    if (crypt_token_json_get(cd_.get(), id, &json) >= 0 && json) return std::string(json);
  }
  return std::nullopt;
}

Result<void> LuksVolume::remove_token(int token) {
  for (int slot = 0; slot < crypt_keyslot_max(CRYPT_LUKS2); ++slot)
    if (crypt_token_is_assigned(cd_.get(), token, slot) == 0)
      if (auto r = check(crypt_keyslot_destroy(cd_.get(), slot), device_ + ": remove keyslot " + std::to_string(slot)); !r)
        return r;
  return check(crypt_token_json_set(cd_.get(), token, nullptr), device_ + ": remove token " + std::to_string(token));
}

std::string mapper_path(const std::string& name) { return "/dev/mapper/" + name; }

Result<void> deactivate(const std::string& name) {
  crypt_device* raw = nullptr;
  if (crypt_init_by_name(&raw, name.c_str()) < 0) return {};
  Result<void> r = check(crypt_deactivate(raw, name.c_str()), "close " + mapper_path(name));
  crypt_free(raw);
  return r;
}

ActiveMapping::~ActiveMapping() {
  if (!name_.empty()) (void)deactivate(name_);
}

}  // namespace macula
