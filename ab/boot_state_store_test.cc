#include "ab/boot_state_store.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "common/files.h"
#include "tests/scratch_dir.h"

namespace macula {
namespace {

namespace fs = std::filesystem;

TEST_CASE("the store alternates copies, keeps every file 1024 bytes, survives a torn copy") {
  const ScratchDir scratch("store");
  const fs::path& dir = scratch.path;
  const BootStateStore store(dir.string());
  REQUIRE(store.create(installed_state("1.0")));
  for (const char* f : {"state1.env", "state2.env", "tries.env"}) CHECK(fs::file_size(dir / f) == kGrubEnvSize);

  auto s1 = store.load();
  REQUIRE(s1);
  CHECK(s1->copy == 0);
  CHECK(s1->state == installed_state("1.0"));
  CHECK(store.counter() == TryCounter{});

  // A trial: the counter first, then the state, into copy 2.
  const BootState trial = start_trial(s1->state, Slot::b, "1.1");
  REQUIRE(store.save_counter({trial.seq, kTrialTries}));
  REQUIRE(store.save(*s1, trial));
  auto s2 = store.load();
  REQUIRE(s2);
  CHECK(s2->copy == 1);
  CHECK(s2->state == trial);
  CHECK(store.counter() == TryCounter{trial.seq, kTrialTries});
  CHECK(fs::file_size(dir / "state2.env") == kGrubEnvSize);

  // The next write goes to copy 1; tear it half way: copy 2 (the trial) still stands.
  auto good = mark_good(s2->state, Slot::b);
  REQUIRE(good);
  REQUIRE(store.save(*s2, *good));
  CHECK(store.load()->state == *good);
  std::string block = read_file((dir / "state1.env").string()).value();
  block.replace(40, 20, std::string(20, 'X'));
  std::ofstream(dir / "state1.env", std::ios::binary) << block;
  auto after_tear = store.load();
  REQUIRE(after_tear);
  CHECK(after_tear->state == trial);
}

}  // namespace
}  // namespace macula
