"""The node config applied at boot on an installed disk: every key the stages apply, from
/var/lib/maculaos/config.yaml, checked in the guest and from this host (SSH and the firewall
through forwarded ports); and a config with an error that leaves the node as the last good
config made it."""
import base64
import re
import socket
import subprocess
import time

import pexpect

from flaky_http import FlakyHTTPServer
from helpers import BOOT
from machine import SHUTDOWN, free_port
from tls_fixture import make_test_ca, server_context

# Fixtures: a password (its SHA-512 crypt hash goes in the config), a key pair made per run,
# file contents, and a name server that answers nothing (only resolv.conf is checked).
FIXTURE_PASSWORD = "fixture-password-7"
FIXTURE_HELLO_GZ_B64 = "H4sIAAAAAAAAA8tIzcnJ5wIAIDA6NgYAAAA="  # printf 'hello\n' | gzip -n | base64
FIXTURE_NAMESERVER = "192.0.2.53"
FIXTURE_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixtureKeyOfTheConfigTest fixture@host"
ALLOWED_PORT, BLOCKED_PORT = 2223, 2224  # firewall.allow opens the first only
# `grub-mkpasswd-pbkdf2 -c 1000` of the GRUB superuser's password "fixture"
FIXTURE_GRUB_HASH = "grub.pbkdf2.sha512.1000.A55F07DF938982134EE9E1224EC39350.E30FEC9BD0656252A894CE1991E186A6"

FIXTURE_CONFIG = """\
hostname: edge-7
ssh_authorized_keys:
  - {key}
write_files:
  - path: /etc/fixture/plain.conf
    content: "plain fixture\\n"
    owner: macula:sudo
    permissions: "0640"
  - path: /opt/fixture/hello.txt
    content: {hello}
    encoding: gz+b64
init_cmd: ["echo init >> /var/lib/maculaos/fixture-order"]
boot_cmd: ["echo boot >> /var/lib/maculaos/fixture-order"]
run_cmd: ["echo run >> /var/lib/maculaos/fixture-order"]
maculaos:
  password: "{hashed}"
  modules: ["dummy numdummies=3"]
  sysctl: {{vm.swappiness: "17"}}
  environment: {{FIXTURE_ENV: fixture-value}}
  dns_nameservers: [10.0.2.3, {nameserver}]
  ntp_servers: [10.0.2.2]
  timezone: Europe/Berlin
  keyboard: de
  locale: de_DE.UTF-8
  node_name: edge-7-k3s
  token: fixture-token
  labels: {{zone: fixture}}
  mesh: {{roles: {{gateway: true}}, realm: io.macula.fixture}}
  firewall: {{allow: ["{allowed}/tcp"]}}
  boot: {{grub_password: {grub_hash}}}
"""


def boot_again(machine, m, disk, name, **kw):
    """Powers the node off and boots it in a new QEMU with a log of its own (and kw's options,
    such as ports forwarded to the guest)."""
    m.sudo("sync; poweroff", check=False)
    m.wait_exit(SHUTDOWN)
    m = machine(disks=[disk], log_name=name, **kw)
    assert m.expect_boot_of_slot(120) == "a"
    return m


def banner(port, timeout=20):
    """The first bytes a TCP server on 127.0.0.1:port sends, b"" when none come in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.settimeout(max(1, deadline - time.monotonic()))
                data = s.recv(64)
                if data:
                    return data
        except OSError:
            pass
        time.sleep(1)
    return b""


def ssh(key, port, *args, user="macula"):
    return subprocess.run(["ssh", "-i", str(key), "-p", str(port), "-o", "StrictHostKeyChecking=no",
                           "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=60", "-o", "BatchMode=yes",
                           f"{user}@127.0.0.1", *args], capture_output=True, text=True, timeout=180)


def test_config_applies_every_key_at_boot(machine, installed_disk, tmp_path):
    hashed = subprocess.run(["openssl", "passwd", "-6", "-salt", "fixturesalt", FIXTURE_PASSWORD],
                            capture_output=True, text=True, check=True).stdout.strip()
    key = tmp_path / "fixture_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "fixture@host", "-f", str(key)], check=True)
    public_key = key.with_suffix(".pub").read_text().strip()
    config = FIXTURE_CONFIG.format(key=public_key, hello=FIXTURE_HELLO_GZ_B64, hashed=hashed,
                                   nameserver=FIXTURE_NAMESERVER, allowed=ALLOWED_PORT,
                                   grub_hash=FIXTURE_GRUB_HASH)
    (tmp_path / "config.yaml").write_text(config)

    m = machine(disks=[installed_disk], log_name="first-boot")
    assert m.expect_boot_of_slot(120) == "a"
    m.login(BOOT)
    # Written once this boot has run its last stage. The run stage (`local`, at the end of the
    # boot) reads config.yaml as it is then: written before, its run_cmd would run in this boot,
    # whose boot stage applied the config before it (seen: fixture-order began "run"). A
    # product race, reported; the scenario checks the stages of one config in one boot.
    m.wait_for_service("local")
    encoded = base64.b64encode(config.encode()).decode()
    m.sudo(f"echo {encoded} | base64 -d > /var/lib/maculaos/config.yaml")
    assert m.sudo("maculaos config validate /var/lib/maculaos/config.yaml") == "/var/lib/maculaos/config.yaml: valid"
    ssh_port, allowed_port, blocked_port = free_port(), free_port(), free_port()
    m = boot_again(machine, m, installed_disk, "configured",
                   host_ports=[(ssh_port, 22), (allowed_port, ALLOWED_PORT), (blocked_port, BLOCKED_PORT)])
    m.expect(r"Applying the node config", 120)
    m.login_refused("macula")  # the image's password stops working once one is set
    m.login(60, password=FIXTURE_PASSWORD)
    assert m.run("hostname") == "edge-7"
    assert m.sudo("getent shadow macula | cut -d: -f2") == hashed
    assert m.run("cat ~/.ssh/authorized_keys") == public_key
    assert m.run("stat -c '%a %U' ~/.ssh ~/.ssh/authorized_keys") == "700 macula\n600 macula"
    assert m.sudo("stat -c %a /var/lib/maculaos/applied-config.yaml") == "600"
    status = m.run("maculaos config status")
    assert status.startswith("config: applied\n"), status
    assert "macula-gateway: on, not installed (/opt/macula/bin/macula-gateway)" in status, status
    # nothing of the hash on the console during that boot
    assert hashed not in m.log().rsplit("Applying the node config", 1)[1].split("login:", 1)[0]

    # write_files, the commands of the three stages in order, modules, sysctl, environment
    assert m.sudo("stat -c '%a %U %G' /etc/fixture/plain.conf; cat /etc/fixture/plain.conf") == \
        "640 macula sudo\nplain fixture"
    assert m.run("stat -c '%a %U' /opt/fixture/hello.txt; cat /opt/fixture/hello.txt") == "644 root\nhello"
    m.wait_for_service("local")  # run_cmd: the config's run stage, at the end of the boot (local.d)
    assert m.sudo("cat /var/lib/maculaos/fixture-order") == "init\nboot\nrun"
    assert m.run("ip -br link show dummy2 | cut -d' ' -f1") == "dummy2"  # numdummies=3 (the default is 1)
    assert m.run("cat /proc/sys/vm/swappiness") == "17"
    assert m.run("echo $FIXTURE_ENV") == "fixture-value"
    assert m.run("readlink /etc/localtime; date +%Z") in (
        "/usr/share/zoneinfo/Europe/Berlin\nCET", "/usr/share/zoneinfo/Europe/Berlin\nCEST")
    # the keymap (qwertz: the key right of T is Z), the locale built at boot and in the login
    assert re.search(r"^keycode +21 = +\+?z", m.sudo("dumpkeys -C /dev/tty1"), re.M)
    assert "de_DE.utf8" in m.run("locale -a").split()
    assert m.run("echo $LANG") == "de_DE.UTF-8"
    # the name servers, also once dhclient has written resolv.conf for its lease (without our
    # comment line: the servers are then the ones its hook put in place of the DHCP server's)
    m.wait_for_network()
    m.run("for i in $(seq 60); do grep -q '^# maculaos' /etc/resolv.conf || break; sleep 1; done")
    resolv = m.run("cat /etc/resolv.conf")
    assert "# maculaos" not in resolv and f"nameserver {FIXTURE_NAMESERVER}" in resolv, resolv
    assert m.run("cat /etc/chrony/sources.d/maculaos.sources | grep -v '^#'") == "server 10.0.2.2 iburst"
    m.wait_for_service("chrony")
    m.run("for i in $(seq 30); do chronyc -n sources 2>/dev/null | grep -q 10.0.2.2 && break; sleep 1; done")
    assert "10.0.2.2" in m.run("chronyc -n sources")
    # what k3s will read (the token: root only, in a file of its own), the mesh roles
    k3s = m.sudo("stat -c %a /etc/rancher/k3s/config.yaml /var/lib/maculaos/k3s-token; cat /etc/rancher/k3s/config.yaml")
    assert k3s.startswith("600\n600\n")
    assert 'node-name: "edge-7-k3s"' in k3s and 'token-file: "/var/lib/maculaos/k3s-token"' in k3s and '- "zone=fixture"' in k3s
    assert m.sudo("cat /var/lib/maculaos/k3s-token") == "fixture-token"
    shown = m.sudo("maculaos config show")
    assert "fixture-token" not in shown
    assert "# maculaos.mesh: macula-gateway: on, not installed (/opt/macula/bin/macula-gateway)" in shown, shown
    mesh = m.run("cat /etc/maculaos/mesh.env")
    assert "MACULA_REALM='io.macula.fixture'" in mesh and "MACULA_ROLE_GATEWAY=true" in mesh
    runlevel = m.run("ls /etc/runlevels/default")
    assert "macula-gateway" in runlevel and "macula-mesh" in runlevel and "macula-bootstrap" not in runlevel
    m.wait_for_service("macula-gateway", "inactive")  # on, its daemon not installed

    # From this host: SSH with the key, no password over SSH; the firewall lets an allowed
    # port through and drops another (an sshd listens on both)
    m.wait_for_service("ssh")
    result = ssh(key, ssh_port, "hostname")
    assert (result.returncode, result.stdout.strip()) == (0, "edge-7"), result.stderr
    refused = subprocess.run(["ssh", "-p", str(ssh_port), "-o", "StrictHostKeyChecking=no", "-o",
                              "UserKnownHostsFile=/dev/null", "-o", "PreferredAuthentications=password,keyboard-interactive",
                              "-o", "BatchMode=yes", "-o", "ConnectTimeout=60", "macula@127.0.0.1", "true"],
                             capture_output=True, text=True, timeout=180)
    assert refused.returncode != 0 and "Permission denied (publickey)" in refused.stderr, refused.stderr
    m.sudo(f"/usr/sbin/sshd -p {ALLOWED_PORT} -p {BLOCKED_PORT}")
    assert banner(allowed_port).startswith(b"SSH-2.0")
    assert banner(blocked_port, timeout=15) == b""
    assert "policy drop" in m.sudo("nft list table inet maculaos")

    # GRUB's superuser, written to the ESP by this boot's boot stage: at the next boot, editing
    # an entry asks for it, and the A/B entry boots with no one at the console all the same.
    assert FIXTURE_GRUB_HASH in m.sudo("cat /run/macula/esp/maculaos/grub-superuser.cfg")
    m.sudo("sync; poweroff", check=False)
    m.wait_exit(SHUTDOWN)
    m = machine(disks=[installed_disk], log_name="grub-edit")
    m.expect("GNU GRUB", 120)
    for _ in range(30):  # 'e' on the menu until GRUB asks (the menu waits 1 s: keys stop it)
        m.child.send("e")
        if m.child.expect([r"Enter username:", pexpect.TIMEOUT], timeout=1) == 0:
            break
    else:
        raise AssertionError("editing an entry did not ask for GRUB's superuser")
    m.kill()
    m = machine(disks=[installed_disk], log_name="grub-unrestricted")
    assert m.expect_boot_of_slot(120) == "a"
    m.kill()


def test_a_bad_edit_boots_with_the_last_config_that_applied(machine, installed_disk):
    """The node keeps the name and keys of the last good config, and says why: on the console,
    in the motd and in `maculaos config status`."""
    m = machine(disks=[installed_disk], log_name="good-config")
    assert m.expect_boot_of_slot(120) == "a"
    m.login(BOOT)
    m.sudo("printf 'hostname: edge-8\\nssh_authorized_keys: [\"%s\"]\\n' > /var/lib/maculaos/config.yaml" % FIXTURE_KEY)
    m.sudo("maculaos config apply")  # what the boot stage runs: this config is now the last that applied
    m.sudo("mkdir -p /var/lib/maculaos/config.d && "
           "printf 'hostname: bad_name\\n' > /var/lib/maculaos/config.d/50-typo.yaml")
    code, out = m.sudo_status("maculaos config validate /var/lib/maculaos/config.d/50-typo.yaml")
    assert code != 0 and out.startswith(
        "/var/lib/maculaos/config.d/50-typo.yaml:1:11: hostname: \"bad_name\": expected a host name"), (code, out)
    m = boot_again(machine, m, installed_disk, "bad-edit")
    m.expect(r"50-typo.yaml:1:11: hostname", 120)
    m.expect(r"applied the last config that applied", 30)
    m.login(BOOT)
    assert "config: applied with errors" in m.log().rsplit("Password:", 1)[1]  # the motd
    code, status = m.run_status("maculaos config status")
    assert code == 1 and "50-typo.yaml:1:11: hostname" in status, (code, status)  # 1: applied with errors
    assert m.run("hostname") == "edge-8"
    assert m.run("cat ~/.ssh/authorized_keys") == FIXTURE_KEY


FIXTURE_META_DATA = "instance-id: fixture-1\nlocal-hostname: meta-node\n"
# The seed trusts the fixture CA and names the fixture servers: github.com and the config
# server are both 10.0.2.100:443, this host's HTTPS stand-in (a guestfwd).
FIXTURE_USER_DATA = """\
#cloud-config
hostname: cidata-node
ssh_authorized_keys: [github:fixture-user, github:fixture-portal]
users:
  - name: ada
    groups: sudo
    shell: /bin/bash
    sudo: ALL=(ALL) NOPASSWD:ALL
    ssh_authorized_keys: [{ada_key}]
write_files:
  - path: /etc/fixture/from-cidata
    content: seeded
  - path: /usr/local/share/ca-certificates/fixture-ca.crt
    content: {ca}
    encoding: b64
  - {{path: /etc/fixture/appended, content: "one\\n"}}
  - {{path: /etc/fixture/appended, content: "two\\n", append: true}}
  - {{path: /home/ada/deferred, content: "hi\\n", owner: "ada:ada", defer: true}}
bootcmd:
  - grep -q ' github.com' /etc/hosts || echo '10.0.2.100 github.com config.fixture.test' >> /etc/hosts
  - update-ca-certificates
runcmd:
  - [sh, -c, "echo ran > /run/fixture-runcmd"]
timezone: Europe/Berlin
"""
# NoCloud's network-config (version 2): QEMU's user network addresses, set statically on the
# NIC its MAC names
FIXTURE_NETWORK_CONFIG = """\
version: 2
ethernets:
  lan:
    match: {macaddress: "52:54:00:12:34:56"}
    addresses: [10.0.2.15/24]
    gateway4: 10.0.2.2
    nameservers: {addresses: [10.0.2.3]}
"""
# (not write_files: the seed's list replaces a list of the stick's whole)
FIXTURE_STICK_CONFIG = """\
maculaos:
  timezone: UTC
  sysctl: {vm.swappiness: "23"}
"""
FIXTURE_URL_CONFIG = """\
hostname: url-node
write_files:
  - path: /etc/fixture/from-url
    content: fetched
"""


def test_live_boot_applies_every_source_but_the_disk(machine, iso, kernel, initrd, tmp_path):
    """A config carried on the stick (the ISO remastered with maculaos/config.yaml); cloud-init's
    NoCloud: a file system labelled cidata beside the live ISO, as VM platforms attach one; a
    maculaos.KEY=VALUE word of the kernel command line; and the network stage:
    the config at macula.config_url= and the keys of github:USER, from an HTTPS stand-in for
    GitHub and a config server. The seed's network-config gives the NIC QEMU's user network
    addresses statically (no DHCP runs), its user-data what cloud-init users write: users,
    write_files appended and deferred, runcmd, timezone; `config validate` takes both files
    as the boot did, with no warning."""
    ca = make_test_ca(tmp_path, ["github.com", "config.fixture.test"])
    key = tmp_path / "fixture_key"
    ada_key = tmp_path / "ada_key"
    for k, comment in ((key, "fixture@github"), (ada_key, "ada@fixture")):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(k)], check=True)
    seed_dir = tmp_path / "seed"
    seed_dir.mkdir()
    (seed_dir / "meta-data").write_text(FIXTURE_META_DATA)
    (seed_dir / "user-data").write_text(FIXTURE_USER_DATA.format(
        ca=base64.b64encode((ca / "ca.pem").read_bytes()).decode(), ada_key=ada_key.with_suffix(".pub").read_text().strip()))
    (seed_dir / "network-config").write_text(FIXTURE_NETWORK_CONFIG)
    (tmp_path / "stick-config.yaml").write_text(FIXTURE_STICK_CONFIG)
    stick = tmp_path / "stick.iso"
    subprocess.run(["xorriso", "-indev", str(iso), "-outdev", str(stick), "-map", str(tmp_path / "stick-config.yaml"),
                    "/maculaos/config.yaml", "-boot_image", "any", "replay"], check=True, capture_output=True)
    seed = tmp_path / "seed.iso"
    subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-V", "cidata", "-J", "-r", "-o", str(seed), str(seed_dir)],
                   check=True)
    tls = server_context(ca)
    ssh_port = free_port()
    with FlakyHTTPServer(tmp_path / "www", ssl_context=tls) as server:
        (server.root / "fixture-user.keys").write_text(key.with_suffix(".pub").read_text())
        (server.root / "fixture-portal.keys").write_text("<html><body>Sign in to the fixture Wi-Fi</body></html>\n")
        (server.root / "fixture-node.yaml").write_text(FIXTURE_URL_CONFIG)
        m = machine(kernel=kernel, initrd=initrd, cdrom=stick, disks=[seed], tls_port=server.port,
                    host_ports=[(ssh_port, 22)],
                    append="console=ttyS0,115200n8 maculaos.sysctl:vm.overcommit_memory=1 "
                           "macula.config_url=https://config.fixture.test/fixture-node.yaml")
        m.login(420)
        # What every stage did: the network stage (maculaos-config-network) fetched the URL's
        # config and the keys and applied the boot stage again; runcmd is the run stage, in
        # `local`, the boot's last service.
        m.wait_for_service("local")
        assert "config: the network brought a new config or keys: applying the boot stage again" in m.log()
        assert m.run("cat /etc/fixture/from-cidata; echo; cat /etc/fixture/from-url") == "seeded\nfetched"
        assert m.run("cat /proc/sys/vm/swappiness") == "23"  # from the stick
        assert m.run("cat /proc/sys/vm/overcommit_memory") == "1"  # the command line's, a name with dots
        assert m.run("hostname") == "url-node"  # the URL's config merges after the seed
        assert m.run("cat /run/fixture-runcmd") == "ran"
        assert m.run("readlink /etc/localtime") == "/usr/share/zoneinfo/Europe/Berlin"  # the seed's, not the stick's
        assert m.run("cat /etc/fixture/appended") == "one\ntwo"
        assert m.run("stat -c '%U %a' /home/ada/deferred") == "ada 644"  # written once ada was made
        assert m.sudo("stat -c '%a %U' /etc/sudoers.d/90-maculaos-ada /home/ada/.ssh/authorized_keys") == "440 root\n600 ada"
        for seed_file in ("user-data", "network-config"):  # checked as the boot took them: no warning
            assert m.sudo_status(f"maculaos config validate /run/macula/nocloud/{seed_file}") == \
                (0, f"/run/macula/nocloud/{seed_file}: valid")
        assert m.run("ip -4 -br addr show ens3 | tr -s ' ' | cut -d' ' -f3") == "10.0.2.15/24"
        assert m.run("ip route show default").startswith("default via 10.0.2.2 dev ens3")
        assert m.run_status("pgrep dhclient") == (1, "")  # 1: no such process
        assert m.run("grep ^nameserver /etc/resolv.conf") == "nameserver 10.0.2.3"
        assert m.sudo("stat -c '%a' /run/macula/nocloud /run/macula/nocloud/user-data") == "700\n600"
        assert m.run("cat ~/.ssh/authorized_keys") == key.with_suffix(".pub").read_text().strip()
        assert m.sudo("stat -c '%a' /var/lib/maculaos/remote /var/lib/maculaos/remote/*") == "700\n600\n600"
        shown = m.sudo("maculaos config show")
        assert "/run/macula/nocloud/user-data:" in shown and "kernel command line" in shown, shown
        assert "https://config.fixture.test/fixture-node.yaml:1:11" in shown, shown
        status = m.run("maculaos config status")
        assert status.startswith("config: applied\n"), status
        assert ("warning: ssh_authorized_keys: github:fixture-portal: not fetched (none fetched yet): "
                "github:fixture-portal: line 1 of https://github.com/fixture-portal.keys is not a public key") in status, status
        # From this host: SSH with the key GitHub's stand-in gave
        result = ssh(key, ssh_port, "hostname")
        assert (result.returncode, result.stdout.strip()) == (0, "url-node"), result.stderr
        # and the seed's user, with its key, its shell, its group and its sudo rule
        result = ssh(ada_key, ssh_port, "echo $SHELL; id -nG; sudo -n id -u", user="ada")
        assert result.returncode == 0, result.stderr
        shell, groups, uid = result.stdout.split("\n")[:3]
        assert (shell, "sudo" in groups.split(), uid) == ("/bin/bash", True, "0"), result.stdout
        assert {"/fixture-user.keys", "/fixture-portal.keys", "/fixture-node.yaml"} <= {path for path, _ in server.requests}
