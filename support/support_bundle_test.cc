#include "support/support_bundle.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>

#include "names/names.h"
#include "tests/scratch_dir.h"

namespace macula {
namespace {

const std::string kToken = "K10" + std::string(64, 'c') + "::server:planted-token-value";
const std::string kKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nplantedKEYbody\n-----END OPENSSH PRIVATE KEY-----\n";

// The machine as a map: paths and commands to what they give; what was asked for is kept.
class FakeSources : public SupportSources {
 public:
  std::map<std::string, std::string> files, commands;
  std::vector<std::string> read;

  Result<std::string> read_tail(const std::string& path, std::uint64_t max_bytes) override {
    read.push_back(path);
    auto it = files.find(path);
    if (it == files.end()) return fail("open " + path, ENOENT);
    return it->second.substr(it->second.size() > max_bytes ? it->second.size() - max_bytes : 0);
  }
  Result<std::string> run(const std::vector<std::string>& argv) override {
    std::string line;
    for (const std::string& word : argv) line += (line.empty() ? "" : " ") + word;
    auto it = commands.find(line);
    if (it == commands.end()) return fail("run " + argv[0], ENOENT);
    return it->second;
  }
};

void write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

const TarEntry* entry(const std::vector<TarEntry>& entries, const std::string& name) {
  for (const TarEntry& e : entries)
    if (e.name == "b/" + name) return &e;
  return nullptr;
}

TEST_CASE("a support bundle has the node's facts and none of its secrets") {
  ScratchDir root("support");
  const std::string r = root.path.string();
  write(root.path / std::string(kNodeConfigPath).substr(1),
        "maculaos:\n  token: " + kToken + "\n  password: \"$6$salt$plantedhash\"\n  node_name: edge-7\n");
  FakeSources sources;
  sources.files[r + kBootReportPath] = R"({"mode": "disk", "timings_ms": {"init_started": 10, "init_total": 0}})";
  sources.files[r + kK3sLogPath] = "first line\n" + std::string(kBundleLogTail, 'x') + "\nlevel=info msg=\"joining with token " +
                                   kToken + "\"\n" + kKey + "user password=planted-password ok\n";
  sources.files["/proc/cmdline"] = "BOOT_IMAGE=/boot/vmlinuz maculaos.password=planted-cmdline quiet\n";
  sources.commands["maculaos version"] = "maculaos 0.1.0\n";
  sources.commands["rc-status --all"] = "Runlevel: default\n k3s  [ started ]\n";

  const std::vector<TarEntry> bundle = collect_support(r, "b", 1700000000, sources);
  std::string all;
  for (const TarEntry& e : bundle) all += e.name + "\n" + e.content;
  for (const char* secret : {"planted-token-value", "plantedKEYbody", "planted-password", "plantedhash", "planted-cmdline"})
    CHECK_THAT(all, !Catch::Contains(secret));

  REQUIRE(entry(bundle, "config.yaml"));
  CHECK_THAT(entry(bundle, "config.yaml")->content, Catch::Contains("node_name: \"edge-7\""));
  REQUIRE(entry(bundle, "boot-timeline.txt"));
  CHECK_THAT(entry(bundle, "boot-timeline.txt")->content, Catch::Contains("disk boot"));
  CHECK(entry(bundle, "version.txt")->content == "maculaos 0.1.0\n");
  CHECK(entry(bundle, "rc-status.txt"));
  REQUIRE(entry(bundle, "logs/k3s.log"));
  const std::string& log = entry(bundle, "logs/k3s.log")->content;
  CHECK_THAT(log, Catch::EndsWith("joining with token <hidden>\"\n<private key hidden>\nuser password=<hidden> ok\n"));
  CHECK_THAT(log, !Catch::Contains("first line"));  // its end only
  CHECK(entry(bundle, "cmdline.txt"));
  // what could not be had is said; a service that never logged is not
  REQUIRE(entry(bundle, "missing.txt"));
  CHECK_THAT(entry(bundle, "missing.txt")->content,
             Catch::Contains("boot-status.json: maculaos boot status --json:") && !Catch::Contains("macula-mesh"));
  for (const TarEntry& e : bundle) CHECK(e.mtime == 1700000000);
  // the state's files are never read through the sources: only the config reader reads config.yaml
  for (const std::string& path : sources.read) CHECK_FALSE(path.starts_with(r + kStateDir));
}

}  // namespace
}  // namespace macula
