#include "support/tar_archive.h"

#include <catch2/catch.hpp>

#include <string>

namespace macula {
namespace {

// The octal number of a header field.
std::uint64_t field(const std::string& header, std::size_t at, std::size_t size) {
  return std::stoull(header.substr(at, size), nullptr, 8);
}

TEST_CASE("a tar archive: a ustar header a file, its content padded to blocks, two zero blocks") {
  auto tar = tar_archive({{"bundle/boot.json", "{}\n", 1700000000}, {"bundle/empty.txt", "", 0}});
  REQUIRE(tar);
  REQUIRE(tar->size() == 512 + 512 + 512 + 1024);
  const std::string header = tar->substr(0, 512);
  CHECK(header.substr(0, 17) == std::string("bundle/boot.json\0", 17));
  CHECK(field(header, 124, 11) == 3);
  CHECK(field(header, 136, 11) == 1700000000);
  CHECK(field(header, 100, 7) == 0644);
  CHECK(header[156] == '0');
  CHECK(header.substr(257, 8) == std::string("ustar\0" "00", 8));
  unsigned sum = 0;
  for (std::size_t i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(header[i]);
  CHECK(field(header, 148, 6) == sum);
  CHECK(tar->substr(512, 3) == "{}\n");
  CHECK(tar->substr(515, 509) == std::string(509, '\0'));
  CHECK(tar->substr(1024, 16) == "bundle/empty.txt");
  CHECK(tar->substr(1536) == std::string(1024, '\0'));
}

TEST_CASE("a name longer than ustar holds is an error naming it") {
  auto tar = tar_archive({{std::string(101, 'x'), "", 0}});
  REQUIRE_FALSE(tar);
  CHECK_THAT(tar.error().message, Catch::Contains("expected a name of 1 to 100 bytes"));
}

}  // namespace
}  // namespace macula
