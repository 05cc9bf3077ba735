#include "net/fetch_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <optional>

#include "common/args.h"
#include "common/fd.h"
#include "common/files.h"
#include "net/download.h"
#include "net/file_sink.h"
#include "net/resume.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos fetch URL -o FILE [--sha256 HEX] [--zstd] [--ca FILE]

Downloads URL (https, or http with --sha256) to FILE. HTTPS is always verified: against the
system CA bundle (/etc/ssl/certs/ca-certificates.crt), or against --ca FILE (PEM) when given;
plain http only when --sha256 verifies what arrives.
The body goes to FILE.part, renamed to FILE once whole (and verified): FILE is either
absent or complete. A FILE.part left by an interrupted run of the same URL is resumed (Range
request), only from the same version of the file on the server (If-Range, with the ETag or
Last-Modified kept in FILE.part.source); one left by another URL is started over. A FILE.part
that is a symbolic link or belongs to another user is refused.
Cut connections, timeouts and 5xx answers are retried, resuming where they stopped.

  -o, --output FILE        where to write the body (required)
      --sha256 HEX         refuse the download unless FILE's SHA-256 is HEX
      --zstd               decompress the body (zstd) on the way: FILE holds the result
      --ca FILE            PEM CA bundle to verify the server with
      --retries N          retries after the first attempt (default 5; backoff 1, 2, 4.. s)
      --stall-timeout S    give up an attempt after S seconds below 10 bytes/s (default 90)
)";

constexpr OptionSpec kOptions[] = {
    {"output", 'o', true}, {"ca", 0, true},      {"sha256", 0, true},
    {"zstd", 0, false},    {"retries", 0, true}, {"stall-timeout", 0, true},
};

struct FetchRequest {
  DownloadRequest download;
  std::string output;
  std::optional<std::string> sha256 = std::nullopt;
  bool zstd = false;
};

Result<int> parse_count(const ParsedArgs& p, std::string_view name, int fallback) {
  if (!p.has(name)) return fallback;
  const std::string& text = p.values.at(std::string(name));
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0)
    return usage_error("--" + std::string(name) + " '" + text + "': expected a whole number >= 0");
  return value;
}

Result<FetchRequest> parse_request(std::span<const std::string> args) {
  auto p = parse_args("maculaos fetch", kOptions, args);
  if (!p) return fail(p.error());
  if (p->positional.size() != 1)
    return usage_error("expected exactly one URL, got " + std::to_string(p->positional.size()) +
                       " (see maculaos fetch --help)");
  if (!p->has("output")) return usage_error("missing -o FILE (where to write)");
  FetchRequest r{.download = {p->positional[0], p->value_or("ca", "")}, .output = p->values.at("output")};
  r.download.progress = "fetching " + r.output;
  r.zstd = p->has("zstd");
  if (p->has("sha256")) r.sha256 = p->values.at("sha256");
  else if (auto plain = require_verified_transport(r.download.url, "give --sha256 HEX"); !plain)
    return usage_error(plain.error().message);
  auto retries = parse_count(*p, "retries", r.download.policy.retries);
  if (!retries) return fail(retries.error());
  r.download.policy.retries = *retries;
  auto stall = parse_count(*p, "stall-timeout", static_cast<int>(r.download.policy.stall_timeout.count()));
  if (!stall) return fail(stall.error());
  r.download.policy.stall_timeout = std::chrono::seconds(*stall);
  return r;
}

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
Result<std::string> resumable_version(int fd, const PartFiles& files, const FetchRequest& request) {
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

// Downloads into FILE.part (resuming it), checks, fsyncs and renames: FILE is absent or whole.
Result<std::uint64_t> fetch_to_file(FetchRequest request) {
  const PartFiles files{request.output + ".part", request.output + ".part.source"};
  auto fd = open_part(files.part);
  if (!fd) return fail(fd.error());
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
  if (auto r = sink.finish(); !r) return fail(r.error());
  if (request.sha256) {
    const std::string got = sink.sha256();
    if (got != *request.sha256) {
      files.discard();  // wrong bytes are not worth resuming
      return fail(request.download.url + ": SHA-256 " + got + " differs from the expected " + *request.sha256);
    }
  }
  if (::fsync(fd->get()) != 0) return fail_errno("fsync " + files.part);
  if (::rename(files.part.c_str(), request.output.c_str()) != 0)
    return fail_errno("rename " + files.part + " to " + request.output);
  ::unlink(files.source.c_str());
  return received;
}

Result<int> run_fetch(std::span<const std::string> args) {
  auto request = parse_request(args);
  if (!request) return fail(request.error());
  const std::string url = request->download.url, output = request->output;
  auto received = fetch_to_file(std::move(*request));
  if (!received) return fail(received.error());
  std::printf("fetched %s: %llu bytes to %s\n", url.c_str(), static_cast<unsigned long long>(*received),
              output.c_str());
  return 0;
}

}  // namespace

Applet fetch_applet() {
  return {"fetch", "download a URL to a file (HTTPS verified, resumed, retried)", kUsage, run_fetch};
}

}  // namespace macula
