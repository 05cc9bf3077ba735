"""`maculaos logs`: the list, and the rotation that keeps the log directory within its budget
while a service writes through a descriptor it holds open (as supervise-daemon does for k3s)."""
import os
import subprocess

MIB = 1 << 20
BUDGET = 64 * MIB  # logs/log_rotation.h kLogRotation


def logs(maculaos_bin, *args):
    return subprocess.run([str(maculaos_bin), "logs", *args], capture_output=True, text=True, timeout=60)


def directory_bytes(path):
    """The files' sizes and the blocks they hold (a log left sparse by a truncation counts whole)."""
    size = blocks = 0
    for folder, _, names in os.walk(path):
        for name in names:
            st = os.lstat(os.path.join(folder, name))
            size += st.st_size
            blocks += st.st_blocks * 512
    return size, blocks


def test_200_mb_written_to_a_service_log_stay_within_the_budget(maculaos_bin, tmp_path):
    log_dir = tmp_path / "log"
    (log_dir / "chrony").mkdir(parents=True)
    (log_dir / "macula-mesh.log").write_bytes(b"m" * (7 * MIB))
    (log_dir / "chrony" / "measurements.log").write_bytes(b"c" * (3 * MIB))
    line = b"I1207 13:00:00 k3s: a line of the kind k3s writes by the thousand, to fill the state\n"
    chunk = line * (MIB // len(line))
    fd = os.open(log_dir / "k3s.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    try:
        written = 0
        while written < 200 * MIB:
            for _ in range(4):
                os.write(fd, chunk)
                written += len(chunk)
            r = logs(maculaos_bin, "--rotate", "--dir", str(log_dir))
            assert r.returncode == 0, r.stderr
            size, blocks = directory_bytes(log_dir)
            assert size <= BUDGET and blocks <= BUDGET + MIB, (written, size, blocks)
        os.write(fd, b"the last line\n")
    finally:
        os.close(fd)
    names = sorted(p.name for p in log_dir.iterdir())
    assert names == ["chrony", "k3s.log", "k3s.log.1", "k3s.log.2", "macula-mesh.log"], names
    # the writer's descriptor still writes the log itself, from its start after each rotation
    assert (log_dir / "k3s.log").read_bytes().endswith(b"the last line\n")
    assert (log_dir / "k3s.log").stat().st_size < 9 * MIB
    assert (log_dir / "k3s.log.1").read_bytes().startswith(line)
    assert (log_dir / "k3s.log.1").stat().st_mode & 0o777 == 0o640
    assert (log_dir / "chrony" / "measurements.log").stat().st_size == 3 * MIB


def test_the_list_names_every_log_and_a_wrong_name_is_a_usage_error(maculaos_bin):
    r = logs(maculaos_bin)
    assert r.returncode == 0, r.stderr
    for name in ("k3s", "macula-firstboot", "macula-mdns-name", "macula-mesh", "kernel", "--boot"):
        assert f"  {name} " in r.stdout, r.stdout
    wrong = logs(maculaos_bin, "k3z")
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1 and "'k3z': no such log" in wrong.stderr
    assert logs(maculaos_bin, "--rotate", "--every", "0").returncode == 2
