#include "encryption/sys/tpm_device.h"

#include <fcntl.h>
#include <unistd.h>

#include "common/fd.h"

namespace macula {

namespace {

class TpmDevice final : public TpmTransport {
 public:
  explicit TpmDevice(UniqueFd fd) : fd_(std::move(fd)) {}
  // The kernel takes one whole command per write and gives one whole response per read.
  Result<tpm2::Bytes> transmit(const tpm2::Bytes& command) override {
    if (::write(fd_.get(), command.data(), command.size()) != static_cast<ssize_t>(command.size()))
      return fail_errno(std::string("write a command to ") + kTpmDevice);
    tpm2::Bytes response(4096);
    const ssize_t n = ::read(fd_.get(), response.data(), response.size());
    if (n < 0) return fail_errno(std::string("read a response from ") + kTpmDevice);
    response.resize(static_cast<std::size_t>(n));
    return response;
  }

 private:
  UniqueFd fd_;
};

}  // namespace

Result<std::unique_ptr<TpmTransport>> open_tpm() {
  UniqueFd fd(::open(kTpmDevice, O_RDWR | O_CLOEXEC));
  if (!fd) return fail_errno(std::string("this machine's TPM 2.0, ") + kTpmDevice);
  return std::make_unique<TpmDevice>(std::move(fd));
}

}  // namespace macula
