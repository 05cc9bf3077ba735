#include "net/sys/fetch_command.h"

#include <sys/stat.h>

#include <charconv>
#include <cstdio>
#include <optional>

#include "common/args.h"
#include "net/sys/download.h"
#include "net/sys/fetch_file.h"

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

Result<int> parse_count(const ParsedArgs& p, std::string_view name, int fallback) {
  if (!p.has(name)) return fallback;
  const std::string& text = p.values.at(std::string(name));
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0)
    return usage_error("--" + std::string(name) + " '" + text + "': expected a whole number >= 0");
  return value;
}

Result<FileFetch> parse_request(std::span<const std::string> args) {
  auto p = parse_args("maculaos fetch", kOptions, args);
  if (!p) return fail(p.error());
  if (p->positional.size() != 1)
    return usage_error("expected exactly one URL, got " + std::to_string(p->positional.size()) +
                       " (see maculaos fetch --help)");
  if (!p->has("output")) return usage_error("missing -o FILE (where to write)");
  FileFetch r{.download = {p->positional[0], p->value_or("ca", "")}, .output = p->values.at("output")};
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

Result<int> run_fetch(std::span<const std::string> args) {
  auto request = parse_request(args);
  if (!request) return fail(request.error());
  const std::string url = request->download.url, output = request->output;
  auto received = fetch_to_file(std::move(*request));
  if (!received) return fail(received.error());
  // A resumed file holds bytes of earlier runs (all of them when a run was cut between the last
  // byte and the rename), a --zstd one more than arrived: what is in the file, then this run's.
  struct stat written {};
  const unsigned long long size = ::stat(output.c_str(), &written) == 0 ? written.st_size : *received;
  std::printf("fetched %s: %llu bytes to %s", url.c_str(), size, output.c_str());
  if (size != *received) std::printf(" (%llu received in this run)", static_cast<unsigned long long>(*received));
  std::printf("\n");
  return 0;
}

}  // namespace

Applet fetch_applet() {
  return {.name = "fetch", .summary = "download a URL to a file (HTTPS verified, resumed, retried)", .usage = kUsage,
          .run = run_fetch, .options = kOptions};
}

}  // namespace macula
