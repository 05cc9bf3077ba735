#include "cli/sys/version_command.h"

#include <blkid/blkid.h>
#include <curl/curl.h>
#include <libcryptsetup.h>
#include <libmount/libmount.h>
#include <mbedtls/version.h>
#include <zstd.h>

#include <cstdio>

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos version

Prints the MaculaOS version and the version of every library linked into this binary,
as each reports itself at run time (libcryptsetup has no such call: its version is the
one of the archive linked in, recorded at build time).
)";

Result<int> run_version(std::span<const std::string> args) {
  if (!args.empty()) return usage_error("takes no arguments, got '" + args[0] + "'");
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
  return {"version", "print the MaculaOS and linked library versions", kUsage, run_version};
}

}  // namespace macula
