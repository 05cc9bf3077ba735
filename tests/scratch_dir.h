// A fresh directory under the system's temporary directory for one unit test, removed with
// everything in it when the test ends (also when a REQUIRE ends it early).
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace macula {

struct ScratchDir {
  explicit ScratchDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() / ("macula-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~ScratchDir() { std::filesystem::remove_all(path); }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path path;
};

}  // namespace macula
