// names_export: the build's tool that hands the names table (names/names.h) to the image's
// shell scripts and to GRUB's menus (names/names_text.h). A host tool, never in the image.
//
//   names_export shell OUT                 names.sh
//   names_export substitute IN OUT         IN with its @MACULA_...@ placeholders filled
//   names_export embed IN SYMBOL OUT       the same, as a C++ header defining SYMBOL (a string)
// OUT is written whole or not at all (renamed into place); - is standard output.
#include <cstdio>
#include <string>
#include <vector>

#include "common/files.h"
#include "names/names_text.h"

namespace {

using macula::Result;

constexpr const char* kUsage =
    "usage: names_export shell OUT | substitute IN OUT | embed IN SYMBOL OUT\n";

Result<void> write_out(const std::string& out, const std::string& text) {
  if (out != "-") return macula::write_file_atomic(out, text, 0644);
  if (std::fputs(text.c_str(), stdout) < 0 || std::fflush(stdout) != 0) return macula::fail_errno("standard output");
  return {};
}

Result<std::string> filled(const std::string& in) {
  auto text = macula::read_file(in);
  if (!text) return macula::fail(text.error());
  return macula::substitute_names(*text, in);
}

// A raw string literal: the delimiter is one no text of ours holds.
std::string header(const std::string& symbol, const std::string& in, const std::string& text) {
  return "// Made at build by names_export from " + in + ": edit that file, not this one.\n#pragma once\n\n"
         "namespace macula {\n\ninline constexpr const char* " + symbol + " = R\"MACULA_EMBED(" + text +
         ")MACULA_EMBED\";\n\n}  // namespace macula\n";
}

Result<void> run(const std::vector<std::string>& args) {
  if (args.size() == 2 && args[0] == "shell") return write_out(args[1], macula::names_shell_text());
  if (args.size() == 3 && args[0] == "substitute") {
    auto text = filled(args[1]);
    if (!text) return macula::fail(text.error());
    return write_out(args[2], *text);
  }
  if (args.size() == 4 && args[0] == "embed") {
    auto text = filled(args[1]);
    if (!text) return macula::fail(text.error());
    return write_out(args[3], header(args[2], args[1], *text));
  }
  return macula::usage_error(kUsage);
}

}  // namespace

int main(int argc, char** argv) {
  auto r = run(std::vector<std::string>(argv + 1, argv + argc));
  if (r) return 0;
  std::fprintf(stderr, "names_export: %s\n", r.error().text().c_str());
  return r.error().kind == macula::ErrorKind::usage ? 2 : 1;
}
