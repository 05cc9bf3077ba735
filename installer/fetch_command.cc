#include "installer/fetch_command.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "common/args.h"
#include "common/fd.h"
#include "installer/download.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos fetch URL -o FILE [--ca FILE]

Downloads URL (http or https) to FILE. HTTPS is always verified: against the system CA
bundle (/etc/ssl/certs/ca-certificates.crt), or against --ca FILE (PEM) when given.
FILE appears only once the whole body has arrived (it is written as FILE.part and renamed).

  -o, --output FILE   where to write the body (required)
      --ca FILE       PEM CA bundle to verify the server with
)";

constexpr OptionSpec kOptions[] = {
    {"output", 'o', true},
    {"ca", 0, true},
};

// Downloads into FILE.part, fsyncs and renames, so FILE is either absent or complete.
Result<std::uint64_t> fetch_to_file(const DownloadRequest& request, const std::string& output) {
  const std::string part = output + ".part";
  UniqueFd fd(::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd) return fail_errno("fetch: cannot create " + part);
  auto received = download(request, [&](std::span<const std::byte> chunk) {
    return write_all(fd.get(), chunk, part);
  });
  if (received && ::fsync(fd.get()) != 0) received = fail_errno("fetch: fsync " + part);
  if (received && ::rename(part.c_str(), output.c_str()) != 0)
    received = fail_errno("fetch: rename " + part + " to " + output);
  if (!received) ::unlink(part.c_str());
  return received;
}

int run_fetch(std::span<const std::string> args) {
  auto parsed = parse_args("fetch", kOptions, args);
  if (parsed && parsed->positional.size() != 1)
    parsed = fail("fetch: expected exactly one URL, got " +
                  std::to_string(parsed->positional.size()) + " (see maculaos fetch --help)");
  if (parsed && !parsed->has("output")) parsed = fail("fetch: missing -o FILE (where to write)");
  if (!parsed) {
    std::fprintf(stderr, "%s\n", parsed.error().text().c_str());
    return 2;
  }
  const DownloadRequest request{parsed->positional[0], parsed->value_or("ca", "")};
  const std::string output = parsed->values.at("output");
  auto received = fetch_to_file(request, output);
  if (!received) {
    std::fprintf(stderr, "%s\n", received.error().text().c_str());
    return 1;
  }
  std::printf("fetched %s: %llu bytes to %s\n", request.url.c_str(),
              static_cast<unsigned long long>(*received), output.c_str());
  return 0;
}

}  // namespace

Applet fetch_applet() {
  return {"fetch", "download a URL to a file (HTTPS verified)", kUsage, run_fetch};
}

}  // namespace macula
