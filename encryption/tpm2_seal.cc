#include "encryption/tpm2_seal.h"

#include <sodium.h>

#include <memory>

#include "encryption/tpm2_session.h"

namespace macula {

namespace {

using tpm2::Bytes;
using tpm2::Response;

// The response, in a buffer wiped when it goes (an Unseal response holds the key, if encrypted).
Result<SecretBytes> send(TpmTransport& tpm, const Bytes& command) {
  auto bytes = tpm.transmit(command);
  if (!bytes) return fail(bytes.error());
  return SecretBytes(std::move(*bytes));
}

Result<Response> call(TpmTransport& tpm, const Bytes& command, const std::string& name) {
  auto bytes = send(tpm, command);
  if (!bytes) return fail(bytes.error());
  return Response::parse(bytes->bytes(), name);
}

// A loaded object or an open session, flushed from the TPM when this goes.
class Transient {
 public:
  Transient(TpmTransport& tpm, std::uint32_t handle) : tpm_(tpm), handle_(handle) {}
  Transient(const Transient&) = delete;
  ~Transient() { (void)tpm_.transmit(tpm2::flush_context(handle_)); }
  std::uint32_t handle() const { return handle_; }

 private:
  TpmTransport& tpm_;
  std::uint32_t handle_;
};

Result<std::unique_ptr<Transient>> handle_from(TpmTransport& tpm, Result<Response>& response) {
  if (!response) return fail(response.error());
  auto handle = response->u32();
  if (!handle) return fail(handle.error());
  return std::make_unique<Transient>(tpm, *handle);
}

// The storage root key, loaded, and its public area.
struct StorageRootKey {
  std::unique_ptr<Transient> loaded;
  Bytes public_area;
};

Result<StorageRootKey> storage_root_key(TpmTransport& tpm) {
  auto response = call(tpm, tpm2::create_primary(), "CreatePrimary");
  auto loaded = handle_from(tpm, response);
  if (!loaded) return fail(loaded.error());
  if (auto r = response->skip_parameter_size(); !r) return fail(r.error());
  auto public_area = response->sized();
  if (!public_area) return fail(public_area.error());
  return StorageRootKey{std::move(*loaded), std::move(*public_area)};
}

// The digest of a policy of PCRs' values now, from a trial session.
Result<Bytes> pcr_policy_digest(TpmTransport& tpm, const std::vector<int>& pcrs) {
  std::uint8_t nonce[16];
  ::randombytes_buf(nonce, sizeof nonce);
  auto started = call(tpm, tpm2::start_trial_session(nonce), "StartAuthSession");
  auto trial = handle_from(tpm, started);
  if (!trial) return fail(trial.error());
  if (auto r = call(tpm, tpm2::policy_pcr((*trial)->handle(), pcrs), "PolicyPCR"); !r) return fail(r.error());
  auto digest = call(tpm, tpm2::policy_get_digest((*trial)->handle()), "PolicyGetDigest");
  if (!digest) return fail(digest.error());
  return digest->sized();
}

// A session salted to the storage root key whose point is `srk`, and its handle's flush.
struct SaltedSession {
  std::unique_ptr<Transient> flush;
  tpm2::Session session;
};

Result<SaltedSession> salted_session(TpmTransport& tpm, tpm2::SessionType type, std::uint32_t srk_handle,
                                     const tpm2::EccPoint& srk) {
  auto salt = tpm2::salt_for(srk);
  if (!salt) return fail(salt.error());
  Bytes nonce(32);
  ::randombytes_buf(nonce.data(), nonce.size());
  auto started = call(tpm, tpm2::start_salted_session(type, srk_handle, nonce, salt->encrypted), "StartAuthSession");
  auto flush = handle_from(tpm, started);
  if (!flush) return fail(flush.error());
  auto nonce_tpm = started->sized();
  if (!nonce_tpm) return fail(nonce_tpm.error());
  tpm2::Session session((*flush)->handle(), salt->value, std::move(nonce), std::move(*nonce_tpm));
  return SaltedSession{std::move(*flush), std::move(session)};
}

// A command through a session, and its answer once the session vouches for it.
Result<Response> call_in(TpmTransport& tpm, tpm2::Session& session, tpm2::CommandCode code, std::uint32_t handle,
                         const Bytes& name, SecretBytes parameters, std::uint8_t attributes, const std::string& what) {
  const std::uint32_t handles[] = {handle};
  const Bytes names[] = {name};
  auto command = session.command(code, handles, names, std::move(parameters), attributes);
  if (!command) return fail(command.error());
  auto bytes = send(tpm, *command);
  if (!bytes) return fail(bytes.error());
  auto checked = session.response(bytes->bytes(), code, what);
  if (!checked) return fail(checked.error());
  auto response = Response::parse(checked->bytes(), what);
  if (!response) return fail(response.error());
  if (auto r = response->skip_parameter_size(); !r) return fail(r.error());
  return response;
}

}  // namespace

Result<SealedSecret> seal(TpmTransport& tpm, std::span<const std::uint8_t> secret, const std::vector<int>& pcrs) {
  Bytes policy;
  if (!pcrs.empty()) {
    auto digest = pcr_policy_digest(tpm, pcrs);
    if (!digest) return fail(digest.error());
    policy = std::move(*digest);
  }
  auto srk = storage_root_key(tpm);
  if (!srk) return fail(srk.error());
  auto point = tpm2::srk_point(srk->public_area);
  if (!point) return fail(point.error());
  auto salted = salted_session(tpm, tpm2::SessionType::hmac, srk->loaded->handle(), *point);
  if (!salted) return fail(salted.error());
  auto created = call_in(tpm, salted->session, tpm2::kCreate, srk->loaded->handle(),
                         tpm2::object_name(srk->public_area), tpm2::create_parameters(secret, policy),
                         tpm2::Session::kContinueSession | tpm2::Session::kDecrypt, "Create");
  if (!created) return fail(created.error());
  auto private_area = created->sized();
  if (!private_area) return fail(private_area.error());
  auto public_area = created->sized();
  if (!public_area) return fail(public_area.error());
  return SealedSecret{std::move(*private_area), std::move(*public_area), pcrs, std::move(srk->public_area)};
}

Result<SecretBytes> unseal(TpmTransport& tpm, const SealedSecret& sealed) {
  auto srk = storage_root_key(tpm);
  if (!srk) return fail(srk.error());
  // Salted to the recorded key, a device that answers in the TPM's place cannot learn the
  // session key, whatever public area it claims; the comparison says so before trying.
  if (!sealed.srk_public.empty() && srk->public_area != sealed.srk_public)
    return fail(ErrorKind::refused,
                "this TPM's storage root key is not the one the key was sealed to (another TPM, or a device "
                "between it and the board)");
  auto point = tpm2::srk_point(sealed.srk_public.empty() ? srk->public_area : sealed.srk_public);
  if (!point) return fail(point.error());
  auto loaded = call(tpm, tpm2::load(srk->loaded->handle(), sealed.private_area, sealed.public_area), "Load");
  auto item = handle_from(tpm, loaded);
  if (!item) return fail("the key was sealed by another TPM, or its blob is damaged", item.error());
  const bool bound = !sealed.pcrs.empty();
  auto salted = salted_session(tpm, bound ? tpm2::SessionType::policy : tpm2::SessionType::hmac,
                               srk->loaded->handle(), *point);
  if (!salted) return fail(salted.error());
  if (bound)
    if (auto r = call(tpm, tpm2::policy_pcr(salted->session.handle(), sealed.pcrs), "PolicyPCR"); !r)
      return fail(r.error());
  auto unsealed = call_in(tpm, salted->session, tpm2::kUnseal, (*item)->handle(),
                          tpm2::object_name(sealed.public_area), SecretBytes(),
                          tpm2::Session::kContinueSession | tpm2::Session::kEncrypt, "Unseal");
  if (!unsealed && bound && unsealed.error().kind != ErrorKind::verification)  // the TPM refused the policy
    return fail("a bound PCR has changed since the key was sealed", unsealed.error());
  if (!unsealed) return fail(unsealed.error());
  auto key = unsealed->sized();
  if (!key) return fail(key.error());
  return SecretBytes(std::move(*key));
}

}  // namespace macula
