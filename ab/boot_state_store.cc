#include "ab/boot_state_store.h"

#include <fcntl.h>
#include <unistd.h>

#include "common/fd.h"
#include "common/files.h"
#include "names/names.h"

namespace macula {

std::string booted_boot_state_dir() { return std::string(kEspMount) + "/" + std::string(kEspStateDir); }

namespace {

// In place: same size, same blocks; fsync so the block is on disk before we go on.
Result<void> overwrite(const std::string& path, const std::string& block, bool create) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC | (create ? O_CREAT | O_TRUNC : 0), 0644));
  if (!fd) return fail_errno("open " + path);
  if (::pwrite(fd.get(), block.data(), block.size(), 0) != static_cast<ssize_t>(block.size()))
    return fail_errno("write " + path);
  if (::fsync(fd.get()) != 0) return fail_errno("fsync " + path);
  return {};
}

const char* copy_name(int copy) { return copy == 0 ? "state1.env" : "state2.env"; }

}  // namespace

Result<void> BootStateStore::create(const BootState& initial) const {
  auto state = encode_state(initial);
  auto empty = format_grub_env({});
  auto counter = encode_counter({});
  if (!state) return fail(state.error());
  Result<void> r = overwrite(path("state2.env"), *empty, true);
  if (r) r = overwrite(path("tries.env"), *counter, true);
  if (r) r = overwrite(path("state1.env"), *state, true);
  return r;
}

Result<StoredState> BootStateStore::load() const {
  const std::string c1 = read_file(path("state1.env")).value_or("");
  const std::string c2 = read_file(path("state2.env")).value_or("");
  auto picked = pick_state(c1, c2);
  if (!picked) return fail("boot state in " + dir_, picked.error());
  return picked;
}

Result<void> BootStateStore::save(const StoredState& current, const BootState& next) const {
  auto block = encode_state(next);
  if (!block) return fail(block.error());
  return overwrite(path(copy_name(1 - current.copy)), *block, false);
}

TryCounter BootStateStore::counter() const {
  return decode_counter(read_file(path("tries.env")).value_or(""));
}

Result<void> BootStateStore::save_counter(const TryCounter& counter) const {
  auto block = encode_counter(counter);
  if (!block) return fail(block.error());
  return overwrite(path("tries.env"), *block, false);
}

}  // namespace macula
