// maculaos.locale: whether glibc supports the locale (Debian's list of what `locales` can
// build, /usr/share/i18n/SUPPORTED) and the localedef command that builds it when the image
// does not have it yet. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace macula {

inline constexpr const char* kSupportedLocalesPath = "/usr/share/i18n/SUPPORTED";
inline constexpr const char* kLocaleDefaultsPath = "/etc/default/locale";  // LANG=, read by PAM

// True for the locales glibc has built in (C, POSIX, C.UTF-8): nothing to build.
bool builtin_locale(std::string_view name);

// localedef's argv that builds name (`de_DE.UTF-8` -> localedef -i de_DE -f UTF-8
// de_DE.UTF-8), from the SUPPORTED line naming it ("NAME CHARMAP"); nothing when no line does.
std::optional<std::vector<std::string>> locale_build_command(std::string_view supported, std::string_view name);

// `locale -a` writes names normalized (de_DE.utf8): true when name is among them.
bool locale_listed(std::string_view locale_a_output, std::string_view name);

}  // namespace macula
