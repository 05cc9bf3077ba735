#include "common/result.h"

#include <catch2/catch.hpp>

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
  CHECK_FALSE(e.usage);
}

TEST_CASE("a usage error stays one when context is added") {
  Result<void> r = fail("fetch", usage_error("missing -o FILE").error());
  CHECK(r.error().usage);
  CHECK(r.error().text() == "fetch: missing -o FILE");
}
