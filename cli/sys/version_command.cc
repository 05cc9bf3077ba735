#include "cli/sys/version_command.h"

#include <blkid/blkid.h>
#include <curl/curl.h>
#include <libcryptsetup.h>
#include <libmount/libmount.h>
#include <mbedtls/version.h>
#include <zstd.h>

#include <cstdio>

#include "common/args.h"
#include "common/json.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos version [--json]

Prints the MaculaOS version and the version of every library linked into this binary,
as each reports itself at run time (libcryptsetup has no such call: its version is the
one of the archive linked in, recorded at build time). --json prints them as one JSON object,
each name a field (docs/json-output.md). `maculaos --version` prints MaculaOS's alone.
)";

constexpr OptionSpec kOptions[] = {{"json", 0, false}};

Result<int> run_version(std::span<const std::string> argv) {
  auto args = parse_args("maculaos version", kOptions, argv);
  if (!args) return fail(args.error());
  if (!args->positional.empty()) return usage_error("takes no arguments, got '" + args->positional[0] + "'");
  if (args->has("json")) {
    JsonObject versions;
    for (const ComponentVersion& c : component_versions()) versions.add(c.name, c.version);
    return std::puts(versions.str().c_str()), 0;
  }
  for (const ComponentVersion& c : component_versions())
    std::printf("%-14s %s\n", c.name.c_str(), c.version.c_str());
  return 0;
}

}  // namespace

std::vector<ComponentVersion> component_versions() {
  const char* blkid = nullptr;
  blkid_get_library_version(&blkid, nullptr);
  const char* mount = nullptr;
  mnt_get_library_version(&mount);
  const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
  char mbedtls[32] = {};
  mbedtls_version_get_string_full(mbedtls);
  return {
      {"maculaos", MACULAOS_VERSION},
      {"libblkid", blkid},
      {"libmount", mount},
      {"libcryptsetup", MACULAOS_CRYPTSETUP_VERSION},
      {"zstd", ZSTD_versionString()},
      {"libcurl", curl->version},
      {"libcurl-tls", curl->ssl_version ? curl->ssl_version : "none"},
      {"mbedtls", mbedtls},
  };
}

Applet version_applet() {
  return {.name = "version", .summary = "print the MaculaOS and linked library versions", .usage = kUsage, .run = run_version,
          .options = kOptions};
}

}  // namespace macula
