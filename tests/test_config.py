"""`maculaos config validate`: the schema's verdict on a file, as a person at a shell sees it."""
import json
import pathlib
import subprocess


def validate(maculaos_bin, path):
    return subprocess.run([str(maculaos_bin), "config", "validate", str(path)],
                          capture_output=True, text=True, timeout=60)


def test_a_valid_config_passes_and_warns_of_unknown_keys(maculaos_bin, tmp_path):
    cfg = tmp_path / "config.yaml"
    cfg.write_text("hostname: edge-1\nhostnme: typo\nmaculaos:\n  timezone: Europe/Berlin\n"
                   "  mesh: {roles: {gateway: true}, realm: io.macula}\n")
    r = validate(maculaos_bin, cfg)
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"{cfg}: valid\n"
    assert r.stderr == f"{cfg}:2:10: warning: hostnme: unknown key, ignored (did you mean hostname?)\n"


def test_each_error_is_one_line_with_its_place_and_no_secret(maculaos_bin, tmp_path):
    cfg = tmp_path / "config.yaml"
    cfg.write_text("maculaos:\n  password: my-plain-secret\n  firewall:\n    allow: [22/icmp]\n")
    r = validate(maculaos_bin, cfg)
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert len(lines) == 2, r.stderr
    assert lines[0].startswith(f"{cfg}:2:13: maculaos.password: expected a crypt(3) hash")
    assert lines[1].startswith(f'{cfg}:4:13: maculaos.firewall.allow[0]: "22/icmp": expected PORT/tcp')
    assert "my-plain-secret" not in r.stderr + r.stdout


def test_a_maintenance_window_and_max_unavailable_are_checked_as_written(maculaos_bin, tmp_path):
    cfg = tmp_path / "config.yaml"
    cfg.write_text("maculaos:\n  upgrade:\n    auto_apply: true\n    maintenance_window: 'Mon-Fri 01:30-03:00'\n"
                   "    max_unavailable: 2\n")
    assert validate(maculaos_bin, cfg).returncode == 0
    cfg.write_text("maculaos:\n  upgrade:\n    maintenance_window: Sunday 2am\n    max_unavailable: 0\n")
    r = validate(maculaos_bin, cfg)
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        f'{cfg}:3:25: maculaos.upgrade.maintenance_window: "Sunday 2am": expected [DAYS ]HH:MM-HH:MM in the '
        "node's time, such as 'Sun 02:00-04:00' or 'Mon-Fri 01:30-03:00'",
        f'{cfg}:4:22: maculaos.upgrade.max_unavailable: "0": expected a number of nodes from 1 to 100'], r.stderr


def test_a_file_that_does_not_parse_or_is_missing_is_one_line(maculaos_bin, tmp_path):
    cfg = tmp_path / "config.yaml"
    cfg.write_text("hostname: a\n\tmaculaos: {}\n")
    r = validate(maculaos_bin, cfg)
    assert r.returncode == 1 and r.stderr.startswith(f"config: {cfg}:2:1: "), r.stderr
    assert r.stderr.count("\n") == 1
    missing = validate(maculaos_bin, tmp_path / "absent.yaml")
    assert missing.returncode == 4 and "absent.yaml" in missing.stderr and missing.stderr.count("\n") == 1


DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"


def schema(maculaos_bin, *flags):
    r = subprocess.run([str(maculaos_bin), "config", "schema", *flags], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    return r.stdout


def test_the_config_reference_in_docs_is_the_schema_s_output(maculaos_bin):
    # `make config-reference` writes both files from the built binary
    assert (DOCS / "config-reference.md").read_text() == schema(maculaos_bin, "--markdown"), \
        "docs/config-reference.md is not the schema's: make config-reference"
    assert (DOCS / "config-reference.md").read_text() == schema(maculaos_bin)
    assert (DOCS / "config-schema.json").read_text() == schema(maculaos_bin, "--json"), \
        "docs/config-schema.json is not the schema's: make config-reference"


def test_the_json_schema_takes_the_image_s_defaults_as_a_config(maculaos_bin):
    doc = json.loads(schema(maculaos_bin, "--json"))
    assert doc["$schema"] == "http://json-schema.org/draft-07/schema#"
    maculaos = doc["properties"]["maculaos"]
    assert maculaos["additionalProperties"] is False
    assert maculaos["properties"]["mesh"]["properties"]["realm"]["default"] == "io.macula"


def test_schema_takes_one_format(maculaos_bin):
    r = subprocess.run([str(maculaos_bin), "config", "schema", "--json", "--markdown"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr


def test_a_cloud_config_is_checked_as_the_boot_takes_it(maculaos_bin, tmp_path):
    cfg = tmp_path / "user-data"
    cfg.write_text("#cloud-config\n"
                   "users:\n  - default\n  - name: ada\n    groups: sudo\n    shell: /bin/bash\n"
                   "    sudo: ALL=(ALL) NOPASSWD:ALL\n    ssh_authorized_keys: [ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI ada]\n"
                   "runcmd:\n  - [touch, /run/ran]\nbootcmd: [date]\n"
                   "write_files:\n  - {path: /etc/motd, content: hello, append: true}\n"
                   "  - {path: /home/ada/x, owner: ada, defer: true}\n"
                   "timezone: Europe/Berlin\nlocale: en_US.UTF-8\nntp: {servers: [10.0.0.1]}\n"
                   "chpasswd: {expire: false, list: ['root:$6$salt$hash']}\n")
    r = validate(maculaos_bin, cfg)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert r.stdout == f"{cfg}: valid\n"


def test_a_cloud_config_key_maculaos_does_not_do_is_named(maculaos_bin, tmp_path):
    cfg = tmp_path / "user-data"
    cfg.write_text("#cloud-config\npackages: [vim]\nruncmd: [date]\n")
    r = validate(maculaos_bin, cfg)
    assert r.returncode == 0, r.stderr
    assert r.stderr == (f"{cfg}:2:11: warning: packages: cloud-config key `packages` is not supported "
                        "by MaculaOS (an immutable root): ignored\n")
    plain = tmp_path / "plain"
    plain.write_text("#cloud-config\nchpasswd: {list: ['root:hunter2']}\n")
    r = validate(maculaos_bin, plain)
    assert r.returncode == 1
    assert "chpasswd.list[0]: root: a plain-text password is refused" in r.stderr
    assert "hunter2" not in r.stderr + r.stdout


def test_a_network_config_is_checked_as_the_boot_takes_it(maculaos_bin, tmp_path):
    cfg = tmp_path / "network-config"
    cfg.write_text("version: 2\nethernets:\n  lan:\n    match: {macaddress: '52:54:00:12:34:56'}\n"
                   "    addresses: [10.0.2.15/24]\n    gateway4: 10.0.2.2\n    nameservers: {addresses: [10.0.2.3]}\n")
    r = validate(maculaos_bin, cfg)
    assert (r.returncode, r.stderr) == (0, ""), r.stderr
    cfg.write_text("version: 3\n")
    r = validate(maculaos_bin, cfg)
    assert r.returncode == 0
    assert r.stderr == f"{cfg}:1:10: warning: version: network-config version 3 is not supported (expected version 1 or 2): ignored\n"
