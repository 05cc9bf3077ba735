#include "ab/sys/verified_copy.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <functional>
#include <vector>

#include "common/fd.h"
#include "common/progress.h"
#include "common/background_sha256.h"

namespace macula {

namespace {

constexpr size_t kChunk = 1 << 20;

std::string base_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// Reads fd to its end in 1 MiB chunks, handing each to `use`.
Result<void> for_each_chunk(int fd, const std::string& what,
                            const std::function<Result<void>(std::span<const std::byte>)>& use) {
  std::vector<std::byte> buf(kChunk);
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_errno("read " + what);
    if (n == 0) return {};
    if (auto r = use(std::span(buf.data(), static_cast<size_t>(n))); !r) return r;
  }
}

}  // namespace

Result<std::string> sha256_from_disk(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return fail_errno("open " + path + " to verify it");
  // Written pages stay cached: without dropping them the check would read memory, not disk.
  if (::fdatasync(fd.get()) != 0) return fail_errno("sync " + path);
  ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_DONTNEED);
  BackgroundSha256 hash;  // hashes while the next chunk is read
  auto read = for_each_chunk(fd.get(), "back " + path, [&](std::span<const std::byte> chunk) {
    hash.update(chunk);
    return Result<void>();
  });
  if (!read) return fail(read.error());
  return hash.hex();
}

Result<CopiedFile> copy_verified(const std::string& from, const std::string& to) {
  UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) return fail_errno("open " + from);
  struct stat st {};
  if (::fstat(in.get(), &st) != 0) return fail_errno("stat " + from);
  UniqueFd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!out) return fail_errno("create " + to);

  CopiedFile copied{base_name(to), 0, {}};
  Progress progress("writing " + copied.name, static_cast<std::uint64_t>(st.st_size));
  BackgroundSha256 hash;  // hashes while the chunk is written and the next one read
  auto copy = for_each_chunk(in.get(), from, [&](std::span<const std::byte> chunk) {
    hash.update(chunk);
    if (auto w = write_all(out.get(), chunk, to); !w) return w;
    copied.size += chunk.size();
    progress.update(copied.size);
    return Result<void>();
  });
  if (!copy) return fail(copy.error());
  progress.finish();
  copied.sha256 = hash.hex();
  if (::fsync(out.get()) != 0) return fail_errno("fsync " + to);
  out.reset();

  auto on_disk = sha256_from_disk(to);
  if (!on_disk) return fail(on_disk.error());
  if (*on_disk != copied.sha256)
    return fail(ErrorKind::verification,
                "verify " + to + ": SHA-256 on disk " + *on_disk + " differs from the source's " + copied.sha256);
  return copied;
}

}  // namespace macula
