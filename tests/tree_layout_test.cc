// The tree shows what is unit-testable and what only touches the machine: each room's effects
// (syscalls on real devices, libblkid, libmount, libcryptsetup, libcurl, the applets that run
// them) are in its sys/ folder and only the maculaos executable builds them; everything else is
// macula_core, which the unit tests link, and includes nothing from a sys/ folder.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace macula {

namespace {

const std::filesystem::path kRepo = MACULA_SOURCE_DIR;

std::string read_whole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The sources listed in CMakeLists.txt's add_library/add_executable(TARGET ...).
std::set<std::string> target_sources(const std::string& cmake, const std::string& opening) {
  std::set<std::string> sources;
  const size_t start = cmake.find(opening);
  REQUIRE(start != std::string::npos);
  const size_t end = cmake.find("\n)", start);
  const std::regex source(R"(\n  ([a-z0-9_/]+\.cc))");
  const std::string block = cmake.substr(start, end - start);
  for (std::sregex_iterator it(block.begin(), block.end(), source), e; it != e; ++it) sources.insert((*it)[1]);
  return sources;
}

bool in_sys(const std::string& path) { return path.find("/sys/") != std::string::npos; }

// The product's rooms: every top-level folder holding C++ but the tests', fuzzers' and tools'.
std::vector<std::filesystem::path> product_files() {
  const std::set<std::string> not_product = {"tests", "qemu-tests", "fuzz", "bench", "build", "toolchain"};
  std::vector<std::filesystem::path> files;
  for (const auto& room : std::filesystem::directory_iterator(kRepo)) {
    const std::string name = room.path().filename().string();
    if (!room.is_directory() || name.starts_with('.') || not_product.contains(name)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(room.path())) {
      const std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".cc" || ext == ".h")) files.push_back(entry.path());
    }
  }
  return files;
}

}  // namespace

TEST_CASE("no file outside a sys/ folder includes one inside") {
  const std::regex include(R"(#include "([a-z0-9_/]+\.h)\")");
  std::vector<std::string> problems;
  for (const auto& file : product_files()) {
    const std::string relative = file.lexically_relative(kRepo).string();
    if (in_sys(relative)) continue;
    const std::string text = read_whole(file);
    for (std::sregex_iterator it(text.begin(), text.end(), include), e; it != e; ++it)
      if (in_sys((*it)[1])) problems.push_back(relative + " includes " + (*it)[1].str());
  }
  for (const std::string& p : problems) UNSCOPED_INFO(p);
  CHECK(problems.empty());
}

TEST_CASE("macula_core builds no sys/ file, and the executable builds nothing else of the rooms") {
  const std::string cmake = read_whole(kRepo / "CMakeLists.txt");
  const std::set<std::string> core = target_sources(cmake, "add_library(macula_core STATIC");
  const std::set<std::string> product = target_sources(cmake, "add_executable(maculaos\n");
  REQUIRE(core.size() > 50);
  REQUIRE(product.size() > 30);
  for (const std::string& source : core) {
    INFO(source);
    CHECK_FALSE(in_sys(source));
  }
  for (const std::string& source : product) {
    INFO(source);
    CHECK(in_sys(source));
  }
  // and every product .cc is built by one of them (a test's own .cc aside)
  for (const auto& file : product_files()) {
    const std::string relative = file.lexically_relative(kRepo).string();
    if (file.extension() != ".cc" || relative.ends_with("_test.cc") || relative.starts_with("names/names_export")) continue;
    INFO(relative);
    CHECK((core.contains(relative) || product.contains(relative)));
  }
}

// catch_discover_tests hands each name to ctest as one item of a CMake list (a ';' splits it
// in two, neither found) and back to Catch as an argument (a leading '-' is read as an option).
TEST_CASE("every test case's name reaches ctest whole, with no semicolon in it and no dash in front") {
  const std::regex test_case(R"re(TEST_CASE\("([^"]*)")re");
  std::vector<std::filesystem::path> files = product_files();
  for (const auto& entry : std::filesystem::directory_iterator(kRepo / "tests")) files.push_back(entry.path());
  std::vector<std::string> problems;
  for (const auto& file : files) {
    if (!file.filename().string().ends_with("_test.cc")) continue;
    const std::string text = read_whole(file);
    for (std::sregex_iterator it(text.begin(), text.end(), test_case), e; it != e; ++it) {
      const std::string name = (*it)[1];
      if (name.find(';') != std::string::npos || name.starts_with('-'))
        problems.push_back(file.lexically_relative(kRepo).string() + ": " + name);
    }
  }
  for (const std::string& p : problems) UNSCOPED_INFO(p);
  CHECK(problems.empty());
}

}  // namespace macula
