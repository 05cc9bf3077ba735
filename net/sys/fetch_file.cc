#include "net/sys/fetch_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "common/fd.h"
#include "common/files.h"
#include "net/file_sink.h"
#include "net/sys/resource.h"
#include "net/resume.h"

namespace macula {

namespace {

// FILE.part and, beside it, what names its bytes (net/resume.h).
struct PartFiles {
  std::string part;
  std::string source;

  // Nothing in FILE.part is worth resuming: neither file stays.
  void discard() const {
    ::unlink(part.c_str());
    ::unlink(source.c_str());
  }
};

// FILE.part, this user's regular file, never reached through a symbolic link: in a directory
// others can write, such a file could point our writes at theirs or feed us their bytes.
Result<UniqueFd> open_part(const std::string& part) {
  UniqueFd fd(::open(part.c_str(), O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644));
  if (!fd && errno == ELOOP) return fail(part + " is a symbolic link: refusing to write through it");
  if (!fd) return fail_errno("cannot create " + part);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail_errno("stat " + part);
  if (!S_ISREG(st.st_mode)) return fail(part + " is not a regular file: refusing to write to it");
  if (st.st_uid != ::geteuid())
    return fail(part + " belongs to uid " + std::to_string(st.st_uid) + ", not to this user (uid " +
                std::to_string(::geteuid()) + "): refusing to resume or overwrite it");
  return fd;
}

// The version FILE.part's bytes are of, when it can be resumed for this request; otherwise it
// is emptied and the version is empty.
Result<std::string> resumable_version(int fd, const PartFiles& files, const FileFetch& request) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return fail_errno("stat " + files.part);
  // Decompressed bytes cannot tell where the compressed stream stopped: zstd always starts over.
  if (st.st_size > 0 && !request.zstd) {
    auto text = read_file(files.source);
    auto version = text ? part_source_validator(*text, request.download.url)
                        : fail("no " + files.source + " names the URL and version of its bytes");
    if (version) return *version;
    std::fprintf(stderr, "fetch: starting %s over: %s\n", files.part.c_str(), version.error().message.c_str());
  }
  if (::ftruncate(fd, 0) != 0) return fail_errno("truncate " + files.part);
  ::unlink(files.source.c_str());
  return std::string();
}

// The stream has ended: FILE.part is checked, made durable and renamed to FILE.
Result<void> complete(FileSink& sink, int fd, const PartFiles& files, const FileFetch& request) {
  if (auto r = sink.finish(); !r) return fail(r.error());
  if (request.sha256) {
    const std::string got = sink.sha256();
    if (got != *request.sha256) {
      files.discard();  // wrong bytes are not worth resuming
      return fail(ErrorKind::verification,
                  request.download.url + ": SHA-256 " + got + " differs from the expected " + *request.sha256);
    }
  }
  if (::fsync(fd) != 0) return fail_errno("fsync " + files.part);
  if (::rename(files.part.c_str(), request.output.c_str()) != 0)
    return fail_errno("rename " + files.part + " to " + request.output);
  ::unlink(files.source.c_str());
  return {};
}

// A local file (a bundle on a stick): nothing to resume, copied through the same checks.
Result<std::uint64_t> copy_to_file(const FileFetch& request, const PartFiles& files, int fd) {
  if (::ftruncate(fd, 0) != 0) return fail_errno("truncate " + files.part);
  FileSink sink(fd, files.part, request.download.url, {.zstd = request.zstd, .hash = request.sha256.has_value()});
  const ResourceOptions options{.progress = request.download.progress};
  if (auto r = stream_resource(request.download.url, options, [&](std::span<const std::byte> chunk) { return sink.feed(chunk); });
      !r) {
    files.discard();
    return fail(r.error());
  }
  if (auto r = complete(sink, fd, files, request); !r) return fail(r.error());
  return sink.size();
}

}  // namespace

Result<std::uint64_t> fetch_to_file(FileFetch request) {
  const PartFiles files{request.output + ".part", request.output + ".part.source"};
  auto fd = open_part(files.part);
  if (!fd) return fail(fd.error());
  if (!is_url(request.download.url)) return copy_to_file(request, files, fd->get());
  auto version = resumable_version(fd->get(), files, request);
  if (!version) return fail(version.error());
  FileSink sink(fd->get(), files.part, request.download.url, {.zstd = request.zstd, .hash = request.sha256.has_value()});
  if (!version->empty()) {
    if (auto r = sink.take_existing(); !r) return fail(r.error());
    request.download.offset = sink.size();
    request.download.validator = *version;
    std::fprintf(stderr, "fetch: resuming %s at byte %llu\n", files.part.c_str(),
                 static_cast<unsigned long long>(request.download.offset));
  }
  // FILE.part.source follows the version of the bytes written, before the first of them lands.
  request.download.on_start = [&](const std::string& validator) -> Result<void> {
    *version = validator;
    if (!validator.empty()) return write_file_atomic(files.source, part_source_text(request.download.url, validator), 0644);
    ::unlink(files.source.c_str());  // nothing names these bytes: a later run starts over
    return {};
  };
  bool changed = false;
  request.download.on_changed = [&] { changed = true; };
  auto received = download(request.download, [&](std::span<const std::byte> chunk) { return sink.feed(chunk); });
  if (!received) {
    // What arrived stays in FILE.part for the next run to resume, if its version is known and
    // still on the server.
    struct stat st {};
    if (changed || version->empty() || (::fstat(fd->get(), &st) == 0 && st.st_size == 0)) files.discard();
    return received;
  }
  if (auto r = complete(sink, fd->get(), files, request); !r) return fail(r.error());
  return received;
}

}  // namespace macula
