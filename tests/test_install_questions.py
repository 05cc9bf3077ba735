"""macula-install on a terminal without --yes asks for the node's settings (a person at the
console of the live ISO), checks each answer, and shows the config it will write (secrets
hidden) in its plan. --dry-run: nothing is written, so this runs on an image file here."""
import pexpect


def fixture_media(tmp_path):
    """Stand-ins for the media's slot files: the plan only sizes them."""
    media = tmp_path / "media"
    for name in ("maculaos/rootfs.squashfs", "boot/vmlinuz", "boot/initrd.zst"):
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(b"fixture " + name.encode())
    return media


def test_questions_on_a_terminal_become_the_node_config(maculaos_bin, tmp_path):
    disk = tmp_path / "disk.img"
    with open(disk, "wb") as f:
        f.truncate(8 << 30)
    child = pexpect.spawn(str(maculaos_bin), ["macula-install", "--dry-run", "--source", str(fixture_media(tmp_path)),
                                              str(disk)], encoding="utf-8", timeout=30)
    answers = [(r"Host name \[macula-XXXXXX", "edge_q"),  # refused: an underscore
               (r"expected a host name.*\r\n.*Host name", "edge-q"),
               (r"SSH public key of user macula, or github:USER \[none\]: ", ""),
               (r"Password for user macula: ", ""),  # refused: with no key it is the only way in
               (r"a password is needed: with no SSH key it is the only way to log in\r\n.*Password for user macula: ",
                "fixture-pw"),
               (r"The same password again: ", "fixture-pw"),
               (r"Console keyboard layout \[us\]: ", ""),
               (r"Time zone \[UTC\]: ", "Europe/Berlin"),
               (r"Locale \[C.UTF-8\]: ", ""),
               (r"Mesh bootstrap role \(yes/no\) \[no\]: ", ""),
               (r"Mesh gateway role \(yes/no\) \[no\]: ", "yes")]
    for prompt, answer in answers:
        child.expect(prompt)
        child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    out = child.before
    assert child.exitstatus == 0, out
    plan = out.split("(secrets hidden):", 1)[1]
    assert 'hostname: "edge-q"' in plan and "ssh_authorized_keys" not in plan, plan
    assert 'password: "(set)"' in plan and 'timezone: "Europe/Berlin"' in plan and 'gateway: "yes"' in plan, plan
    assert "keyboard" not in plan and "bootstrap" not in plan, plan
    assert "--dry-run: nothing was written." in out
    assert "fixture-pw" not in out  # typed without echo, and hashed


def test_with_a_key_the_password_may_be_left_out(maculaos_bin, tmp_path):
    """An SSH key given (here by --ssh-key): Enter leaves the password unset; the installed node
    then locks the image's (config/image_password.h)."""
    disk = tmp_path / "disk.img"
    with open(disk, "wb") as f:
        f.truncate(8 << 30)
    child = pexpect.spawn(str(maculaos_bin), ["macula-install", "--dry-run", "--ssh-key", "github:octocat",
                                              "--source", str(fixture_media(tmp_path)), str(disk)],
                          encoding="utf-8", timeout=30)
    child.expect(r"Host name \[macula-XXXXXX")
    child.sendline("")
    child.expect(r"Password for user macula \[none: locked, the SSH key logs in\]: ")
    for _ in range(6):  # the password, then keyboard, time zone, locale and the two roles
        child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    plan = child.before.split("(secrets hidden):", 1)[1]
    assert '- "github:octocat"' in plan and "password" not in plan, plan


def test_yes_asks_nothing(maculaos_bin, tmp_path):
    disk = tmp_path / "disk.img"
    with open(disk, "wb") as f:
        f.truncate(8 << 30)
    child = pexpect.spawn(str(maculaos_bin), ["macula-install", "--yes", "--dry-run", "--hostname", "given",
                                              "--source", str(fixture_media(tmp_path)), str(disk)],
                          encoding="utf-8", timeout=30)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "Host name" not in child.before and 'hostname: "given"' in child.before
