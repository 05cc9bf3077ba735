#include "names/names_text.h"

#include <catch2/catch.hpp>
#include <set>

#include "names/names.h"

namespace macula {

TEST_CASE("names.sh sets every exported name to its value, once") {
  const std::string text = names_shell_text();
  CHECK(text.find("\nMACULA_CMDLINE_MODE='macula.mode'\n") != std::string::npos);
  CHECK(text.find("\nMACULA_LABEL_STATE='MACULAOS_STATE'\n") != std::string::npos);
  CHECK(text.find("\nMACULA_NODE_CONFIG='/var/lib/maculaos/config.yaml'\n") != std::string::npos);
  std::set<std::string_view> seen;
  for (const ExportedName& name : kExportedNames) {
    INFO(name.shell);
    CHECK(seen.insert(name.shell).second);
    CHECK(name.shell.starts_with("MACULA_"));
    CHECK(name.value.find('\'') == std::string_view::npos);  // names.sh quotes with '
    CHECK(!name.value.empty());
  }
}

TEST_CASE("placeholders are filled from the table") {
  auto out = substitute_names("linux /vmlinuz @MACULA_CMDLINE_SLOT@=a @MACULA_CMDLINE_MODE@=disk\n", "grub.cfg");
  REQUIRE(out);
  CHECK(*out == "linux /vmlinuz macula.slot=a macula.mode=disk\n");
}

TEST_CASE("text without placeholders, or with an @ that opens none, is kept as it is") {
  CHECK(substitute_names("", "x").value() == "");
  CHECK(substitute_names("mail root@example.org\n", "x").value() == "mail root@example.org\n");
  CHECK(substitute_names("@MACULA_RUN_DIR", "x").value() == "@MACULA_RUN_DIR");
  CHECK(substitute_names("@MACULA_RUN_DIR x@", "x").value() == "@MACULA_RUN_DIR x@");
  CHECK(substitute_names("@@MACULA_RUN_DIR@@", "x").value() == "@/run/macula@");
}

TEST_CASE("a placeholder the table does not hold is refused with its line") {
  auto out = substitute_names("one\ntwo @MACULA_RUN_DIR@\nthree @MACULA_NO_SUCH_NAME@\n", "bootloader/grub-iso.cfg");
  REQUIRE(!out);
  CHECK(out.error().message == "bootloader/grub-iso.cfg:3: @MACULA_NO_SUCH_NAME@ is not in the names table (names/names.h)");
}

}  // namespace macula
