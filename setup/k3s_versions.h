// k3s follows the OS. Each image pins a k3s version (maculaos.setup.k3s_version); every version
// setup installed keeps a directory of its own (kK3sVersionsDir/VERSION/k3s) and kK3sBinary is a
// link to one of them. Before each start of the k3s service the link is pointed at the version
// the booted image pins, fetched first when it is not there yet: a new slot's first boot runs
// its newer k3s, and a fallback to the previous slot runs that slot's k3s again. Pure: what to
// do, from what is installed; setup/sys/setup_steps does it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace macula {

// Where version's binary is kept.
std::string k3s_version_binary(std::string_view version);

// What kK3sBinary links to for version: relative, so the link resolves under any root.
std::string k3s_link_target(std::string_view version);

// The version a link target names; none for another target (or a link of another shape).
std::optional<std::string> k3s_linked_version(std::string_view target);

// On a node where setup installed k3s (before, there is nothing to follow):
enum class K3sFollow {
  nothing,     // the link names the pinned version already
  relink,      // the pinned version is installed: point the link at it
  fetch,       // the pinned version is not installed: fetch and verify it, then point the link
};

struct K3sFollowPlan {
  K3sFollow action = K3sFollow::nothing;
  // When the link moves: the versions no slot needs once it names the pinned one, all but that
  // and the one linked now (the other slot's, which a fallback runs again). Nothing when it
  // does not move: which version the other slot pins is known only as the link leaves it.
  std::vector<std::string> unneeded;
};

// linked: the version kK3sBinary's link names (none: a file, from before versions had
// directories); installed: the versions with a binary in kK3sVersionsDir.
K3sFollowPlan plan_k3s_follow(std::string_view pinned, const std::optional<std::string>& linked,
                              const std::vector<std::string>& installed);

}  // namespace macula
