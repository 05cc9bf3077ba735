// What PID 1 leaves under /run/macula for the booted system: /run moves into the new root, so
// every mount below stays visible there. Init writes these; the installer, the A/B tools and
// the tests read them.
#pragma once

namespace macula {

inline constexpr const char* kRunDir = "/run/macula";
inline constexpr const char* kMediaMount = "/run/macula/media";       // live: the boot media
inline constexpr const char* kRootImageMount = "/run/macula/rootfs";  // the squashfs root image
inline constexpr const char* kOverlayMount = "/run/macula/overlay";   // the tmpfs upper layer
inline constexpr const char* kSlotMount = "/run/macula/slot";         // installed: the booted slot
inline constexpr const char* kStateMount = "/run/macula/state";       // installed: the state partition
inline constexpr const char* kEspMount = "/run/macula/esp";           // installed: the ESP, boot state on it
inline constexpr const char* kPersistMount = "/run/macula/persist";   // live: the persistence, if any
inline constexpr const char* kBootReportPath = "/run/macula/boot.json";
// The fallback notice the end-of-boot assessment writes; /etc/update-motd.d/20-maculaos shows it.
inline constexpr const char* kMotdPath = "/run/macula/motd";
// A NoCloud seed's user-data and meta-data, copied by init from a file system labelled CIDATA
// (0600 in 0700: user-data may hold secrets); the config engine reads them as a source.
inline constexpr const char* kNoCloudSeedDir = "/run/macula/nocloud";
// This binary, handed to the booted system: /usr/sbin/maculaos and macula-install link here,
// so the tools always match the initramfs (and slot) that booted.
inline constexpr const char* kBinaryInRun = "/run/macula/bin/maculaos";

}  // namespace macula
