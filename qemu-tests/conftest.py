"""Fixtures for the QEMU scenarios: the built images, a Machine per test with its log, an
installed disk, and a release server the guests reach at http://10.0.2.100/."""
import os
import pathlib
import sys

import pytest

from machine import Machine

sys.path.append(str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
from flaky_http import FlakyHTTPServer  # noqa: E402

import helpers  # noqa: E402


def _artifact(name):
    value = os.environ.get(name)
    if not value or not pathlib.Path(value).exists():
        pytest.fail(f"{name}={value!r}: expected a built file (run the tests with `make test`)")
    return pathlib.Path(value)


@pytest.fixture(scope="session")
def iso():
    return _artifact("MACULA_ISO")


@pytest.fixture(scope="session")
def kernel():
    return _artifact("MACULA_KERNEL")


@pytest.fixture(scope="session")
def initrd():
    return _artifact("MACULA_INITRAMFS")


@pytest.fixture(scope="session")
def rootfs():
    """The root image of the ISO (build/rootfs-lite.squashfs)."""
    return _artifact("MACULA_ROOTFS")


@pytest.fixture
def log_dir(request):
    base = pathlib.Path(os.environ.get("MACULA_QEMU_LOGS", "/tmp/macula-qemu-logs"))
    return base / request.node.name


@pytest.fixture
def machine(log_dir, kernel, request):
    """Starts a Machine with the given keyword arguments; reports its log on failure.

    log_name="x" names its log x.log instead of boot<N>.log.

    Once the test has passed, every machine still logged in (not powered off, killed or
    rebooted since its login) must have no OpenRC service failed or crashed, once its default
    runlevel is done (Machine.assert_no_failed_services)."""
    started = []

    def start(log_name=None, **kw):
        kw.setdefault("probe_kernel", kernel)
        if log_name is None:
            log_name = f"boot{sum(m.log_path.name.startswith('boot') for m in started)}"
        m = Machine(log_dir / f"{log_name}.log", **kw)
        started.append(m)
        return m

    yield start
    call = getattr(request.node, "rep_call", None)
    failed = call is not None and call.failed
    try:
        if call is not None and call.passed:
            for m in started:
                if m.logged_in and m.child.isalive():
                    m.assert_no_failed_services()
    except Exception:
        failed = True
        raise
    finally:
        for m in started:
            m.kill()
            if failed:
                tail = m.log()[-3000:]
                print(f"\n--- console log {m.log_path} (last 3000 characters) ---\n{tail}")


@pytest.fixture
def installed_disk(tmp_path):
    """A fresh copy of the installed-disk image (4 GiB, MaculaOS on slot A, not yet booted)."""
    return helpers.copy_disk(helpers.installed_image(), tmp_path / "disk.img")


@pytest.fixture
def release_server(tmp_path):
    """A FlakyHTTPServer of a fresh directory (.root); Machine(release_port=server.port)
    makes it http://10.0.2.100/ in the guest."""
    with FlakyHTTPServer(tmp_path / "releases") as server:
        yield server


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
