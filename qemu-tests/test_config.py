"""The node config applied at boot on an installed disk: the host name, the password of user
macula and its SSH keys from /var/lib/maculaos/config.yaml, and a config with an error that
leaves the node as the last good config made it."""
import subprocess

from helpers import BOOT

# Fixtures: a password (its SHA-512 crypt hash goes in the config) and a key line.
FIXTURE_PASSWORD = "fixture-password-7"
FIXTURE_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixtureKeyOfTheConfigTest fixture@host"


def boot_again(machine, m, disk, name):
    """Powers the node off and boots it in a new QEMU (a third warm reboot in one QEMU once
    stalled in the kernel's start-up under TCG)."""
    m.sudo("sync; poweroff", check=False)
    m.wait_exit(120)
    m = machine(disks=[disk], log_name=name)
    assert m.expect_boot_of_slot(120) == "a"
    return m


def test_config_names_the_node_and_sets_its_password_and_keys(machine, installed_disk):
    hashed = subprocess.run(["openssl", "passwd", "-6", "-salt", "fixturesalt", FIXTURE_PASSWORD],
                            capture_output=True, text=True, check=True).stdout.strip()
    m = machine(disks=[installed_disk], log_name="first-boot")
    assert m.expect_boot_of_slot(120) == "a"
    m.login(BOOT)
    m.sudo(f"printf 'hostname: edge-7\\nssh_authorized_keys:\\n  - {FIXTURE_KEY}\\n"
           f"maculaos:\\n  password: \"{hashed}\"\\n' > /var/lib/maculaos/config.yaml")
    m = boot_again(machine, m, installed_disk, "configured")
    m.expect(r"Applying the node config", 120)
    m.login_refused("macula")  # the image's password stops working once one is set
    m.login(60, password=FIXTURE_PASSWORD)
    assert m.run("hostname") == "edge-7"
    assert m.sudo("getent shadow macula | cut -d: -f2") == hashed
    assert m.run("cat ~/.ssh/authorized_keys") == FIXTURE_KEY
    assert m.run("stat -c '%a %U' ~/.ssh ~/.ssh/authorized_keys") == "700 macula\n600 macula"
    assert m.sudo("stat -c %a /var/lib/maculaos/applied-config.yaml") == "600"
    # nothing of the hash on the console during that boot
    assert hashed not in m.log().rsplit("Applying the node config", 1)[1].split("login:", 1)[0]

    # A bad edit: the node keeps the name, password and keys of the last good config, and says why.
    m.sudo("mkdir -p /var/lib/maculaos/config.d && "
           "printf 'hostname: bad_name\\n' > /var/lib/maculaos/config.d/50-typo.yaml")
    assert m.sudo("maculaos config validate /var/lib/maculaos/config.d/50-typo.yaml", check=False).startswith(
        "/var/lib/maculaos/config.d/50-typo.yaml:1:11: hostname: \"bad_name\": expected a host name")
    m = boot_again(machine, m, installed_disk, "bad-edit")
    m.expect(r"50-typo.yaml:1:11: hostname", 120)
    m.expect(r"applying the last config that applied", 30)
    m.login(BOOT, password=FIXTURE_PASSWORD)
    assert m.run("hostname") == "edge-7"
    assert m.run("cat ~/.ssh/authorized_keys") == FIXTURE_KEY
