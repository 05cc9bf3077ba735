#!/usr/bin/python3
"""Where the bytes of an image go: the ISO's parts (GRUB, kernel, initramfs, root image), and
inside the root image (uncompressed, as unsquashfs lists it) the largest directories and the
kernel modules by subtree. Prints markdown tables for docs/results.md.

usage: bench/image_size.py ISO ROOTFS_SQUASHFS INITRAMFS [ROWS]
"""
import collections
import pathlib
import subprocess
import sys


def squashfs_files(image):
    """(path, bytes) of each regular file in the squashfs image."""
    listing = subprocess.run(["unsquashfs", "-lls", "-d", "", str(image)], check=True, capture_output=True,
                             text=True).stdout
    for line in listing.splitlines():
        fields = line.split(None, 5)
        # -rw-r--r-- root/root  12345 2026-12-02 23:05 /usr/bin/x
        if len(fields) == 6 and fields[0].startswith("-"):
            yield fields[5], int(fields[2])


def iso_files(iso):
    """(path, bytes) of each file in the ISO 9660 tree (xorriso's ls -l lines)."""
    out = subprocess.run(["xorriso", "-indev", str(iso), "-find", "/", "-type", "f", "-exec", "lsdl"],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        fields = line.split(None, 8)
        if len(fields) == 9 and fields[0].startswith("-"):
            yield fields[8].strip("'"), int(fields[4])


def group(path, depth):
    parts = path.strip("/").split("/")
    # /usr is most of a merged-/usr root: one level deeper there
    keep = depth + 1 if parts[0] == "usr" else depth
    return "/" + "/".join(parts[:keep]) if len(parts) > keep else "/" + "/".join(parts[:-1] or parts)


def table(title, sizes, total, rows):
    print(f"\n| {title} | MB | share |\n|---|---:|---:|")
    ranked = sorted(sizes.items(), key=lambda kv: -kv[1])
    for name, size in ranked[:rows]:
        print(f"| `{name}` | {size / 1e6:.1f} | {100 * size / total:.1f}% |")
    rest = sum(size for _, size in ranked[rows:])
    if rest:
        print(f"| everything else ({len(ranked) - rows}) | {rest / 1e6:.1f} | {100 * rest / total:.1f}% |")
    print(f"| **total** | **{total / 1e6:.1f}** | |")


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__.strip())
    iso, rootfs, initramfs = (pathlib.Path(a) for a in sys.argv[1:4])
    rows = int(sys.argv[4]) if len(sys.argv) == 5 else 15

    parts = collections.Counter()
    for path, size in iso_files(iso):
        if path.endswith(".squashfs"):
            parts["root image (squashfs)"] += size
        elif path.endswith(initramfs.name) or "initr" in path.rsplit("/", 1)[-1]:
            parts["initramfs"] += size
        elif "vmlinuz" in path:
            parts["kernel"] += size
        elif "/grub/" in path or path.startswith("/boot/grub") or path.startswith("/EFI") or path.endswith(".img"):
            parts["GRUB (BIOS and UEFI)"] += size
        else:
            parts["other"] += size
    print(f"ISO {iso.name}: {iso.stat().st_size / 1e6:.1f} MB on disk")
    table("ISO part", parts, sum(parts.values()), rows)

    files = list(squashfs_files(rootfs))
    total = sum(size for _, size in files)
    print(f"\nroot image {rootfs.name}: {rootfs.stat().st_size / 1e6:.1f} MB compressed, "
          f"{total / 1e6:.1f} MB of files (x{total / rootfs.stat().st_size:.2f})")
    directories = collections.Counter()
    for path, size in files:
        directories[group(path, 2)] += size
    table("root image directory (uncompressed)", directories, total, rows)

    modules = collections.Counter()
    for path, size in files:
        if "/lib/modules/" in path and path.endswith(".ko"):
            # /usr/lib/modules/KVER/kernel/drivers/net/ethernet/...: kernel/drivers/net
            tree = path.split("/lib/modules/", 1)[1].split("/")[1:]
            modules["/".join(tree[:3]) if tree[1] == "drivers" else "/".join(tree[:2])] += size
    table("kernel modules subtree (uncompressed)", modules, sum(modules.values()), rows)


if __name__ == "__main__":
    main()
