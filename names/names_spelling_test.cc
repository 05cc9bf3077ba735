// The image's scripts and GRUB's menus spell no cross-boundary name by hand: each comes from the
// names table (names/names.h), through names.sh or an @MACULA_...@ placeholder. A name written
// out, or one the table does not hold (a new path never added, a typo), fails here.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "names/names.h"

namespace macula {

namespace {

// Paths in the product's directories, kernel command-line words and labels, as they would be
// spelled by hand.
const std::regex kPathOrKey(
    R"((/run/macula|/var/lib/maculaos|/etc/maculaos|/usr/share/maculaos|/usr/lib/maculaos|/usr/libexec/maculaos|/opt/macula|/usr/bin/maculaos|/usr/sbin/macula-install|/var/log/macula|/var/log/k3s)[A-Za-z0-9_./-]*|\bmacula\.[a-z_]+(\.[a-z_]+)*)");
const std::regex kLabel(R"(\b(MACULAOS(_[A-Z]+)?|MACULA_ESP|CIDATA|cidata)\b)");
// $NAME, ${NAME} (names.sh's variables) and @NAME@ (placeholders filled at build)
const std::regex kReference(R"((\$\{?|@)(MACULA_[A-Z0-9_]+)(\}|@)?)");

bool exported(std::string_view name) {
  for (const ExportedName& e : kExportedNames)
    if (e.shell == name) return true;
  return false;
}

bool is_comment(const std::string& line) {
  const size_t first = line.find_first_not_of(" \t");
  return first != std::string::npos && line[first] == '#';
}

// What `text` (the file `source`) spells by hand, each as "SOURCE:LINE: problem".
std::vector<std::string> spelling_problems(const std::string& text, const std::string& source) {
  std::vector<std::string> problems;
  const bool sources_names = text.find(". " + std::string(kNamesShellPath)) != std::string::npos;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (is_comment(line)) continue;
    const std::string where = source + ":" + std::to_string(number) + ": ";
    for (std::sregex_iterator it(line.begin(), line.end(), kPathOrKey), end; it != end; ++it) {
      const std::string spelled = it->str();
      if (spelled == kNamesShellPath) continue;  // how a script gets the table
      problems.push_back(where + "'" + spelled + "' spelled by hand (take it from names/names.h)");
    }
    for (std::sregex_iterator it(line.begin(), line.end(), kLabel), end; it != end; ++it)
      problems.push_back(where + "label '" + it->str() + "' spelled by hand (take it from names/names.h)");
    for (std::sregex_iterator it(line.begin(), line.end(), kReference), end; it != end; ++it) {
      const bool placeholder = (*it)[1] == "@";
      if (placeholder && (*it)[3] != "@") continue;  // "@MACULA_" that closes nothing
      if (!placeholder && !sources_names) continue;  // a variable of its own (GRUB's boot state)
      if (!exported((*it)[2].str()))
        problems.push_back(where + "'" + it->str() + "' is not in the names table (names/names.h)");
    }
  }
  return problems;
}

std::string read_whole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("the spelling check finds names spelled by hand and names the table lacks") {
  const std::string script = ". /usr/lib/maculaos/names.sh\n"
                             "# a comment may say /run/macula/boot.json\n"
                             "cat \"$MACULA_BOOT_REPORT\" /run/macula/boot.json\n"
                             "grep -q macula.mode=disk /proc/cmdline\n"
                             "ls ${MACULA_NO_SUCH_DIR}/x /opt/macula/bin/k3s\n"
                             "probe --label MACULAOS_STATE; echo @MACULA_LABEL_STATE@ @MACULA_TYPO@\n";
  const std::vector<std::string> problems = spelling_problems(script, "s");
  const std::vector<std::string> expected = {
      "s:3: '/run/macula/boot.json' spelled by hand (take it from names/names.h)",
      "s:4: 'macula.mode' spelled by hand (take it from names/names.h)",
      "s:5: '/opt/macula/bin/k3s' spelled by hand (take it from names/names.h)",
      "s:5: '${MACULA_NO_SUCH_DIR}' is not in the names table (names/names.h)",
      "s:6: label 'MACULAOS_STATE' spelled by hand (take it from names/names.h)",
      "s:6: '@MACULA_TYPO@' is not in the names table (names/names.h)",
  };
  CHECK(problems == expected);
}

TEST_CASE("GRUB's own MACULA_ variables are not names.sh's") {
  CHECK(spelling_problems("load_env MACULA_SEQ\nif [ \"$MACULA_SEQ\" = 1 ]; then\n", "grub.cfg").empty());
}

TEST_CASE("rootfs/overlay and bootloader/*.cfg take every cross-boundary name from the table") {
  const std::filesystem::path repo = MACULA_SOURCE_DIR;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(repo / "rootfs/overlay"))
    if (entry.is_regular_file() && !entry.is_symlink()) files.push_back(entry.path());
  for (const auto& entry : std::filesystem::directory_iterator(repo / "bootloader"))
    if (entry.path().extension() == ".cfg") files.push_back(entry.path());
  REQUIRE(files.size() > 20);
  std::vector<std::string> problems;
  for (const auto& file : files)
    for (std::string& p : spelling_problems(read_whole(file), file.lexically_relative(repo).string()))
      problems.push_back(std::move(p));
  for (const std::string& p : problems) UNSCOPED_INFO(p);
  CHECK(problems.empty());
}

}  // namespace macula
