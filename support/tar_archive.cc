#include "support/tar_archive.h"

#include <cstdio>
#include <cstring>

namespace macula {

namespace {

constexpr std::size_t kBlock = 512;

// An octal field of `size` bytes: the digits, then NUL.
void octal(char* field, std::size_t size, std::uint64_t value) {
  std::snprintf(field, size, "%0*llo", static_cast<int>(size - 1), static_cast<unsigned long long>(value));
}

}  // namespace

Result<std::string> tar_archive(const std::vector<TarEntry>& entries) {
  std::string out;
  for (const TarEntry& entry : entries) {
    if (entry.name.empty() || entry.name.size() > 100)
      return fail("tar: '" + entry.name + "': expected a name of 1 to 100 bytes");
    char header[kBlock] = {};
    std::memcpy(header, entry.name.data(), entry.name.size());
    octal(header + 100, 8, 0644);                // mode
    octal(header + 108, 8, 0);                   // uid
    octal(header + 116, 8, 0);                   // gid
    octal(header + 124, 12, entry.content.size());
    octal(header + 136, 12, static_cast<std::uint64_t>(entry.mtime));
    header[156] = '0';                           // a regular file
    std::memcpy(header + 257, "ustar", 6);       // magic, NUL-terminated
    std::memcpy(header + 263, "00", 2);          // version
    std::memcpy(header + 265, "root", 4);
    std::memcpy(header + 297, "root", 4);
    // the checksum: the header's bytes summed with its own field as spaces
    std::memset(header + 148, ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : header) sum += c;
    std::snprintf(header + 148, 8, "%06o", sum);
    out.append(header, kBlock);
    out.append(entry.content);
    out.append((kBlock - entry.content.size() % kBlock) % kBlock, '\0');
  }
  out.append(2 * kBlock, '\0');
  return out;
}

}  // namespace macula
