// A release as a server sends it: manifest.json and manifest.json.sig, split from the input at
// the first NUL. The signature is checked against the key of fuzz/keys/ first, as upgrade does;
// the manifest is parsed whether or not it verified (a signed manifest is parsed too), and its
// artifact URLs are resolved against a server URL.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "upgrade/release_manifest.h"
#include "upgrade/signature.h"

#ifndef MACULA_FUZZ_KEYS
#error "MACULA_FUZZ_KEYS: the directory of fuzz/keys"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = input.find('\0');
  const std::string_view manifest = input.substr(0, nul);
  const std::string_view signature = nul == std::string_view::npos ? "" : input.substr(nul + 1);
  static const auto keys = macula::TrustedKeys::load(MACULA_FUZZ_KEYS);
  if (!keys) std::abort();
  (void)keys->verify(manifest, signature);
  auto parsed = macula::parse_manifest(manifest, "fuzz");
  if (!parsed) return 0;
  for (const macula::Artifact& a : parsed->artifacts) {
    const std::string where = macula::resolve_location("https://updates.example/stable/manifest.json", a.url);
    if (where.find("://") == std::string::npos) std::abort();  // from a server: never a local path
  }
  (void)macula::compare_versions(parsed->version, "0.1.0");
  return 0;
}
