"""A QEMU guest driven through its serial console, expect-style.

Every byte the guest prints is kept in a log file (one per test, under $MACULA_QEMU_LOGS);
on failure the tests print where it is and its tail.
"""
import functools
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

import pexpect

OVMF_CODE = pathlib.Path("/usr/share/OVMF/OVMF_CODE.fd")
OVMF_VARS = pathlib.Path("/usr/share/OVMF/OVMF_VARS.fd")
KERNEL_PANIC = "Kernel panic"
LOGIN_USER = "macula"
LOGIN_PASSWORD = "macula"
SHELL_PROMPT = "MACULA-TEST# "


@functools.lru_cache(maxsize=1)
def accelerator(kernel):
    """KVM when a guest really runs under it here, else TCG.

    On these machines /dev/kvm exists but KVM guests hang, so probe with a short timeout: the
    kernel prints its banner within a second under KVM. MACULA_ACCEL=tcg|kvm skips the probe.
    """
    forced = os.environ.get("MACULA_ACCEL")
    if forced:
        return forced
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return "tcg"
    probe = subprocess.Popen(
        ["qemu-system-x86_64", "-accel", "kvm", "-m", "256", "-display", "none",
         "-serial", "stdio", "-monitor", "none", "-no-reboot", "-kernel", str(kernel),
         "-append", "console=ttyS0 panic=-1 rdinit=/nonexistent"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    try:
        out, _ = probe.communicate(timeout=8)
    except subprocess.TimeoutExpired:
        probe.kill()
        out, _ = probe.communicate()
    return "kvm" if b"Linux version" in out else "tcg"


class Machine:
    """One QEMU run. Use as a context manager; it is killed on exit."""

    def __init__(self, log_path, *, kernel=None, initrd=None, append=None, cdrom=None,
                 disks=(), uefi=False, memory=1024, probe_kernel=None):
        self.log_path = pathlib.Path(log_path)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = tempfile.mkdtemp(prefix="macula-qemu-")
        accel = accelerator(probe_kernel or kernel)
        args = ["-accel", accel, "-m", str(memory), "-smp", "1",
                "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
                # Under TCG without RDRAND the CRNG is ready only after ~40 s: feed it.
                "-device", "virtio-rng-pci",
                "-nic", "user,model=virtio-net-pci,restrict=on"]
        if accel == "kvm":
            args += ["-cpu", "host"]
        if uefi:
            vars_copy = pathlib.Path(self._tmp) / "OVMF_VARS.fd"
            shutil.copy(OVMF_VARS, vars_copy)
            args += ["-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
                     "-drive", f"if=pflash,format=raw,unit=1,file={vars_copy}"]
        if kernel:
            args += ["-kernel", str(kernel)]
        if initrd:
            args += ["-initrd", str(initrd)]
        if append:
            args += ["-append", append]
        if cdrom:
            args += ["-drive", f"file={cdrom},media=cdrom,readonly=on,if=ide"]
        for disk in disks:
            args += ["-drive", f"file={disk},format=raw,if=virtio"]
        self.command = ["qemu-system-x86_64", *args]
        self._log = open(self.log_path, "w", encoding="utf-8", errors="replace")
        self._log.write("$ " + " ".join(self.command) + "\n")
        self.child = pexpect.spawn(self.command[0], self.command[1:], timeout=60,
                                   logfile=self._log, maxread=65536, encoding="utf-8",
                                   codec_errors="replace")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()

    def kill(self):
        if self.child.isalive():
            self.child.terminate(force=True)
        if not self._log.closed:
            self._log.close()
        shutil.rmtree(self._tmp, ignore_errors=True)

    def log(self):
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def expect(self, pattern, timeout):
        """Waits for pattern (a regex or a list of them); fails fast on a kernel panic."""
        patterns = pattern if isinstance(pattern, list) else [pattern]
        index = self.child.expect([*patterns, KERNEL_PANIC, pexpect.EOF], timeout=timeout)
        if index >= len(patterns):
            what = "a kernel panic" if index == len(patterns) else "QEMU exiting"
            raise AssertionError(f"waiting for {patterns!r}, got {what} (log: {self.log_path})")
        return index

    def wait_exit(self, timeout):
        self.child.expect(pexpect.EOF, timeout=timeout)
        self.child.wait()
        return self.child.exitstatus

    def login(self, timeout=300):
        """Logs in on the serial getty and sets a prompt the tests can match."""
        self.expect(r"login: ", timeout)
        self.child.sendline(LOGIN_USER)
        self.expect(r"[Pp]assword: ", 30)
        self.child.sendline(LOGIN_PASSWORD)
        self.expect(r"\$ ", 60)
        self.use_shell()

    def use_shell(self):
        """Makes the shell at hand quiet and recognisable: no echo, a fixed prompt.

        Markers are typed split (MACULA-''TEST) so the terminal's echo of the command line
        never matches what the shell prints.
        """
        self.child.sendline("stty -echo; PS1='MACULA-''TEST# '; export PS1")
        self.expect(re.escape(SHELL_PROMPT), 30)

    def run(self, command, timeout=60, check=True):
        """Runs a shell command; returns its output. Fails on a non-zero exit if check."""
        self.child.sendline(f"echo __BEG''IN__; {command}; echo \"__RC=$?__\"")
        self.expect(r"__BEGIN__\r*\n", timeout)
        self.expect(r"__RC=(\d+)__", timeout)
        output = self.child.before.replace("\r", "")
        status = int(self.child.match.group(1))
        self.expect(re.escape(SHELL_PROMPT), 30)
        if check and status != 0:
            raise AssertionError(f"{command!r} exited {status}: {output} (log: {self.log_path})")
        return output.strip("\n")

    def sudo(self, command, timeout=60, check=True):
        return self.run(f"echo {LOGIN_PASSWORD} | sudo -S -p '' sh -c {sh_quote(command)}",
                        timeout, check)


def sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"
