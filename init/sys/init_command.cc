// PID 1 in the initramfs: mount the pseudo file systems, read the command line, load modules,
// find the root image (init/sys/live_media.h, init/sys/installed_slot.h), mount it with an overlay,
// hand off (init/sys/handoff.h), switch root and exec OpenRC. It never returns: a fatal error is
// one line on the console, then macula.emergency.
#include "init/sys/init_command.h"

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <functional>
#include <memory>

#include "common/sys/block_devices.h"
#include "common/files.h"
#include "common/kernel_cmdline.h"
#include "common/sys/mounts.h"
#include "names/names.h"
#include "init/sys/boot_log.h"
#include "init/boot_mode.h"
#include "init/boot_report.h"
#include "init/cmdline.h"
#include "init/sys/console_shell.h"
#include "init/sys/shell_gate.h"
#include "init/sys/handoff.h"
#include "init/sys/init_cmd_stage.h"
#include "init/sys/nocloud_seed.h"
#include "init/sys/installed_slot.h"
#include "init/sys/live_media.h"
#include "init/sys/module_loader.h"
#include "init/sys/switch_root.h"

namespace macula {

namespace {

// Where the overlay of the new root is assembled before it becomes /.
constexpr const char* kNewRoot = "/newroot";

constexpr std::string_view kUsage = R"(usage: /init   (as PID 1, from the initramfs)

MaculaOS's PID 1. Reads the kernel command line:
  macula.mode=live|install|disk|recovery|shell   what to boot (default: an installed
                      MACULAOS_STATE file system means disk, else the MACULAOS media: live)
  macula.slot=a|b     disk and recovery modes: the slot GRUB chose
  macula.esp=PARTUUID disk and recovery modes: the ESP of the disk GRUB booted from (without
                      it, the only disk with a MACULAOS_STATE file system)
  macula.persistence[=auto|/dev/NAME|LABEL=NAME|0]   live mode: keep /etc, /home, /root,
                      /opt and /var on a MACULAOS_PERSIST file system (auto, the default: the
                      boot stick's, else any disk's, else one made after the image on the stick)
  macula.debug        log every step, each module included
  macula.break[=STAGE]  drop to a shell before STAGE: modules, devices, mount, overlay,
                      pivot (default pivot); exit the shell to go on
  macula.shell=0|1    0 forbids every shell (breaks, shell mode, emergency)
  macula.emergency=shell|reboot|poweroff   on a fatal error (default: reboot on an
                      installed disk, a shell elsewhere; exiting the shell retries the boot)
  macula.timeout=SECONDS   how long to wait for the boot media (default 10)
  macula.modules=a,b  more modules to load from the initramfs
  console=...         recorded in boot.json; the last one is /dev/console
  init=PATH           what to exec in the new root (default /sbin/init)
The boot story is in dmesg (macula-init: ...), the summary in /run/macula/boot.json.
)";


std::int64_t boottime_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_BOOTTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// One boot attempt: the stages in order, each timed. run() returns only on failure: on
// success it has exec'd the new init.
class BootAttempt {
 public:
  BootAttempt(BootLog& log, std::int64_t init_started_ms, std::span<const std::string> kernel_args)
      : log_(log), kernel_args_(kernel_args) {
    report_.version = MACULAOS_VERSION;
    report_.init_started_ms = init_started_ms;
  }

  const BootConfig& config() const { return config_; }
  std::optional<BootMode> mode() const { return root_ ? std::optional(mode_) : config_.mode; }

  Error run() {
    Result<void> r = setup();
    if (r) r = stage(BreakPoint::modules, [&] { return load_kernel_modules(); });
    if (r) r = stage(BreakPoint::devices, [&] { return find_devices(); });
    if (r) r = choose_root_source();
    if (r) r = stage(BreakPoint::mount, [&] { return mount_root_image(); });
    if (r) r = stage(BreakPoint::overlay, [&] { return mount_overlay(); });
    if (r) r = stage(BreakPoint::pivot, [&] { return pivot(); });
    if (r) r = exec_init();
    return r.error();
  }

 private:
  Result<void> setup() {
    if (auto r = mount_pseudo_filesystems(); !r) return r;
    log_.open();
    log_.clear_warnings();
    auto cmdline = read_file(kKernelCmdlinePath);
    if (!cmdline) return fail(cmdline.error());
    config_ = parse_cmdline(*cmdline);
    for (std::string& w : ignored_argument_warnings(kernel_args_)) config_.warnings.push_back(std::move(w));
    log_.set_debug(config_.debug);
    log_.info("MaculaOS " + report_.version + " init started at " +
              std::to_string(report_.init_started_ms) + " ms");
    for (const std::string& w : config_.warnings) log_.warn(w);
    report_.kernel = kernel_release();
    report_.consoles = config_.consoles;
    report_.init = config_.init;
    return make_dirs(kRunDir);
  }

  // Times a stage, and honours macula.break before it.
  Result<void> stage(BreakPoint s, const std::function<Result<void>()>& body) {
    const std::string name(to_string(s));
    if (config_.break_before == s)
      offer_shell("break before stage '" + name + "' (macula.break): exit the shell to go on",
                  "macula-break:" + name + "# ", "a break shell");
    log_.debug("stage " + name);
    const std::int64_t start = boottime_ms();
    Result<void> r = body();
    report_.stages.push_back({name, boottime_ms() - start});
    return r;
  }

  void offer_shell(const std::string& banner, const std::string& prompt, const std::string& what) {
    if (!config_.shell_allowed) {
      log_.warn(banner.substr(0, banner.find(':')) + ": no shell, macula.shell=0; going on");
      return;
    }
    earn_shell_here(what);
    log_.info(banner);
    if (auto r = run_console_shell("macula-init: " + banner, prompt); !r) log_.warn(r.error().text());
  }

  // earn_shell() over the devices this attempt has found; before they are (a break before the
  // modules or the devices) the modules are loaded and the devices looked for first, or the
  // shell would be given where the TPM is a modprobe away.
  void earn_shell_here(const std::string& what) {
    if (devices_.empty()) {
      (void)load_kernel_modules();
      (void)find_devices();
    }
    earn_shell(devices_, config_, log_, what);
  }

  Result<void> load_kernel_modules() {
    std::vector<std::string> wanted = module_list("load");
    wanted.insert(wanted.end(), config_.extra_modules.begin(), config_.extra_modules.end());
    const ModuleLoadResult loaded = load_modules(std::move(wanted), report_.kernel, log_);
    report_.modules_loaded = loaded.loaded;
    report_.modules_failed = loaded.failed;
    log_.info("loaded " + std::to_string(loaded.loaded) + " kernel modules" +
              (loaded.failed ? ", " + std::to_string(loaded.failed) + " failed" : ""));
    return {};
  }

  // Waits until what the mode needs has appeared, or macula.timeout has passed.
  Result<void> find_devices() {
    devices_ = wait_for_block_devices(config_.device_timeout, [&](std::span<const BlockDevice> d) {
      return found_what_mode_needs(config_, d);
    });
    for (const BlockDevice& d : devices_)
      log_.debug("block device " + d.name + ": type=" + d.type + " label=" + d.label);
    log_.info("block devices: " + device_names(devices_));
    return {};
  }

  Result<void> choose_root_source() {
    if (config_.mode == BootMode::shell) {
      offer_shell("MaculaOS rescue shell (macula.mode=shell): exit the shell to boot on", "macula-rescue# ",
                  "the rescue shell");
      config_.mode.reset();
      devices_ = scan_block_devices();
      report_.mode_source = "detected after the rescue shell";
    } else {
      report_.mode_source = config_.mode ? "cmdline" : "detected";
    }
    mode_ = choose_mode(config_, devices_);
    report_.mode = to_string(mode_);
    log_.info("mode " + report_.mode + " (" + report_.mode_source + ")");
    if (mode_ == BootMode::disk || mode_ == BootMode::recovery)
      root_ = std::make_unique<InstalledSlotRoot>(config_, log_, report_);
    else
      root_ = std::make_unique<LiveMediaRoot>(config_, log_, report_, mode_ == BootMode::live);
    return {};
  }

  Result<void> mount_root_image() {
    // What an earlier attempt left mounted (the boot is retried after the emergency shell).
    for (const char* stale : {kNewRoot, kOverlayMount, kRootImageMount, kMediaMount, kSlotMount, kStateMount, kEspMount, kPersistMount})
      detach(stale);
    return root_->mount_root_image(devices_);
  }

  Result<void> mount_overlay() {
    const std::string upper = std::string(kOverlayMount) + "/upper";
    const std::string work = std::string(kOverlayMount) + "/work";
    Result<void> r = mount_with_libmount({"tmpfs", kOverlayMount, "tmpfs", "mode=0755"});
    if (r) r = make_dirs(upper);
    if (r) r = make_dirs(work);
    if (r)
      r = mount_with_libmount({"overlay", kNewRoot, "overlay",
                               "lowerdir=" + std::string(kRootImageMount) + ",upperdir=" + upper +
                                   ",workdir=" + work});
    if (r) log_.info("root: overlay of " + std::string(kRootImageMount) + " (squashfs) and a tmpfs");
    if (r) r = root_->mount_persistent(kNewRoot);
    if (r && mode_ == BootMode::recovery)
      offer_shell("recovery shell: the installed system is mounted at " + std::string(kNewRoot) + ", its state at " +
                      std::string(kStateMount) + "; exit the shell to boot it",
                  "macula-recovery# ", "the recovery shell");
    return r;
  }

  Result<void> pivot() {
    if (auto r = check_init_in(kNewRoot, config_.init); !r) {
      root_->give_up(r.error().text());  // no init in the image: more tries will not find one
      return r;
    }
    if (replaces_image_init(config_)) earn_shell_here("init=" + config_.init);
    take_nocloud_seed(devices_, root_->config_roots(), log_);
    hand_off(report_, log_);
    run_init_cmd_stage(kNewRoot, log_);  // the root's maculaos is the binary hand_off put in /run
    log_.info("switching root to " + std::string(kNewRoot) + ", then exec " + config_.init);
    return switch_root(kNewRoot);
  }

  Result<void> exec_init() {
    ::execl(config_.init.c_str(), config_.init.c_str(), static_cast<char*>(nullptr));
    return fail_errno("exec " + config_.init + " in the new root");
  }

  BootLog& log_;
  std::span<const std::string> kernel_args_;
  BootConfig config_;
  BootMode mode_ = BootMode::live;
  std::unique_ptr<RootSource> root_;
  BootReport report_;
  std::vector<BlockDevice> devices_;
};

// One attempt, with what the emergency path needs to know of it. Nothing thrown leaves it: an
// exception (out of memory, a library's) is a failed boot like any other.
struct AttemptOutcome {
  Error error;
  Emergency action = Emergency::shell;
  BootConfig config;  // the consoles to ask on
};

AttemptOutcome attempt_boot(BootLog& log, std::int64_t started, std::span<const std::string> kernel_args) {
  BootConfig config;
  std::optional<BootMode> mode;
  Error error;
  try {
    BootAttempt attempt(log, started, kernel_args);
    error = attempt.run();
    config = attempt.config();
    mode = attempt.mode();
  } catch (const std::exception& e) {
    error = Error{0, std::string("unexpected error: ") + e.what()};
  } catch (...) {
    error = Error{0, "unexpected error of unknown type"};
  }
  const Emergency action = emergency_action(config, mode);
  return {std::move(error), action, std::move(config)};
}

Result<int> run_init(std::span<const std::string>) {
  return usage_error("must run as PID 1 (it is the initramfs's /init), not as PID " + std::to_string(::getpid()));
}

}  // namespace

[[noreturn]] void run_as_pid1(std::span<const std::string> kernel_args) {
  BootLog log;
  const std::int64_t started = boottime_ms();
  for (;;) {
    AttemptOutcome outcome = attempt_boot(log, started, kernel_args);
    log.error("boot failed: " + outcome.error.text());
    if (outcome.action == Emergency::shell) {
      earn_shell(scan_block_devices(), outcome.config, log, "the emergency shell");
      auto shell = run_console_shell(
          "macula-init: emergency shell. The boot failed: " + outcome.error.text() +
              "\nmacula-init: fix what you can, then exit the shell to retry the boot.",
          "macula-emergency# ");
      if (shell) continue;
      log.error(shell.error().text() + ": rebooting instead");
      outcome.action = Emergency::reboot;
    }
    log.error(std::string(outcome.action == Emergency::poweroff ? "powering off" : "rebooting") + " in 5 seconds");
    ::sleep(5);
    leave(outcome.action);
  }
}

Applet init_applet() {
  return {.name = "init", .summary = "PID 1 of the initramfs: boot MaculaOS", .usage = kUsage, .run = run_init, .by_name = true,
          .hidden = true};
}

}  // namespace macula
