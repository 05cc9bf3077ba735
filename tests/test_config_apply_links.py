"""`maculaos config apply` writes into the macula user's home as root: a symbolic link the user
planted there (~/.ssh, ~/.ssh/authorized_keys, a parent of a write_files path) is not followed.
Its target is left as it was, and the step fails with one line naming the link.

The node is a TEST FIXTURE: a minimal root (passwd, group, the user's home, the node config)
that the static binary runs chrooted in, in mount, UTS and network namespaces of its own, so
that the boot stage's other steps (host name, firewall, ...) touch nothing of this machine;
they fail there for want of their tools, which the test ignores."""
import os
import shutil
import subprocess

import pytest

USER = 1000
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixtureFixtureFixtureFixtureFixtureFixture fixture"


@pytest.fixture
def node(maculaos_bin, tmp_path):
    root = tmp_path / "root"
    for d in ("etc", "usr/bin", "var/lib/maculaos", "run", "proc", "tmp", "home/macula"):
        (root / d).mkdir(parents=True)
    (root / "etc/passwd").write_text(f"root:x:0:0::/root:/bin/sh\nmacula:x:{USER}:{USER}::/home/macula:/bin/sh\n")
    (root / "etc/group").write_text(f"root:x:0:\nmacula:x:{USER}:\n")
    os.chown(root / "home/macula", USER, USER)
    shutil.copy(maculaos_bin, root / "usr/bin/maculaos")
    return root


def apply(root, config):
    (root / "var/lib/maculaos/config.yaml").write_text(config)
    script = f'mount --bind /proc {root}/proc && exec chroot {root} /usr/bin/maculaos config apply'
    return subprocess.run(["unshare", "--mount", "--uts", "--net", "--fork", "sh", "-c", script],
                          capture_output=True, text=True, timeout=120)


def link_as_user(target, at):
    os.symlink(target, at)
    os.lchown(at, USER, USER)


def owner_and_mode(path):
    st = os.lstat(path)
    return st.st_uid, st.st_mode & 0o7777


def test_without_links_the_keys_are_written_the_users_and_0600(node):
    r = apply(node, f"ssh_authorized_keys: ['{KEY}']\n")
    keys = node / "home/macula/.ssh/authorized_keys"
    assert keys.read_text() == KEY + "\n", r.stderr
    assert owner_and_mode(keys) == (USER, 0o600)
    assert owner_and_mode(node / "home/macula/.ssh") == (USER, 0o700)
    assert "ssh_authorized_keys" not in r.stderr, r.stderr


def test_a_linked_ssh_directory_is_not_followed(node):
    target = node / "etc/target"
    target.mkdir(mode=0o755)
    link_as_user("/etc/target", node / "home/macula/.ssh")
    r = apply(node, f"ssh_authorized_keys: ['{KEY}']\n")
    assert r.returncode == 1
    assert "config: ssh_authorized_keys: /home/macula/.ssh: a symbolic link (uid 1000's): not followed\n" in r.stderr, r.stderr
    assert owner_and_mode(target) == (0, 0o755)
    assert list(target.iterdir()) == []


def test_a_linked_authorized_keys_is_not_followed(node):
    ssh = node / "home/macula/.ssh"
    ssh.mkdir(mode=0o700)
    os.chown(ssh, USER, USER)
    shadow = node / "etc/shadow"
    shadow.write_text("root:$6$fixture:19000::::::\n")
    os.chmod(shadow, 0o600)
    link_as_user("/etc/shadow", ssh / "authorized_keys")
    r = apply(node, f"ssh_authorized_keys: ['{KEY}']\n")
    assert r.returncode == 1
    assert ("config: ssh_authorized_keys: /home/macula/.ssh/authorized_keys: a symbolic link (uid 1000's): "
            "not followed\n") in r.stderr, r.stderr
    assert shadow.read_text() == "root:$6$fixture:19000::::::\n"
    assert owner_and_mode(shadow) == (0, 0o600)
    assert os.path.islink(ssh / "authorized_keys")


def test_a_linked_parent_of_a_write_files_path_is_not_followed(node):
    elsewhere = node / "etc/elsewhere"
    elsewhere.mkdir(mode=0o755)
    link_as_user("/etc/elsewhere", node / "home/macula/conf")
    r = apply(node, "write_files:\n  - {path: /home/macula/conf/sub/app.yaml, content: 'a: 1', owner: macula}\n")
    assert r.returncode == 1
    assert "config: write_files: /home/macula/conf: a symbolic link (uid 1000's): not followed\n" in r.stderr, r.stderr
    assert list(elsewhere.iterdir()) == []
    assert owner_and_mode(elsewhere) == (0, 0o755)
