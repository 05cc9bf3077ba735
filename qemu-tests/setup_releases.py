"""TEST FIXTURE releases of k3s and Flux, at their GitHub download paths, for the scenarios
that run `maculaos setup` (the real ones cannot be downloaded here): the k3s served is
k3s_fixture (qemu-tests/fixtures/k3s_fixture.cc), the Flux tarball holds a fixture script, and
the release sums are made for them. Also a root image pinning another k3s version, for an
upgrade whose k3s follows the OS."""
import hashlib
import io
import os
import pathlib
import subprocess
import tarfile
import tempfile

import pytest

IMAGE_CONFIG = "usr/share/maculaos/config.yaml"  # in the root image: the pins
IMAGE_K3S = "v1.31.4+k3s1"  # the image's pinned versions (rootfs/overlay/usr/share/maculaos/config.yaml)
IMAGE_FLUX = "2.4.0"
FIXTURE_IMAGES = "airgap images of k3s {version} (a test fixture, not a tarball)\n"
# TEST FIXTURE, not flux: its version, and as `install --export` the two resource kinds of
# Flux that the GitOps manifests use (CRDs by name only: no controllers run here).
FIXTURE_FLUX_SCRIPT = """#!/bin/sh
case "$1" in
  --version) echo 'flux version {version} (test fixture)' ;;
  install) printf -- '---\\napiVersion: apiextensions.k8s.io/v1\\nkind: CustomResourceDefinition\\nmetadata:\\n  name: %s\\n' \\
             gitrepositories.source.toolkit.fluxcd.io kustomizations.kustomize.toolkit.fluxcd.io ;;
  *) echo "flux (test fixture): '$1': expected --version or install --export" >&2; exit 2 ;;
esac
"""


def k3s_fixture():
    value = os.environ.get("MACULA_K3S_FIXTURE")
    if not value or not pathlib.Path(value).exists():
        pytest.fail(f"MACULA_K3S_FIXTURE={value!r}: expected the built k3s_fixture (run the tests with `make test`)")
    return pathlib.Path(value)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def publish_releases(root, k3s_version, flux_version=None):
    """k3s's and Flux's (unless None) release assets at their GitHub download paths under root,
    with sums. Returns the k3s binary's path on the server."""
    k3s = k3s_fixture().read_bytes()
    k3s_dir = root / "k3s-io/k3s/releases/download" / k3s_version
    k3s_dir.mkdir(parents=True)
    (k3s_dir / "k3s").write_bytes(k3s)
    images = FIXTURE_IMAGES.format(version=k3s_version).encode()
    (k3s_dir / "k3s-airgap-images-amd64.tar.zst").write_bytes(images)
    # as the real sums file: every asset of the release, ours among them
    (k3s_dir / "sha256sum-amd64.txt").write_text(
        f"{'0' * 64}  k3s-airgap-images-arm64.tar.zst\n{sha256(images)}  k3s-airgap-images-amd64.tar.zst\n"
        f"{sha256(k3s)}  k3s\n")
    k3s_path = f"/k3s-io/k3s/releases/download/{k3s_version}/k3s"
    if flux_version is None:
        return k3s_path
    flux_dir = root / "fluxcd/flux2/releases/download" / f"v{flux_version}"
    flux_dir.mkdir(parents=True)
    tarball = io.BytesIO()
    with tarfile.open(fileobj=tarball, mode="w:gz") as tar:
        script = FIXTURE_FLUX_SCRIPT.format(version=flux_version).encode()
        info = tarfile.TarInfo("flux")
        info.size, info.mode = len(script), 0o755
        tar.addfile(info, io.BytesIO(script))
    name = f"flux_{flux_version}_linux_amd64.tar.gz"
    (flux_dir / name).write_bytes(tarball.getvalue())
    (flux_dir / f"flux_{flux_version}_checksums.txt").write_text(f"{sha256(tarball.getvalue())}  {name}\n")
    return k3s_path


def rootfs_pinning_k3s(rootfs, version, out):
    """A copy of the root image rootfs whose image config pins k3s version; returns out."""
    with tempfile.TemporaryDirectory(prefix="macula-rootfs-") as tmp:
        tree = pathlib.Path(tmp) / "root"
        subprocess.run(["unsquashfs", "-q", "-n", "-d", str(tree), str(rootfs)], check=True)
        config = tree / IMAGE_CONFIG
        text = config.read_text()
        pinned = f"k3s_version: {IMAGE_K3S}"
        assert pinned in text, f"{IMAGE_CONFIG} of {rootfs}: no '{pinned}'"
        config.write_text(text.replace(pinned, f"k3s_version: {version}"))
        # the image's 1 MiB blocks (rootfs/build.sh), at zstd 12 rather than its 19: 5 s rather than
        # 40 here, for a root image 11% larger (at 128 KiB blocks it is a third larger, and the
        # scenario's two applies write and read back every byte under emulation)
        subprocess.run(["mksquashfs", str(tree), str(out), "-noappend", "-quiet", "-no-progress",
                        "-comp", "zstd", "-Xcompression-level", "12", "-b", "1M"], check=True)
    return pathlib.Path(out)
