"""The module resolver's logic, on a tiny made-up kernel (resolve-modules.py's pure part)."""
import importlib.util
import pathlib

import pytest

_spec = importlib.util.spec_from_file_location(
    "resolve_modules", pathlib.Path(__file__).with_name("resolve-modules.py"))
rm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rm)

MODULES_DEP = """\
kernel/fs/ext4/ext4.ko: kernel/lib/crc16.ko kernel/fs/mbcache.ko kernel/fs/jbd2/jbd2.ko
kernel/fs/jbd2/jbd2.ko:
kernel/fs/mbcache.ko:
kernel/lib/crc16.ko:
kernel/crypto/crc32c_generic.ko:
kernel/arch/x86/crypto/crc32c-intel.ko:
kernel/drivers/usb/storage/uas.ko: kernel/drivers/usb/storage/usb-storage.ko kernel/drivers/usb/core/usbcore.ko
kernel/drivers/usb/storage/usb-storage.ko: kernel/drivers/usb/core/usbcore.ko
kernel/drivers/usb/core/usbcore.ko:
"""
MODULES_SOFTDEP = """\
# Soft dependencies extracted from modules themselves.
softdep ext4 pre: crypto-crc32c
softdep jbd2 pre: crypto-crc32c
softdep usb_storage post: uas
"""
MODULES_ALIAS = """\
alias crypto-crc32c crc32c_intel
alias cpu:type:x86,ven*fam*mod*:feature:*0094* crc32c_intel
alias crypto-crc32c crc32c_generic
"""
MODULES_BUILTIN = """\
kernel/drivers/block/loop.ko
"""


@pytest.fixture
def kernel(tmp_path):
    for name, text in [("modules.dep", MODULES_DEP), ("modules.softdep", MODULES_SOFTDEP),
                       ("modules.alias", MODULES_ALIAS), ("modules.builtin", MODULES_BUILTIN)]:
        (tmp_path / name).write_text(text)
    return rm.read_kernel(tmp_path)


def assert_deps_first(resolution):
    position = {name: i for i, name in enumerate(resolution.order)}
    for name in resolution.order:
        for dep in resolution.deps[name]:
            assert position[dep] < position[name], f"{dep} after {name}: {resolution.order}"


def test_names_use_underscores(kernel):
    assert kernel.paths["usb_storage"] == "kernel/drivers/usb/storage/usb-storage.ko"
    assert rm.module_name("kernel/fs/nls/nls_iso8859-1.ko.xz") == "nls_iso8859_1"


def test_every_module_comes_after_its_deps(kernel):
    resolution = rm.resolve(kernel, ["uas", "ext4"])
    assert_deps_first(resolution)
    assert set(resolution.order) == {"uas", "usb_storage", "usbcore", "ext4", "crc16", "mbcache",
                                     "jbd2", "crc32c_generic"}
    assert resolution.load == ["uas", "ext4"]


def test_pre_softdep_is_a_dep_through_its_alias_and_prefers_the_portable_module(kernel):
    resolution = rm.resolve(kernel, ["ext4"])
    assert "crc32c_generic" in resolution.deps["ext4"]
    assert "crc32c_generic" in resolution.deps["jbd2"]
    assert "crc32c_intel" not in resolution.order  # needs SSE4.2: a cpu: alias
    assert_deps_first(resolution)


def test_post_softdep_is_not_a_dep(kernel):
    resolution = rm.resolve(kernel, ["usb-storage"])
    assert resolution.order == ["usbcore", "usb_storage"]


def test_builtin_and_unknown_names_are_skipped_with_a_note(kernel):
    resolution = rm.resolve(kernel, ["loop", "nosuchmod", "crc16"])
    assert resolution.load == ["crc16"]
    assert resolution.order == ["crc16"]
    assert any("loop: built into the kernel" in n for n in resolution.notes)
    assert any("nosuchmod: no such module" in n for n in resolution.notes)


def test_load_keeps_list_order_without_duplicates(kernel):
    resolution = rm.resolve(kernel, ["uas", "crc16", "uas", "usb-storage"])
    assert resolution.load == ["uas", "crc16", "usb_storage"]


def test_index_lines_are_name_path_deps(kernel):
    lines = rm.index_lines(kernel, rm.resolve(kernel, ["uas"]))
    assert lines == [
        "usbcore\tkernel/drivers/usb/core/usbcore.ko\t-",
        "usb_storage\tkernel/drivers/usb/storage/usb-storage.ko\tusbcore",
        "uas\tkernel/drivers/usb/storage/uas.ko\tusb_storage,usbcore",
    ]


def test_a_softdep_cycle_is_an_error():
    kernel = rm.Kernel(paths={"a": "a.ko", "b": "b.ko"}, deps={"a": [], "b": ["a"]},
                       softdeps={"a": ["b"]})
    with pytest.raises(ValueError, match="cycle"):
        rm.resolve(kernel, ["a"])


def test_lists_skip_comments_and_blank_lines(tmp_path):
    (tmp_path / "one.list").write_text("# storage\nahci\n\nnvme  # NVMe\n")
    (tmp_path / "two.list").write_text("ext4\n")
    assert rm.read_lists([tmp_path / "one.list", tmp_path / "two.list"]) == ["ahci", "nvme", "ext4"]


def test_on_demand_lists_are_shipped_but_not_loaded_at_boot(tmp_path):
    moddir = tmp_path / "root" / "lib" / "modules" / "6.1"
    moddir.mkdir(parents=True)
    for name, text in [("modules.dep", MODULES_DEP), ("modules.softdep", MODULES_SOFTDEP),
                       ("modules.alias", MODULES_ALIAS), ("modules.builtin", MODULES_BUILTIN)]:
        (moddir / name).write_text(text)
    for line in MODULES_DEP.splitlines():
        ko = moddir / line.partition(":")[0]
        ko.parent.mkdir(parents=True, exist_ok=True)
        ko.write_bytes(b"\0")
    (tmp_path / "boot.list").write_text("ext4\n")
    (tmp_path / "usb.list").write_text("uas\nnot_here\n")
    staging = tmp_path / "staging"
    rm.main(["resolve-modules.py", str(tmp_path / "root"), "6.1", str(staging),
             str(tmp_path / "boot.list"), f"on-demand:{tmp_path / 'usb.list'}"])
    out = staging / "lib" / "modules"
    assert (out / "maculaos.load").read_text() == "ext4\n"
    assert (out / "maculaos.usb").read_text() == "uas\n"
    index = (out / "maculaos.modules").read_text()
    assert "\nuas\t" in index and "usbcore\t" in index  # shipped, with its deps
    assert (out / "6.1" / "kernel/drivers/usb/storage/uas.ko").exists()
