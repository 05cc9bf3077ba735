// Where the programs installed after the image live: the root is read-only, /opt persists on an
// installed disk (an overlay on the state partition). On PATH for logins
// (rootfs/overlay/etc/profile.d/maculaos-bin.sh) and sudo; services run them from here.
#pragma once

namespace macula {

// k3s and the tools linked to it, Flux (maculaos setup); the mesh daemons, named as their
// services (macula-mesh, ...).
inline constexpr const char* kProductBinDir = "/opt/macula/bin";

}  // namespace macula
