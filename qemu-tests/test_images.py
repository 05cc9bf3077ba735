"""The images beside the ISO (images/, `make images`): the installed-disk image written onto a
larger disk grows into it and boots under OVMF and SeaBIOS; the QCOW2 takes a NoCloud seed's
instance once (its host name, run_cmd once, boot_cmd every boot) and, configured, ignores a
stick with a new instance; the OVA holds a descriptor, a manifest and a VMDK of the image;
the root file system tarball unpacks into a root a chroot runs. (Every installed scenario
boots copies of the image under SeaBIOS too: installed_disk.)"""
import os
import pathlib
import subprocess
import tarfile
import xml.etree.ElementTree as ET

import helpers
from helpers import BOOT
from machine import KERNEL_PANIC, SHUTDOWN

OVF = "http://schemas.dmtf.org/ovf/envelope/1"
RASD = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"
NS = {"ovf": OVF, "rasd": RASD}
MiB = 1 << 20


def state_sizes(m):
    """Of the booted disk, vda, whose partition 5 is the state, in bytes: the disk's size, the
    state's end, its ext4 file system's size, and the partition's size."""
    start, size, disk = (int(m.run(f"cat /sys/class/block/{dev}/{field}")) * 512
                         for dev, field in (("vda5", "start"), ("vda5", "size"), ("vda", "size")))
    fields = m.sudo("dumpe2fs -h /dev/vda5 2>/dev/null | sed -n 's/^Block count: *//p; s/^Block size: *//p'").split()
    blocks, block_size = (int(f) for f in fields)
    return disk, start + size, blocks * block_size, size


def test_img_on_a_larger_disk_grows_the_state_and_boots_under_ovmf_and_seabios(machine, tmp_path):
    disk = helpers.copy_disk(helpers.installed_image(), tmp_path / "disk.img")
    image_bytes = disk.stat().st_size
    subprocess.run(["truncate", "-s", "8G", str(disk)], check=True)  # written onto an 8 GiB disk

    m = machine(disks=[disk], uefi=True, log_name="ovmf-first-boot")
    m.login(BOOT)
    assert "state: partition grown to" in m.log() and "state: file system grown to" in m.log()
    disk_bytes, state_end, fs_bytes, part_bytes = state_sizes(m)
    assert disk_bytes == 8 << 30
    # to the last whole MiB before the backup GPT, as the installer lays out an 8 GiB disk
    assert disk_bytes - 2 * MiB < state_end <= disk_bytes - 33 * 512, (disk_bytes, state_end)
    assert part_bytes - MiB < fs_bytes <= part_bytes, (fs_bytes, part_bytes)
    assert "No errors detected" in m.sudo("sfdisk --verify /dev/vda")  # both GPT headers, at their places
    assert int(m.run("df -B1 --output=size /home | tail -1")) > image_bytes  # the state behind /home
    m.run("echo kept > ~/grown-state")
    m.sudo("sync; poweroff", check=False)
    m.wait_exit(SHUTDOWN)

    # the next boot, by SeaBIOS (GRUB's core in the BIOS boot partition of the changed table):
    # nothing left to grow, and what the first boot wrote is there
    m = machine(disks=[disk], log_name="seabios-next-boot")
    m.login(BOOT)
    assert "grown" not in m.log() and KERNEL_PANIC not in m.log()
    assert m.run("cat ~/grown-state") == "kept"
    assert state_sizes(m)[1] == state_end


FIXTURE_USER_DATA = """#cloud-config
hostname: fixture-qcow2-node
runcmd: ["echo ran >> /var/lib/fixture-runcmd"]
bootcmd: ["echo booted >> /var/lib/fixture-bootcmd"]
"""


def cidata_seed(tmp_path, name, meta_data, user_data):
    """A NoCloud seed as VM platforms attach one: an iso9660 file system labelled cidata."""
    seed_dir = tmp_path / name
    seed_dir.mkdir()
    (seed_dir / "meta-data").write_text(meta_data)
    (seed_dir / "user-data").write_text(user_data)
    seed = tmp_path / f"{name}.iso"
    subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-V", "cidata", "-J", "-r", "-o", str(seed), str(seed_dir)],
                   check=True)
    return seed


def test_qcow2_applies_a_cidata_instance_once_and_a_configured_node_ignores_a_new_one(machine, tmp_path):
    # a copy-on-write layer over the artifact, which stays as built
    disk = tmp_path / "disk.qcow2"
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", os.environ["MACULA_QCOW2"],
                    str(disk)], check=True)
    seed = cidata_seed(tmp_path, "seed", "instance-id: fixture-qcow2\n", FIXTURE_USER_DATA)
    m = machine(disks=[disk, seed], log_name="qcow2")
    m.login(BOOT)
    assert "instance fixture-qcow2 is new" in m.log()
    assert m.run("hostname") == "fixture-qcow2-node"
    # a first boot like any installed one: this node's own identity, made now
    m.wait_for_service("macula-identity")
    assert m.sudo("test -s /etc/ssh/ssh_host_ed25519_key && test -s /etc/machine-id && echo made") == "made"
    assert "macula.slot=a" in m.run("cat /proc/cmdline")
    m.wait_for_runlevel()  # the run stage ran the instance's run_cmd
    m.sudo("sync; poweroff", check=False)
    m.wait_exit(SHUTDOWN)

    # the seed still attached: its instance was applied, so its run_cmd does not run again, its
    # config and boot_cmd stay
    m = machine(disks=[disk, seed], log_name="qcow2-same-instance")
    m.login(BOOT)
    assert "NoCloud seed on /dev/" in m.log() and "ignored: the node is configured" in m.log()
    assert m.run("hostname") == "fixture-qcow2-node"
    m.wait_for_runlevel()
    assert m.run("cat /var/lib/fixture-runcmd") == "ran"
    assert m.run("cat /var/lib/fixture-bootcmd") == "booted\nbooted"
    m.sudo("sync; poweroff", check=False)
    m.wait_exit(SHUTDOWN)

    # a stick with a new instance, on a node now configured and not listing nocloud: root on the
    # node for whoever plugs it in, unless ignored
    other = cidata_seed(tmp_path, "other", "instance-id: fixture-other\nlocal-hostname: taken-over\n",
                        "#cloud-config\nruncmd: [\"touch /var/lib/fixture-other-ran\"]\n")
    m = machine(disks=[disk, other], log_name="qcow2-new-instance")
    m.login(BOOT)
    assert "ignored: the node is configured and maculaos.data_sources does not list nocloud" in m.log()
    assert m.run("hostname") == "fixture-qcow2-node"
    m.wait_for_runlevel()
    assert m.run_status("test -e /var/lib/fixture-other-ran")[0] != 0


def test_ova_holds_its_descriptor_a_manifest_and_a_vmdk_of_the_img(tmp_path):
    ova = pathlib.Path(os.environ["MACULA_OVA"])
    img = helpers.installed_image()
    name = ova.stem
    vmdk = f"{name}-disk1.vmdk"
    with tarfile.open(ova) as t:
        assert t.getnames() == [f"{name}.ovf", f"{name}.mf", vmdk]  # the descriptor first
        t.extractall(tmp_path)  # our own artifact
    envelope = ET.parse(tmp_path / f"{name}.ovf").getroot()
    file = envelope.find("ovf:References/ovf:File", NS)
    assert file.get(f"{{{OVF}}}href") == vmdk
    assert int(file.get(f"{{{OVF}}}size")) == (tmp_path / vmdk).stat().st_size
    disk = envelope.find("ovf:DiskSection/ovf:Disk", NS)
    assert disk.get(f"{{{OVF}}}fileRef") == file.get(f"{{{OVF}}}id")
    assert int(disk.get(f"{{{OVF}}}capacity")) == img.stat().st_size
    assert disk.get(f"{{{OVF}}}format").endswith("#streamOptimized")
    # the hardware it declares, by CIM resource type: the disk on the SATA controller
    items = {int(i.find("rasd:ResourceType", NS).text): i for i in envelope.iter(f"{{{OVF}}}Item")}
    assert items[17].find("rasd:HostResource", NS).text == "ovf:/disk/" + disk.get(f"{{{OVF}}}diskId")
    assert items[17].find("rasd:Parent", NS).text == items[20].find("rasd:InstanceID", NS).text
    assert items[20].find("rasd:ResourceSubType", NS).text == "AHCI"
    assert int(items[4].find("rasd:VirtualQuantity", NS).text) == 2048  # MB of memory
    assert items[10].find("rasd:Connection", NS).text == "NAT"
    # the manifest's SHA-256 of each file
    listed = dict(line.split("= ") for line in (tmp_path / f"{name}.mf").read_text().splitlines())
    assert listed == {f"SHA256({f})": helpers.file_hash(tmp_path / f) for f in (f"{name}.ovf", vmdk)}
    # and the VMDK holds the image's bytes
    back = tmp_path / "back.raw"
    subprocess.run(["qemu-img", "convert", "-f", "vmdk", "-O", "raw", str(tmp_path / vmdk), str(back)], check=True)
    assert back.stat().st_size == img.stat().st_size
    subprocess.run(["cmp", str(back), str(img)], check=True)


def test_tar_unpacks_into_a_root_a_chroot_runs(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    subprocess.run(["tar", "--zstd", "-xf", os.environ["MACULA_TAR"], "-C", str(root)], check=True)
    subprocess.run(["chroot", str(root), "/bin/true"], check=True)
    release = subprocess.run(["chroot", str(root), "/bin/sh", "-c", ". /etc/os-release; echo $NAME"],
                             check=True, capture_output=True, text=True).stdout.strip()
    assert release == "MaculaOS"
    # the root image's own: owners and modes kept
    assert (root / "etc/shadow").stat().st_mode & 0o777 == 0o640
    assert (root / "home/macula").stat().st_uid == 1000
    assert list((root / "etc/maculaos/keys").glob("*.pem"))  # the keys its upgrades trust
