"""Fixtures for the QEMU scenarios: the built images, and a Machine per test with its log."""
import os
import pathlib

import pytest

from machine import Machine


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


@pytest.fixture
def log_dir(request):
    base = pathlib.Path(os.environ.get("MACULA_QEMU_LOGS", "/tmp/macula-qemu-logs"))
    return base / request.node.name


@pytest.fixture
def machine(log_dir, kernel, request):
    """Starts a Machine with the given keyword arguments; reports its log on failure."""
    started = []

    def start(**kw):
        kw.setdefault("probe_kernel", kernel)
        m = Machine(log_dir / f"boot{len(started)}.log", **kw)
        started.append(m)
        return m

    yield start
    failed = getattr(request.node, "rep_call", None) and request.node.rep_call.failed
    for m in started:
        m.kill()
        if failed:
            tail = m.log()[-3000:]
            print(f"\n--- console log {m.log_path} (last 3000 characters) ---\n{tail}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
