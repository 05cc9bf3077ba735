#include "logs/log_files.h"

#include <catch2/catch.hpp>

#include "logs/log_rotation.h"
#include "names/names.h"

namespace macula {
namespace {

TEST_CASE("every service log is in the log directory, is rotated, and is found by its name") {
  REQUIRE(service_logs().size() >= 4);
  for (const ServiceLog& log : service_logs()) {
    INFO(log.name);
    const std::string path(log.path);
    CHECK(path.starts_with(std::string(kLogDir) + "/"));
    auto rotated = log_file_name(path.substr(path.rfind('/') + 1));
    REQUIRE(rotated);
    CHECK(rotated->second == 0);
    CHECK(service_log(log.name)->path == log.path);
  }
  CHECK(service_log("k3s")->path == kK3sLogPath);
  CHECK_FALSE(service_log("kernel"));
}

}  // namespace
}  // namespace macula
