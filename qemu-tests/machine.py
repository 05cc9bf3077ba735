"""A QEMU guest driven through its serial console, expect-style.

Every byte the guest prints is kept in a log file (one per test, under $MACULA_QEMU_LOGS);
on failure the tests print where it is and its tail.
"""
import functools
import os
import pathlib
import re
import shutil
import shlex
import socket
import subprocess
import sys
import tempfile
import time

import pexpect

OVMF_CODE = pathlib.Path("/usr/share/OVMF/OVMF_CODE.fd")
OVMF_VARS = pathlib.Path("/usr/share/OVMF/OVMF_VARS.fd")
KERNEL_PANIC = "Kernel panic"
LOGIN_USER = "macula"
LOGIN_PASSWORD = "macula"  # the image's (names.h kImagePassword): a live boot's
# What login() sets when an installed node asks for a new password at the first login (it
# expires the image's: config/image_password.h); remembered beside the disk (password_file).
FIRST_LOGIN_PASSWORD = "Fixture-first-login-7"
SHELL_PROMPT = "MACULA-TEST# "
# Where run() puts a command's output before it prints it, marked, on the console.
OUTPUT_FILE = "/tmp/.macula-test-output"
OUTPUT_MARK = "__OUT__"
# Seconds a poweroff or reboot may take to end the run. One typed before the boot has finished
# waits for it: openrc-init reads its commands (openrc-shutdown's) only once the default
# runlevel is done.
SHUTDOWN = 300
# OpenRC's state (/run/openrc): the default runlevel has been entered (softlevel) and is no
# longer being started or stopped (rc.starting, rc.stopping: directories while `openrc` runs).
RUNLEVEL_DONE = ('[ "$(cat /run/openrc/softlevel 2>/dev/null)" = default ] && '
                 '[ ! -e /run/openrc/rc.starting ] && [ ! -e /run/openrc/rc.stopping ]')
# What a service in a runlevel may be once the runlevel is done: inactive is a service that
# says it has nothing to run (k3s before setup, a mesh role not installed).
SETTLED_STATES = ("started", "inactive")
# The guest reaches a host server (release_port) here, and nothing else (restrict=on).
RELEASE_HOST = "10.0.2.100"


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


def remembered_password_file(disk):
    """Where the harness remembers the password a first login set on disk (an image's path)."""
    return pathlib.Path(f"{disk}.login-password")


class Machine:
    """One QEMU run. Use as a context manager; it is killed on exit."""

    def __init__(self, log_path, *, kernel=None, initrd=None, append=None, cdrom=None,
                 disks=(), uefi=False, memory=1024, probe_kernel=None, reboot=False,
                 release_port=None, tls_port=None, boot_disk=None, firmware_on_serial=False, host_ports=(),
                 read_only=False, lan=None, nic_id=0x56, stick=None, tpm_state=None, password_file=None):
        """reboot: a guest that resets (reboot, panic=N, the watchdog) starts again, in a new
        QEMU process (cold_reboots) writing to the same console and log; by default QEMU exits
        instead (-no-reboot).
        release_port: http://10.0.2.100/ in the guest reaches 127.0.0.1:release_port here.
        tls_port: 10.0.2.100:443 in the guest reaches 127.0.0.1:tls_port here.
        boot_disk: the index in disks of the disk the firmware boots first (its bootindex);
        by default the firmware's own order, the first disk.
        firmware_on_serial: SeaBIOS prints on the serial console too ("No bootable device").
        host_ports: (host_port, guest_port) pairs: 127.0.0.1:host_port here reaches the guest's
        guest_port (TCP), as a client on the network would.
        read_only: every write to the disks fails (the firmware's and GRUB's too), as on a
        disk that turned read-only.
        lan: (local_port, remote_port): a second NIC (eth1) on a LAN of QEMU socket netdevs,
        UDP on 127.0.0.1 from local_port to remote_port (the other machine's pair swapped).
        nic_id: the last byte of the NICs' MAC addresses (52:54:00:12:34:nic_id, and
        52:54:01:... on the LAN): machines on one LAN need different ones (their host names
        come from the first MAC's last two bytes, macula-34XX).
        stick: a raw image attached as a USB stick (usb-storage on an xHCI controller; the
        guest's /dev/sda), which the firmware boots first.
        tpm_state: a directory: the machine has a TPM 2.0 (swtpm, TIS), whose state is kept
        there from one Machine to the next, as a machine's own TPM keeps it.
        password_file: where login() remembers the password a first login set; by default
        beside the boot disk's file. A disk given as a URL (an NBD server's) names its image's.
        """
        self.log_path = pathlib.Path(log_path)
        self.password = LOGIN_PASSWORD  # for sudo; login() changes it
        # the file that remembers the password the first login set on the disk this machine
        # boots (its first, or boot_disk): the next Machine on the disk logs in with it
        boot_image = str(disks[boot_disk or 0]) if disks and not stick else None
        self.password_file = (pathlib.Path(password_file) if password_file
                              else remembered_password_file(boot_image) if boot_image and ":" not in boot_image
                              else None)
        self.password_changed = False  # the login of this machine had to set a new password
        self.logged_in = False  # at the shell of a login in this boot (the fixture's last check)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = tempfile.mkdtemp(prefix="macula-qemu-")
        accel = accelerator(probe_kernel or kernel)
        nic = f"user,model=virtio-net-pci,restrict=on,mac=52:54:00:12:34:{nic_id:02x}"
        if release_port is not None:
            nic += "," + guestfwd(RELEASE_HOST, 80, release_port)
        if tls_port is not None:
            nic += "," + guestfwd(RELEASE_HOST, 443, tls_port)
        for host_port, guest_port in host_ports:
            nic += f",hostfwd=tcp:127.0.0.1:{host_port}-:{guest_port}"
        args = ["-accel", accel, "-m", str(memory), "-smp", "1",
                # the monitor: type_on_screen's keyboard
                "-display", "none", "-serial", "stdio",
                "-monitor", f"unix:{pathlib.Path(self._tmp) / 'monitor'},server=on,wait=off",
                # Under TCG without RDRAND the CRNG is ready only after ~40 s: feed it.
                "-device", "virtio-rng-pci",
                # A hardware watchdog (resets the guest when it runs out), as boards have.
                "-device", "i6300esb",
                "-nic", nic, "-no-reboot"]
        if lan:
            local, remote = lan
            args += ["-netdev", f"socket,id=lan,udp=127.0.0.1:{remote},localaddr=127.0.0.1:{local}",
                     "-device", f"virtio-net-pci,netdev=lan,mac=52:54:01:12:34:{nic_id:02x}"]
        if accel == "kvm":
            args += ["-cpu", "host"]
        if firmware_on_serial:
            port = pathlib.Path(self._tmp) / "sercon-port"
            port.write_bytes((0x3F8).to_bytes(2, "little"))  # SeaBIOS reads the port as a binary int
            args += ["-fw_cfg", f"name=etc/sercon-port,file={port}"]
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
        for i, disk in enumerate(disks):
            # virtio-blk-pci devices in this order: the guest sees them as vda, vdb, ...; raw
            # images, or QCOW2 by their name
            fmt = "qcow2" if str(disk).endswith(".qcow2") else "raw"
            args += ["-drive", f"file={disk},format={fmt},if=none,id=disk{i}" + (",readonly=on" if read_only else ""),
                     "-device", f"virtio-blk-pci,drive=disk{i}" + (",bootindex=0" if i == boot_disk else "")]
        self._swtpm = None
        if tpm_state:
            socket_path = pathlib.Path(self._tmp) / "swtpm.sock"
            pathlib.Path(tpm_state).mkdir(parents=True, exist_ok=True)
            self._swtpm = subprocess.Popen(
                ["swtpm", "socket", "--tpm2", "--tpmstate", f"dir={tpm_state}", "--terminate",
                 "--ctrl", f"type=unixio,path={socket_path}"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(100):  # QEMU connects at start: the socket must be there
                if socket_path.exists():
                    break
                time.sleep(0.05)
            args += ["-chardev", f"socket,id=chrtpm,path={socket_path}",
                     "-tpmdev", "emulator,id=tpm0,chardev=chrtpm", "-device", "tpm-tis,tpmdev=tpm0"]
        if stick:
            args += ["-device", "qemu-xhci,id=xhci", "-drive", f"file={stick},format=raw,if=none,id=stick",
                     "-device", "usb-storage,bus=xhci.0,drive=stick,bootindex=0"]
        self.command = ["qemu-system-x86_64", *args]
        self._log = open(self.log_path, "w", encoding="utf-8", errors="replace")
        self._log.write("$ " + " ".join(self.command) + "\n")
        spawned = self.command
        if reboot:
            spawned = [sys.executable, str(pathlib.Path(__file__).resolve()), "cold-reboots",
                       str(pathlib.Path(self._tmp) / "qmp"), *self.command]
        self.child = pexpect.spawn(spawned[0], spawned[1:], timeout=60,
                                   logfile=self._log, maxread=65536, encoding="utf-8",
                                   codec_errors="replace")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()

    def kill(self):
        self.logged_in = False
        if self.child.isalive():
            self.child.terminate(force=True)
        if self._swtpm:
            self._swtpm.kill()
            self._swtpm.wait()
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

    def expect_boot_of_slot(self, timeout):
        """Waits for the next kernel to start; returns the slot GRUB chose for it, 'a' or 'b'."""
        self.expect(r"Command line: [^\n]*macula\.slot=([ab])", timeout)
        self.logged_in = False  # a new boot: the shell of the last one is gone
        return self.child.match.group(1)

    def wait_exit(self, timeout):
        self.child.expect(pexpect.EOF, timeout=timeout)
        self.child.wait()
        self.logged_in = False
        return self.child.exitstatus

    def login(self, timeout=300, password=None):
        """Logs in at the serial getty's first prompt, as a person does, and sets a prompt the
        tests can match. The gettys start in OpenRC's boot runlevel: the network, the services
        of the default runlevel and, on an installed disk, the boot's assessment come after
        the login. A scenario waits for what it uses (wait_for_service, wait_for_network,
        wait_for_boot_assessed, wait_for_runlevel)."""
        self.expect(r"login: ", timeout)
        self.log_in_at_prompt(password)

    def log_in_at_prompt(self, password=None):
        """login() once the getty's "login: " was seen. password: the one to give; by default the
        one a first login set on the boot disk, else the image's (a live boot's; a disk that was
        never logged in to). When login says the password has expired (an installed node's
        first boot), sets FIRST_LOGIN_PASSWORD, as a person must, and remembers it per disk."""
        remembered = self.password_file.read_text() if self.password_file and self.password_file.exists() else None
        candidates = [password] if password else list(dict.fromkeys(p for p in (remembered, LOGIN_PASSWORD) if p))
        for i, candidate in enumerate(candidates):
            self.child.sendline(LOGIN_USER)
            self.expect(r"[Pp]assword: ", 30)
            self.child.sendline(candidate)
            index = self.expect([r"\$ ", r"Current password: ", r"Login incorrect"], 60)
            if index == 2:
                if i + 1 == len(candidates):
                    raise AssertionError(f"login refused {candidates!r} (log: {self.log_path})")
                self.expect(r"login: ", 30)
                continue
            if index == 1:
                self.child.sendline(candidate)
                self.expect(r"New password: ", 30)
                self.child.sendline(FIRST_LOGIN_PASSWORD)
                self.expect(r"Retype new password: ", 30)
                self.child.sendline(FIRST_LOGIN_PASSWORD)
                self.expect(r"\$ ", 60)
                candidate = FIRST_LOGIN_PASSWORD
                self.password_changed = True
                if self.password_file:
                    self.password_file.write_text(candidate)
            self.password = candidate
            break
        self.use_shell()
        self.logged_in = True

    def login_refused(self, password, timeout=300):
        """Tries to log in with password; passes when the getty says no."""
        self.expect(r"login: ", timeout)
        self.child.sendline(LOGIN_USER)
        self.expect(r"[Pp]assword: ", 30)
        self.child.sendline(password)
        self.expect(r"Login incorrect", 60)

    def wait_for_network(self, timeout=120):
        """Waits in the logged-in shell until DHCP has configured an interface (any IPv4 route:
        macula-network starts dhclient in the background, so login comes before the lease)."""
        routes = "[ $(wc -l </proc/net/route) -gt 1 ]"
        self.run(f"i=0; until {routes} || [ $i -ge {timeout} ]; do i=$((i+1)); sleep 1; done; "
                 f"{routes} || {{ echo no IPv4 route after {timeout} s; ip addr; false; }}",
                 timeout + 30)

    def wait_for_service(self, name, state="started", timeout=420):
        """Waits in the logged-in shell until OpenRC has started the service `name` (its link
        in /run/openrc/started/) or, with state="inactive", until the service said it has
        nothing to run. Fails at once, with `rc-status --all`, when it lands elsewhere: failed
        (/run/openrc/failed/), the other of the two states, or not started by the end of the
        default runlevel; and after timeout seconds."""
        other = "inactive" if state == "started" else "started"
        svc = "/run/openrc"
        self._poll(f"[ -e {svc}/{state}/{name} ]",
                   f"[ -e {svc}/failed/{name} ] || [ -e {svc}/{other}/{name} ] || "
                   f"{{ {RUNLEVEL_DONE} && [ ! -e {svc}/starting/{name} ]; }}",
                   timeout, f"the OpenRC service {name} is not {state}")

    def wait_for_boot_assessed(self, timeout=420):
        """Waits until an installed system's boot is assessed: the OpenRC service `local`, the
        default runlevel's last, ends with `maculaos boot assess`, which runs the health checks
        and marks the booted slot (a trial good; or bad, and reboots), writes the motd's
        fallback notice and disarms the trial's watchdog. Until it has run the slot is not
        marked; and it takes the boot state's lock, as every command that changes the boot
        state does (upgrade --apply, boot set-next): one that holds it long (an --apply)
        makes the other, waiting 10 s for it, fail as busy."""
        self.wait_for_service("local", timeout=timeout)

    def wait_for_runlevel(self, timeout=420):
        """Waits until OpenRC has finished the default runlevel (whether or not each service
        started). For what needs the whole boot: say why where it is called."""
        # done twice, a second apart: `openrc` names the runlevel a moment before it marks it
        # as being started
        self._poll(f"{{ if {RUNLEVEL_DONE}; then d=$((d+1)); else d=0; fi; [ $d -ge 2 ]; }}", "false", timeout,
                   "OpenRC has not finished the default runlevel", start="d=0")

    def assert_no_failed_services(self):
        """Once the default runlevel is done, checks that every service of the sysinit, boot
        and default runlevels is started or inactive, and that no daemon of a started service
        has died (`rc-status --crashed`); fails naming the services that are not. (OpenRC
        empties /run/openrc/failed/ when a runlevel ends: a service that failed is then
        stopped.)"""
        self.wait_for_runlevel()
        crashed, _, states = self.sudo("rc-status --crashed; echo '[-]'; "
                                       "rc-status --format ini sysinit boot default").partition("[-]\n")
        unsettled = {}
        for line in states.splitlines():
            name, sep, state = line.partition(" = ")
            if sep and not line.startswith("[") and (state.split() or ["?"])[0] not in SETTLED_STATES:
                unsettled[name.strip()] = state.strip()
        for name in crashed.split():
            unsettled[name] = "crashed"
        assert not unsettled, (f"OpenRC services failed or crashed: {unsettled}\n{states}\n"
                               f"(log: {self.log_path})")

    def _poll(self, done, failed, timeout, what, start=":"):
        """Polls in the logged-in shell, once a second, until the shell test `done` holds;
        fails, with `rc-status --all`, when the shell test `failed` holds first (twice in a
        row: see wait_for_runlevel) or after timeout seconds. `start` runs first."""
        status, output = self.run_status(
            f"{start}; i=0; f=0; s=wait; while [ $s = wait ]; do "
            f"if {done}; then s=ok; elif [ $f -ge 2 ] || [ $i -ge {timeout} ]; then s=no; "
            f"else if {failed}; then f=$((f+1)); else f=0; fi; i=$((i+1)); sleep 1; fi; done; "
            f"[ $s = ok ] || {{ echo \"{what} (after $i s)\"; rc-status --all; false; }}", timeout + 30)
        if status != 0:
            raise AssertionError(f"{output} (log: {self.log_path})")

    def type_on_screen(self, text):
        """Types text on the machine's own keyboard (PS/2, so tty1, the screen's console),
        through QEMU's monitor: letters, digits, space, '.', '-' and newline."""
        names = {" ": "spc", "\n": "ret", ".": "dot", "-": "minus"}
        with socket.socket(socket.AF_UNIX) as monitor:
            monitor.connect(str(pathlib.Path(self._tmp) / "monitor"))
            for c in text:
                monitor.sendall(f"sendkey {names.get(c, c)}\n".encode())
            monitor.sendall(b"info name\n")  # answered once every key before it is sent
            monitor.settimeout(10)
            seen = b""
            while b"info name" not in seen or not seen.endswith(b"(qemu) "):
                chunk = monitor.recv(4096)
                if not chunk:
                    break
                seen += chunk

    def use_shell(self):
        """Makes the shell at hand quiet and recognisable: no echo, a fixed prompt.

        Markers are typed split (MACULA-''TEST) so the terminal's echo of the command line
        never matches what the shell prints.
        """
        self.child.sendline("stty -echo; PS1='MACULA-''TEST# '; export PS1")
        self.expect(re.escape(SHELL_PROMPT), 30)

    def run_status(self, command, timeout=60):
        """Runs a shell command; returns its exit status and its output (stdout and stderr).

        The output goes to a file first, then onto the console with each line marked: OpenRC
        and the services print on this console too while the boot goes on after the login,
        and what they print between the command's lines is left out. (A line goes out in one
        write, which the terminal keeps whole.)
        """
        self.child.sendline(f"echo __BEG''IN__; {{ {command}\n}} >{OUTPUT_FILE} 2>&1; __macula_rc=$?; "
                            f"sed 's/^/__O''UT__/' {OUTPUT_FILE}; echo; echo \"__RC=${{__macula_rc}}__\"")
        self.expect(r"__BEGIN__\r*\n", timeout)
        self.expect(r"__RC=(\d+)__", timeout)
        console = self.child.before.replace("\r", "")
        status = int(self.child.match.group(1))
        self.expect(re.escape(SHELL_PROMPT), 30)
        marked = (line.partition(OUTPUT_MARK) for line in console.split("\n"))
        output = "\n".join(text for _, mark, text in marked if mark)
        return status, output.strip("\n")

    def run(self, command, timeout=60, check=True):
        """Runs a shell command; returns its output. Fails on a non-zero exit if check (a
        command expected to fail: run_status)."""
        status, output = self.run_status(command, timeout)
        if check and status != 0:
            raise AssertionError(f"{command!r} exited {status}: {output} (log: {self.log_path})")
        return output

    def sudo_status(self, command, timeout=60):
        return self.run_status(self._as_root(command), timeout)

    def sudo(self, command, timeout=60, check=True):
        return self.run(self._as_root(command), timeout, check)

    def _as_root(self, command):
        return f"echo {sh_quote(self.password)} | sudo -S -p '' sh -c {sh_quote(command)}"


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def guestfwd(guest_addr, guest_port, host_port):
    """The -nic user option that forwards the guest's connections to guest_addr:guest_port to
    127.0.0.1:host_port, one proxy process per connection.

    Not guestfwd=...-tcp:127.0.0.1:P: that target is a chardev, one TCP connection that QEMU
    opens when it starts (the server must already listen) and that every guest connection
    shares as one byte stream; a server closing it (as drop_after does) ends it for good.
    With cmd:, slirp starts the command for each guest connection, stdin and stdout that
    connection, so each guest connection is its own connection to the server. Under
    restrict=on the guest gets no default route, only 10.0.2.0/24, which is all it needs.
    """
    command = " ".join(shlex.quote(a) for a in (
        sys.executable, str(pathlib.Path(__file__).resolve()), "guestfwd-proxy", str(host_port)))
    return f"guestfwd=tcp:{guest_addr}:{guest_port}-cmd:" + command.replace(",", ",,")


def _guestfwd_proxy(port):
    """Copies between fd 0 (slirp's end of a guest connection) and 127.0.0.1:port."""
    import selectors
    import socket
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # stderr is the guest's connection too
    guest = socket.socket(fileno=0)
    try:
        host = socket.create_connection(("127.0.0.1", port))
    except OSError:
        return 1
    sel = selectors.DefaultSelector()
    sel.register(guest, selectors.EVENT_READ, host)
    sel.register(host, selectors.EVENT_READ, guest)
    try:
        while True:
            for key, _ in sel.select():
                src, dst = key.fileobj, key.data
                data = src.recv(65536)
                if data:
                    dst.sendall(data)
                elif src is guest:  # the guest is done sending; the answer may still come
                    sel.unregister(guest)
                    host.shutdown(socket.SHUT_WR)
                else:
                    return 0  # the server closed: so does the guest's connection
    except OSError:
        return 0


def _accept_unless_exited(listener, process):
    """The next connection to listener, or None once process has exited without making one."""
    listener.settimeout(1)
    while True:
        try:
            conn, _ = listener.accept()
            conn.settimeout(None)
            return conn
        except socket.timeout:
            if process.poll() is not None:
                return None


def _cold_reboots(qmp_path, command):
    """Runs the QEMU command until its guest powers off, in a new QEMU process after each
    reset of the guest (its own reboot, panic=N, the watchdog): every boot is a cold start, as
    a power cycle is. Why not QEMU's own reset: under TCG, the kernel that GRUB starts after a
    warm reset within one QEMU process sometimes prints nothing for minutes, or ever (seen on
    the third or later reset of a run), which no real machine does.

    QEMU runs with -no-reboot, so it exits on a reset as on a power-off; its QMP events (on a
    socket it connects to here) tell which. The QEMU process shares this one's terminal (the
    serial console) and dies with it (PR_SET_PDEATHSIG), so killing this process stops the run.
    """
    import ctypes
    import json
    import signal
    libc = ctypes.CDLL(None, use_errno=True)

    def die_with_parent():
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG

    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(qmp_path)
        listener.listen(1)
        while True:
            qemu = subprocess.Popen([*command, "-chardev", f"socket,id=qmp,path={qmp_path}",
                                     "-mon", "chardev=qmp,mode=control"], preexec_fn=die_with_parent)
            reason = None
            conn = _accept_unless_exited(listener, qemu)
            if conn is None:  # exited before connecting (its error is on the console): its status, as QEMU alone
                return qemu.returncode
            with conn, conn.makefile("rw", encoding="utf-8") as qmp:
                qmp.readline()  # the greeting
                qmp.write(json.dumps({"execute": "qmp_capabilities"}) + "\n")
                qmp.flush()
                for line in qmp:
                    message = json.loads(line)
                    if message.get("event") == "SHUTDOWN":
                        reason = message["data"]["reason"]
            status = qemu.wait()
            if reason != "guest-reset":
                return status


if __name__ == "__main__" and sys.argv[1:2] == ["guestfwd-proxy"]:
    sys.exit(_guestfwd_proxy(int(sys.argv[2])))
if __name__ == "__main__" and sys.argv[1:2] == ["cold-reboots"]:
    sys.exit(_cold_reboots(sys.argv[2], sys.argv[3:]))
