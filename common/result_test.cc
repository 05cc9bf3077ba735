#include "common/result.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <utility>

using namespace macula;

namespace {

Result<int> open_config() {
  errno = ENOENT;
  return fail_errno("open /etc/x.yaml");
}

Result<void> load() {
  auto fd = open_config();
  if (!fd) return fail("node config", fd.error());
  return {};
}

}  // namespace

TEST_CASE("context goes in front of the message and the errno survives the trip up") {
  const Error e = load().error();
  CHECK(e.code == ENOENT);
  CHECK(e.message == "node config: open /etc/x.yaml");
  CHECK(e.text() == "node config: open /etc/x.yaml: No such file or directory");
  CHECK(e.kind == ErrorKind::not_found);
}

TEST_CASE("a usage error stays one when context is added") {
  Result<void> r = fail("fetch", usage_error("missing -o FILE").error());
  CHECK(r.error().kind == ErrorKind::usage);
  CHECK(r.error().text() == "fetch: missing -o FILE");
}

TEST_CASE("an error without an errno or a kind is a plain failure") {
  CHECK(fail("it broke").error().kind == ErrorKind::failure);
}

TEST_CASE("a kind given explicitly wins over the errno's") {
  const Error e = fail(ErrorKind::verification, "rootfs: SHA-256 differs", EIO).error();
  CHECK(e.kind == ErrorKind::verification);
  CHECK(e.code == EIO);
  CHECK(fail("slot b", e).error().kind == ErrorKind::verification);
}

TEST_CASE("an errno without a kind of its own gets the kind it means") {
  const std::pair<int, ErrorKind> cases[] = {
      {ENOENT, ErrorKind::not_found},      {ENOTDIR, ErrorKind::not_found},  {ENODEV, ErrorKind::not_found},
      {ENXIO, ErrorKind::not_found},       {EACCES, ErrorKind::permission},  {EPERM, ErrorKind::permission},
      {EROFS, ErrorKind::permission},      {EBUSY, ErrorKind::busy},         {EAGAIN, ErrorKind::busy},
      {EWOULDBLOCK, ErrorKind::busy},      {ETXTBSY, ErrorKind::busy},       {EIO, ErrorKind::io},
      {ENOSPC, ErrorKind::io},             {EDQUOT, ErrorKind::io},          {ECONNREFUSED, ErrorKind::network},
      {ECONNRESET, ErrorKind::network},    {EHOSTUNREACH, ErrorKind::network}, {ENETUNREACH, ErrorKind::network},
      {ETIMEDOUT, ErrorKind::network},     {EINVAL, ErrorKind::failure},     {EEXIST, ErrorKind::failure},
      {0, ErrorKind::failure},
  };
  for (const auto& [code, kind] : cases) {
    INFO(std::strerror(code));
    CHECK(fail("x", code).error().kind == kind);
    errno = code;
    CHECK(fail_errno("x").error().kind == kind);
  }
}
