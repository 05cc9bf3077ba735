#include "config/locale.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

// Lines of Debian's /usr/share/i18n/SUPPORTED.
constexpr std::string_view kSupported = "ca_ES.UTF-8@valencia UTF-8\nde_DE ISO-8859-1\nde_DE.UTF-8 UTF-8\nen_US.UTF-8 UTF-8\n";

TEST_CASE("a supported locale is built by localedef from its SUPPORTED line") {
  using Argv = std::vector<std::string>;
  CHECK(locale_build_command(kSupported, "de_DE.UTF-8") == Argv{"localedef", "-i", "de_DE", "-f", "UTF-8", "de_DE.UTF-8"});
  CHECK(locale_build_command(kSupported, "de_DE") == Argv{"localedef", "-i", "de_DE", "-f", "ISO-8859-1", "de_DE"});
  CHECK(locale_build_command(kSupported, "ca_ES.UTF-8@valencia") ==
        Argv{"localedef", "-i", "ca_ES@valencia", "-f", "UTF-8", "ca_ES.UTF-8@valencia"});
  CHECK_FALSE(locale_build_command(kSupported, "xx_XX.UTF-8"));
  CHECK_FALSE(locale_build_command(kSupported, "de_DE.UTF"));
}

TEST_CASE("locale -a lists names normalized, and C.UTF-8 is built in") {
  CHECK(locale_listed("C\nC.utf8\nPOSIX\nen_US.utf8\n", "en_US.UTF-8"));
  CHECK_FALSE(locale_listed("C\nen_US.utf8\n", "de_DE.UTF-8"));
  CHECK(builtin_locale("C.UTF-8"));
  CHECK_FALSE(builtin_locale("en_US.UTF-8"));
}

}  // namespace
}  // namespace macula
