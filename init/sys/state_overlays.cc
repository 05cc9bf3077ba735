#include "init/sys/state_overlays.h"

#include <sys/stat.h>
#include <unistd.h>

#include "common/files.h"
#include "common/sys/mounts.h"
#include "names/names.h"
#include "init/copy_tree.h"

namespace macula {

namespace {

// The directories of the root image that get an upper layer in the store.
constexpr const char* kPersistentOverlays[] = {"etc", "home", "root", "opt"};
// In the store, once the image's /var has been merged into its var/ whole.
constexpr const char* kVarSeededMark = ".var-seeded";

// An overlay's upper directory, made with the owner and mode of the image's directory (the
// merged directory shows the upper's: /root must stay 0700). Left alone once it exists: a
// change made on the running system lands there and is kept.
Result<void> make_upper(const std::string& upper, const std::string& lower) {
  if (::access(upper.c_str(), F_OK) == 0) return {};
  struct stat st {};
  if (::stat(lower.c_str(), &st) != 0) return fail_errno("stat " + lower);
  if (auto r = make_dirs(upper); !r) return r;
  if (::chown(upper.c_str(), st.st_uid, st.st_gid) != 0) return fail_errno("chown " + upper);
  if (::chmod(upper.c_str(), st.st_mode & 07777) != 0) return fail_errno("chmod " + upper);
  return {};
}

// Until it has been done whole, the image's /var is merged into the store's: what is there
// (the config the installer wrote, what a cut-short merge copied) stays, the rest is added.
Result<void> seed_var(const std::string& store, BootLog& log) {
  const std::string mark = store + "/" + kVarSeededMark;
  if (::access(mark.c_str(), F_OK) == 0) return {};
  if (auto r = copy_tree(std::string(kRootImageMount) + "/var", store + "/var", CopyMode::merge); !r) return r;
  if (auto r = write_file_atomic(mark, "", 0644); !r) return r;
  log.info("seeded /var from the image (first boot)");
  return {};
}

}  // namespace

Result<void> mount_state_overlays(const std::string& store, const std::string& new_root, BootLog& log) {
  for (const char* dir : kPersistentOverlays) {
    const std::string base = store + "/overlay/" + dir;
    Result<void> r = make_upper(base + "/upper", std::string(kRootImageMount) + "/" + dir);
    if (r) r = make_dirs(base + "/work");
    if (r) r = mount_with_libmount({"overlay", new_root + "/" + dir, "overlay",
                                   "lowerdir=" + std::string(kRootImageMount) + "/" + dir + ",upperdir=" + base +
                                       "/upper,workdir=" + base + "/work"});
    if (!r) return fail("/" + std::string(dir), r.error());
  }
  if (auto r = seed_var(store, log); !r) return fail("seeding /var", r.error());
  if (auto r = mount_with_libmount({store + "/var", new_root + "/var", "none", "bind"}); !r) return fail("/var", r.error());
  return {};
}

void unmount_state_overlays(const std::string& new_root) {
  for (const char* dir : {"var", "opt", "root", "home", "etc"}) detach(new_root + "/" + dir);
}

}  // namespace macula
