// Every name that crosses a boundary, spelled once: between PID 1 and the booted system, the
// C++ rooms and the shell scripts, GRUB's menus and Linux, the build and the image. The rooms
// include this header; the image's shell scripts source names.sh and GRUB's menus and the
// image's other files have their @MACULA_...@ placeholders filled, both made at build from
// kExportedNames below by names_export (names/names_export.cc). names/names_spelling_test.cc
// fails when rootfs/overlay or bootloader/*.cfg spells one of these by hand.
//
// The lowest room: it includes nothing of ours, and every other room may include it.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace macula {

// ---- The kernel command line (init/cmdline.h reads it; GRUB's menus write it) ----
inline constexpr std::string_view kCmdlineMode = "macula.mode";            // BootMode below
inline constexpr std::string_view kCmdlineDebug = "macula.debug";
inline constexpr std::string_view kCmdlineBreak = "macula.break";          // [=BreakPoint]
inline constexpr std::string_view kCmdlineShell = "macula.shell";          // 0: never a shell
inline constexpr std::string_view kCmdlineEmergency = "macula.emergency";  // Emergency below
inline constexpr std::string_view kCmdlineTimeout = "macula.timeout";      // seconds for devices
inline constexpr std::string_view kCmdlineWatchdog = "macula.watchdog";    // a trial boot's seconds
inline constexpr std::string_view kCmdlineModules = "macula.modules";      // a,b: more to load
inline constexpr std::string_view kCmdlineSlot = "macula.slot";            // a|b: the slot GRUB chose
inline constexpr std::string_view kCmdlineEsp = "macula.esp";              // the PARTUUID of its ESP
inline constexpr std::string_view kCmdlinePersistence = "macula.persistence";
inline constexpr std::string_view kCmdlineConfigUrl = "macula.config_url";  // config/remote_config.h
// The ISO's unattended install (k3OS's k3os.install.* with our prefix)
inline constexpr std::string_view kCmdlineInstallDevice = "macula.install.device";
inline constexpr std::string_view kCmdlineInstallConfigUrl = "macula.install.config_url";
inline constexpr std::string_view kCmdlineInstallSilent = "macula.install.silent";
inline constexpr std::string_view kCmdlineInstallPowerOff = "macula.install.power_off";
inline constexpr std::string_view kCmdlineInstallEncrypt = "macula.install.encrypt";
// maculaos.KEY=VALUE: a node config key (config/config_schema.h) given on the command line
inline constexpr std::string_view kCmdlineConfigPrefix = "maculaos.";
// Words of PID 1's own parsing: the kernel's init= and console=, and any word under macula.
inline constexpr std::string_view kCmdlineInit = "init";
inline constexpr std::string_view kCmdlineConsole = "console";
inline constexpr std::string_view kCmdlineOwnPrefix = "macula.";

// ---- What a boot is (macula.mode=), what stops it, what a fatal error does ----
enum class BootMode { live, install, disk, recovery, shell };
enum class Emergency { shell, reboot, poweroff };
// The stages macula.break=STAGE can stop before, in boot order (like dracut's rd.break).
enum class BreakPoint { modules, devices, mount, overlay, pivot };
// The stages of the node config (`maculaos config apply --stage`, config/config_apply.h).
enum class ConfigStage { init, boot, network, run };

inline constexpr std::array kBootModeNames{
    std::pair{BootMode::live, std::string_view("live")}, std::pair{BootMode::install, std::string_view("install")},
    std::pair{BootMode::disk, std::string_view("disk")}, std::pair{BootMode::recovery, std::string_view("recovery")},
    std::pair{BootMode::shell, std::string_view("shell")}};
inline constexpr std::array kEmergencyNames{std::pair{Emergency::shell, std::string_view("shell")},
                                            std::pair{Emergency::reboot, std::string_view("reboot")},
                                            std::pair{Emergency::poweroff, std::string_view("poweroff")}};
inline constexpr std::array kBreakPointNames{
    std::pair{BreakPoint::modules, std::string_view("modules")}, std::pair{BreakPoint::devices, std::string_view("devices")},
    std::pair{BreakPoint::mount, std::string_view("mount")}, std::pair{BreakPoint::overlay, std::string_view("overlay")},
    std::pair{BreakPoint::pivot, std::string_view("pivot")}};
inline constexpr std::array kConfigStageNames{
    std::pair{ConfigStage::init, std::string_view("init")}, std::pair{ConfigStage::boot, std::string_view("boot")},
    std::pair{ConfigStage::network, std::string_view("network")}, std::pair{ConfigStage::run, std::string_view("run")}};

// The value a name stands for, or nothing when no value has it.
template <class Table>
constexpr auto named(const Table& table, std::string_view name) -> std::optional<decltype(table[0].first)> {
  for (const auto& [value, text] : table)
    if (text == name) return value;
  return std::nullopt;
}

template <class Table, class E>
constexpr std::string_view name_in(const Table& table, E value) {
  for (const auto& [v, text] : table)
    if (v == value) return text;
  return "?";
}

constexpr std::string_view to_string(BootMode m) { return name_in(kBootModeNames, m); }
constexpr std::string_view to_string(Emergency e) { return name_in(kEmergencyNames, e); }
constexpr std::string_view to_string(BreakPoint b) { return name_in(kBreakPointNames, b); }
constexpr std::string_view to_string(ConfigStage s) { return name_in(kConfigStageNames, s); }

// ---- Labels of file systems (blkid's LABEL) ----
inline constexpr std::string_view kMediaLabel = "MACULAOS";         // the ISO (bootloader/make-iso.sh)
inline constexpr std::string_view kEspLabel = "MACULA_ESP";         // ab/disk_layout.h: the partitions
inline constexpr std::string_view kSlotALabel = "MACULAOS_A";
inline constexpr std::string_view kSlotBLabel = "MACULAOS_B";
inline constexpr std::string_view kStateLabel = "MACULAOS_STATE";   // written last: GRUB boots only a whole install
inline constexpr std::string_view kIncompleteStateLabel = "MACULAOS_NEW";  // until then
inline constexpr std::string_view kPersistLabel = "MACULAOS_PERSIST";      // live persistence
inline constexpr std::string_view kIncompletePersistLabel = "MACULAOS_PNEW";
inline constexpr std::string_view kInnerFilesystemLabel = "MACULAOS_INNER";  // inside a LUKS2 volume
// A NoCloud seed (cloud-init's names, either case)
inline constexpr std::string_view kNoCloudLabel = "CIDATA";
inline constexpr std::string_view kNoCloudLabelLower = "cidata";

// ---- The live media, as bootloader/make-iso.sh lays it out ----
inline constexpr std::string_view kMediaRootImage = "maculaos/rootfs.squashfs";
inline constexpr std::string_view kMediaKernel = "boot/vmlinuz";
inline constexpr std::string_view kMediaInitrd = "boot/initrd.zst";
// A node config a person adds to the media (a remastered ISO), read by live boots.
inline constexpr std::string_view kMediaConfig = "maculaos/config.yaml";

// ---- The ESP of an installed disk: the boot state GRUB and Linux share (ab/boot_state_store.h) ----
inline constexpr std::string_view kEspStateDir = "maculaos";
// An encrypted state is LUKS2 with the state's label on its header; GRUB cannot read that
// label, so this file beside the boot state, written after it, is the mark of a complete
// install that GRUB checks instead.
inline constexpr std::string_view kEncryptedStateMark = "state-encrypted";
// GRUB's superuser (maculaos.boot.grub_password, ab/grub_superuser.h): the config's boot stage
// writes it, or removes it when the key is unset; grub-disk.cfg sources it when it is there.
inline constexpr std::string_view kEspGrubSuperuser = "grub-superuser.cfg";

// ---- What PID 1 leaves under /run/macula for the booted system (/run moves into the new root) ----
inline constexpr const char* kRunDir = "/run/macula";
inline constexpr const char* kMediaMount = "/run/macula/media";       // live: the boot media
inline constexpr const char* kRootImageMount = "/run/macula/rootfs";  // the squashfs root image
inline constexpr const char* kOverlayMount = "/run/macula/overlay";   // the tmpfs upper layer
inline constexpr const char* kSlotMount = "/run/macula/slot";         // installed: the booted slot
inline constexpr const char* kStateMount = "/run/macula/state";       // installed: the state partition
inline constexpr const char* kEspMount = "/run/macula/esp";           // installed: the ESP, boot state on it
inline constexpr const char* kPersistMount = "/run/macula/persist";   // live: the persistence, if any
inline constexpr const char* kNoCloudSeedMount = "/run/macula/cidata";  // a seed, while init copies it
inline constexpr const char* kBootReportPath = "/run/macula/boot.json";
// The fallback notice the end-of-boot assessment writes; /etc/update-motd.d/20-maculaos shows it.
inline constexpr const char* kMotdPath = "/run/macula/motd";
// What the boot stage of this boot applied and each problem: `config status` and the motd.
inline constexpr const char* kConfigStatusPath = "/run/macula/config-status";
// A NoCloud seed's user-data and meta-data, copied by init (0600 in 0700: user-data may hold
// secrets); the config engine reads them as a source.
inline constexpr const char* kNoCloudSeedDir = "/run/macula/nocloud";
// This binary, handed to the booted system: the image's maculaos and macula-install link here,
// so the tools always match the initramfs (and slot) that booted.
inline constexpr const char* kBinaryInRun = "/run/macula/bin/maculaos";
// That binary's man pages (maculaos help --man-dir, at the end of each boot: they match the
// binary that booted); /etc/man.conf puts it on man's path.
inline constexpr const char* kManDir = "/run/macula/man";
// Cues: the pairing service runs (its port stays open in the firewall); setup has not run.
inline constexpr const char* kPairingCue = "/run/macula/pairing";
inline constexpr const char* kSetupNeededCue = "/run/macula/setup-needed";
// The login screens' extra text (/etc/issue.d links here): the pairing code.
inline constexpr const char* kIssueDir = "/run/macula/issue.d";
inline constexpr const char* kPairingIssueFile = "/run/macula/issue.d/50-pairing.issue";
inline constexpr const char* kStandbyMount = "/run/macula/upgrade";  // upgrade --apply: the standby slot
// Beside /run/macula, not in it: what the tools of the booted system keep for themselves.
inline constexpr const char* kInstallWorkDir = "/run/macula-install";  // macula-install's mounts
inline constexpr const char* kBootStateLock = "/run/macula-boot-state.lock";
inline constexpr const char* kFirstbootPidFile = "/run/macula-firstboot.pid";
inline constexpr const char* kMdnsNamePidFile = "/run/macula-mdns-name.pid";
inline constexpr const char* kNetworkIfacesFile = "/run/macula-network.ifaces";

// ---- The node's state (/var persists on an installed disk and with live persistence) ----
inline constexpr const char* kStateDir = "/var/lib/maculaos";
inline constexpr const char* kNodeConfigPath = "/var/lib/maculaos/config.yaml";
inline constexpr const char* kConfigDropInDir = "/var/lib/maculaos/config.d";  // *.yaml, in name order
// The merged config of the last boot stage that applied: used whole when a source has an error.
inline constexpr const char* kAppliedConfigPath = "/var/lib/maculaos/applied-config.yaml";
inline constexpr const char* kRemoteCacheDir = "/var/lib/maculaos/remote";  // macula.config_url's copy
inline constexpr const char* kNodeIdentityDir = "/var/lib/maculaos/identity";
inline constexpr const char* kCredentialsDir = "/var/lib/maculaos/credentials";
inline constexpr const char* kK3sTokenPath = "/var/lib/maculaos/k3s-token";
inline constexpr const char* kSetupDir = "/var/lib/maculaos/setup";
// The NoCloud instance this node applied (config/nocloud_trust.h): the seed's meta-data and
// user-data, then instance-id, written by init at the instance's first boot; read as a source
// at every boot after (0600 in 0700).
inline constexpr const char* kNoCloudInstanceDir = "/var/lib/maculaos/nocloud";
inline constexpr std::string_view kNoCloudInstanceIdFile = "instance-id";
// Setup (or pairing) has run: the boot no longer asks for it.
inline constexpr const char* kConfiguredFlag = "/var/lib/maculaos/.configured";
// The last answer of the release channel's automatic check (upgrade/auto_check.h): 0644 in the
// root-only state, read by the motd (as root) and sysinfo under sudo.
inline constexpr const char* kUpgradeStateDir = "/var/lib/maculaos/upgrade";
inline constexpr const char* kAvailableReleasePath = "/var/lib/maculaos/upgrade/available.json";
// auto_apply on a k3s node: the node drained and the cluster's Lease held, until the boot after
inline constexpr const char* kPendingApplyPath = "/var/lib/maculaos/upgrade/applying.json";

// ---- The image's own files ----
// The user the image ships: the console login, sudo, SSH.
inline constexpr const char* kNodeUser = "macula";
// Its password in the image (the live ISO's login): an installed node never keeps it
// (config/image_password.h).
inline constexpr const char* kImagePassword = "macula";
inline constexpr const char* kEtcDir = "/etc/maculaos";
inline constexpr const char* kReleaseKeysDir = "/etc/maculaos/keys";
inline constexpr const char* kHealthDir = "/etc/maculaos/health.d";
inline constexpr const char* kMeshEnvPath = "/etc/maculaos/mesh.env";
inline constexpr const char* kK3sEnvPath = "/etc/maculaos/k3s.env";
inline constexpr const char* kNetworkPlanPath = "/etc/maculaos/network.conf";
inline constexpr const char* kImageConfigPath = "/usr/share/maculaos/config.yaml";  // under every other source
inline constexpr const char* kLogoPath = "/usr/share/maculaos/logo.txt";
inline constexpr const char* kOpenrcDependsPath = "/usr/share/maculaos/openrc-depends";
inline constexpr const char* kNamesShellPath = "/usr/lib/maculaos/names.sh";  // this table, for shell
inline constexpr const char* kLibexecDir = "/usr/libexec/maculaos";
inline constexpr const char* kBinaryPath = "/usr/bin/maculaos";
inline constexpr const char* kInstallerPath = "/usr/sbin/macula-install";
// What is installed after the image (the root is read-only, /opt persists): k3s and the tools
// linked to it, Flux, the mesh daemons. On PATH for logins and sudo.
inline constexpr const char* kProductBinDir = "/opt/macula/bin";
// k3s follows the OS (setup/k3s_versions.h): each version setup installed is kept in
// kK3sVersionsDir/VERSION/k3s, and kK3sBinary links to the one the booted image pins.
inline constexpr const char* kK3sBinary = "/opt/macula/bin/k3s";
inline constexpr const char* kK3sVersionsDir = "/opt/macula/k3s";
// k3s's admin kubeconfig: on servers only (an agent's kubelet may not take Leases or drain)
inline constexpr const char* kK3sAdminKubeconfig = "/etc/rancher/k3s/k3s.yaml";
inline constexpr const char* kK3sLogPath = "/var/log/k3s.log";
inline constexpr const char* kFirstbootLogPath = "/var/log/macula-firstboot.log";
inline constexpr const char* kMdnsNameLogPath = "/var/log/macula-mdns-name.log";
// The mesh roles' services, macula-logs and macula-update-check (rootfs/overlay/etc/init.d) each
// log to LOG_DIR/SERVICE.log.
inline constexpr const char* kLogDir = "/var/log";
inline constexpr const char* kMeshLogPath = "/var/log/macula-mesh.log";
inline constexpr const char* kBootstrapLogPath = "/var/log/macula-bootstrap.log";
inline constexpr const char* kGatewayLogPath = "/var/log/macula-gateway.log";
inline constexpr const char* kRotationLogPath = "/var/log/macula-logs.log";  // the macula-logs service's own
inline constexpr const char* kUpdateCheckLogPath = "/var/log/macula-update-check.log";

// ---- The table names_export writes: each name as shell and GRUB see it ----
struct ExportedName {
  std::string_view shell;  // MACULA_...: names.sh's variable and the @MACULA_...@ placeholder
  std::string_view value;
};

inline constexpr ExportedName kExportedNames[] = {
    {"MACULA_CMDLINE_MODE", kCmdlineMode},
    {"MACULA_CMDLINE_DEBUG", kCmdlineDebug},
    {"MACULA_CMDLINE_BREAK", kCmdlineBreak},
    {"MACULA_CMDLINE_SHELL", kCmdlineShell},
    {"MACULA_CMDLINE_EMERGENCY", kCmdlineEmergency},
    {"MACULA_CMDLINE_TIMEOUT", kCmdlineTimeout},
    {"MACULA_CMDLINE_WATCHDOG", kCmdlineWatchdog},
    {"MACULA_CMDLINE_MODULES", kCmdlineModules},
    {"MACULA_CMDLINE_SLOT", kCmdlineSlot},
    {"MACULA_CMDLINE_ESP", kCmdlineEsp},
    {"MACULA_CMDLINE_PERSISTENCE", kCmdlinePersistence},
    {"MACULA_CMDLINE_CONFIG_URL", kCmdlineConfigUrl},
    {"MACULA_CMDLINE_INSTALL_DEVICE", kCmdlineInstallDevice},
    {"MACULA_CMDLINE_INSTALL_CONFIG_URL", kCmdlineInstallConfigUrl},
    {"MACULA_CMDLINE_INSTALL_SILENT", kCmdlineInstallSilent},
    {"MACULA_CMDLINE_INSTALL_POWER_OFF", kCmdlineInstallPowerOff},
    {"MACULA_CMDLINE_INSTALL_ENCRYPT", kCmdlineInstallEncrypt},
    {"MACULA_MODE_LIVE", to_string(BootMode::live)},
    {"MACULA_MODE_INSTALL", to_string(BootMode::install)},
    {"MACULA_MODE_DISK", to_string(BootMode::disk)},
    {"MACULA_MODE_RECOVERY", to_string(BootMode::recovery)},
    {"MACULA_MODE_SHELL", to_string(BootMode::shell)},
    {"MACULA_LABEL_MEDIA", kMediaLabel},
    {"MACULA_LABEL_ESP", kEspLabel},
    {"MACULA_LABEL_SLOT_A", kSlotALabel},
    {"MACULA_LABEL_SLOT_B", kSlotBLabel},
    {"MACULA_LABEL_STATE", kStateLabel},
    {"MACULA_LABEL_STATE_INCOMPLETE", kIncompleteStateLabel},
    {"MACULA_LABEL_PERSIST", kPersistLabel},
    {"MACULA_LABEL_PERSIST_INCOMPLETE", kIncompletePersistLabel},
    {"MACULA_LABEL_INNER", kInnerFilesystemLabel},
    {"MACULA_LABEL_NOCLOUD", kNoCloudLabel},
    {"MACULA_MEDIA_ROOT_IMAGE", kMediaRootImage},
    {"MACULA_MEDIA_KERNEL", kMediaKernel},
    {"MACULA_MEDIA_INITRD", kMediaInitrd},
    {"MACULA_MEDIA_CONFIG", kMediaConfig},
    {"MACULA_ESP_STATE_DIR", kEspStateDir},
    {"MACULA_ESP_ENCRYPTED_STATE_MARK", kEncryptedStateMark},
    {"MACULA_ESP_GRUB_SUPERUSER", kEspGrubSuperuser},
    {"MACULA_RUN_DIR", kRunDir},
    {"MACULA_MEDIA_MOUNT", kMediaMount},
    {"MACULA_ROOT_IMAGE_MOUNT", kRootImageMount},
    {"MACULA_OVERLAY_MOUNT", kOverlayMount},
    {"MACULA_SLOT_MOUNT", kSlotMount},
    {"MACULA_STATE_MOUNT", kStateMount},
    {"MACULA_ESP_MOUNT", kEspMount},
    {"MACULA_PERSIST_MOUNT", kPersistMount},
    {"MACULA_NOCLOUD_SEED_MOUNT", kNoCloudSeedMount},
    {"MACULA_BOOT_REPORT", kBootReportPath},
    {"MACULA_MOTD", kMotdPath},
    {"MACULA_CONFIG_STATUS", kConfigStatusPath},
    {"MACULA_NOCLOUD_SEED_DIR", kNoCloudSeedDir},
    {"MACULA_BINARY_IN_RUN", kBinaryInRun},
    {"MACULA_MAN_DIR", kManDir},
    {"MACULA_PAIRING_CUE", kPairingCue},
    {"MACULA_SETUP_NEEDED_CUE", kSetupNeededCue},
    {"MACULA_ISSUE_DIR", kIssueDir},
    {"MACULA_PAIRING_ISSUE_FILE", kPairingIssueFile},
    {"MACULA_STANDBY_MOUNT", kStandbyMount},
    {"MACULA_INSTALL_WORK_DIR", kInstallWorkDir},
    {"MACULA_BOOT_STATE_LOCK", kBootStateLock},
    {"MACULA_FIRSTBOOT_PIDFILE", kFirstbootPidFile},
    {"MACULA_MDNS_NAME_PIDFILE", kMdnsNamePidFile},
    {"MACULA_NETWORK_IFACES_FILE", kNetworkIfacesFile},
    {"MACULA_USER", kNodeUser},
    {"MACULA_IMAGE_PASSWORD", kImagePassword},
    {"MACULA_STATE_DIR", kStateDir},
    {"MACULA_NODE_CONFIG", kNodeConfigPath},
    {"MACULA_CONFIG_DROP_IN_DIR", kConfigDropInDir},
    {"MACULA_APPLIED_CONFIG", kAppliedConfigPath},
    {"MACULA_REMOTE_CACHE_DIR", kRemoteCacheDir},
    {"MACULA_NODE_IDENTITY_DIR", kNodeIdentityDir},
    {"MACULA_CREDENTIALS_DIR", kCredentialsDir},
    {"MACULA_K3S_TOKEN", kK3sTokenPath},
    {"MACULA_SETUP_DIR", kSetupDir},
    {"MACULA_CONFIGURED_FLAG", kConfiguredFlag},
    {"MACULA_ETC_DIR", kEtcDir},
    {"MACULA_RELEASE_KEYS_DIR", kReleaseKeysDir},
    {"MACULA_HEALTH_DIR", kHealthDir},
    {"MACULA_MESH_ENV", kMeshEnvPath},
    {"MACULA_K3S_ENV", kK3sEnvPath},
    {"MACULA_NETWORK_PLAN", kNetworkPlanPath},
    {"MACULA_IMAGE_CONFIG", kImageConfigPath},
    {"MACULA_LOGO", kLogoPath},
    {"MACULA_OPENRC_DEPENDS", kOpenrcDependsPath},
    {"MACULA_NAMES_SH", kNamesShellPath},
    {"MACULA_LIBEXEC_DIR", kLibexecDir},
    {"MACULA_BINARY", kBinaryPath},
    {"MACULA_INSTALLER", kInstallerPath},
    {"MACULA_PRODUCT_BIN_DIR", kProductBinDir},
    {"MACULA_K3S_BINARY", kK3sBinary},
    {"MACULA_K3S_LOG", kK3sLogPath},
    {"MACULA_FIRSTBOOT_LOG", kFirstbootLogPath},
    {"MACULA_MDNS_NAME_LOG", kMdnsNameLogPath},
    {"MACULA_LOG_DIR", kLogDir},
};

}  // namespace macula
