#include "encryption/sys/tpm2_seal.h"

#include <fcntl.h>
#include <poll.h>
#include <sodium.h>
#include <unistd.h>

#include <memory>

#include "common/fd.h"

namespace macula {

namespace {

using tpm2::Bytes;
using tpm2::Response;

class TpmDevice final : public TpmTransport {
 public:
  explicit TpmDevice(UniqueFd fd) : fd_(std::move(fd)) {}
  // The kernel takes one whole command per write and gives one whole response per read.
  Result<Bytes> transmit(const Bytes& command) override {
    if (::write(fd_.get(), command.data(), command.size()) != static_cast<ssize_t>(command.size()))
      return fail_errno(std::string("write a command to ") + kTpmDevice);
    Bytes response(4096);
    const ssize_t n = ::read(fd_.get(), response.data(), response.size());
    if (n < 0) return fail_errno(std::string("read a response from ") + kTpmDevice);
    response.resize(static_cast<std::size_t>(n));
    return response;
  }

 private:
  UniqueFd fd_;
};

Result<Response> call(TpmTransport& tpm, const Bytes& command, const std::string& name) {
  auto bytes = tpm.transmit(command);
  if (!bytes) return fail(bytes.error());
  return Response::parse(*bytes, name);
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

Result<std::unique_ptr<Transient>> handle_from(TpmTransport& tpm, Result<Response> response) {
  if (!response) return fail(response.error());
  auto handle = response->u32();
  if (!handle) return fail(handle.error());
  return std::make_unique<Transient>(tpm, *handle);
}

Result<std::unique_ptr<Transient>> storage_root_key(TpmTransport& tpm) {
  return handle_from(tpm, call(tpm, tpm2::create_primary(), "CreatePrimary"));
}

// A policy session (trial or real) that has run PolicyPCR over pcrs.
Result<std::unique_ptr<Transient>> pcr_policy_session(TpmTransport& tpm, bool trial, const std::vector<int>& pcrs) {
  std::uint8_t nonce[16];
  ::randombytes_buf(nonce, sizeof nonce);
  auto session = handle_from(tpm, call(tpm, tpm2::start_policy_session(trial, nonce), "StartAuthSession"));
  if (!session) return fail(session.error());
  if (auto r = call(tpm, tpm2::policy_pcr((*session)->handle(), pcrs), "PolicyPCR"); !r) return fail(r.error());
  return session;
}

}  // namespace

Result<std::unique_ptr<TpmTransport>> open_tpm() {
  UniqueFd fd(::open(kTpmDevice, O_RDWR | O_CLOEXEC));
  if (!fd) return fail_errno(std::string("this machine's TPM 2.0, ") + kTpmDevice);
  return std::make_unique<TpmDevice>(std::move(fd));
}

Result<SealedSecret> seal(TpmTransport& tpm, std::span<const std::uint8_t> secret, const std::vector<int>& pcrs) {
  Bytes policy;
  if (!pcrs.empty()) {
    auto trial = pcr_policy_session(tpm, true, pcrs);
    if (!trial) return fail(trial.error());
    auto digest = call(tpm, tpm2::policy_get_digest((*trial)->handle()), "PolicyGetDigest");
    if (!digest) return fail(digest.error());
    auto bytes = digest->sized();
    if (!bytes) return fail(bytes.error());
    policy = std::move(*bytes);
  }
  auto srk = storage_root_key(tpm);
  if (!srk) return fail(srk.error());
  auto created = call(tpm, tpm2::create_sealed((*srk)->handle(), secret, policy), "Create");
  if (!created) return fail(created.error());
  if (auto r = created->skip_parameter_size(); !r) return fail(r.error());
  auto private_area = created->sized();
  auto public_area = private_area ? created->sized() : Result<Bytes>(fail(private_area.error()));
  if (!public_area) return fail(public_area.error());
  return SealedSecret{std::move(*private_area), std::move(*public_area), pcrs};
}

Result<Bytes> unseal(TpmTransport& tpm, const SealedSecret& sealed) {
  auto srk = storage_root_key(tpm);
  if (!srk) return fail(srk.error());
  auto item = handle_from(tpm, call(tpm, tpm2::load((*srk)->handle(), sealed.private_area, sealed.public_area), "Load"));
  if (!item) return fail("the key was sealed by another TPM, or its blob is damaged", item.error());
  std::unique_ptr<Transient> session;
  if (!sealed.pcrs.empty()) {
    auto policy = pcr_policy_session(tpm, false, sealed.pcrs);
    if (!policy) return fail(policy.error());
    session = std::move(*policy);
  }
  auto unsealed = call(tpm, tpm2::unseal((*item)->handle(), session ? session->handle() : tpm2::kPasswordSession), "Unseal");
  if (!unsealed) return fail(sealed.pcrs.empty() ? "" : "a bound PCR has changed since the key was sealed", unsealed.error());
  if (auto r = unsealed->skip_parameter_size(); !r) return fail(r.error());
  return unsealed->sized();
}

}  // namespace macula
