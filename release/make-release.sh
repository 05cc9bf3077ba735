#!/usr/bin/env bash
# Makes a signed MaculaOS release, the directory a node's `maculaos upgrade` downloads from.
# What it takes and what it makes: usage() below, or --help.
set -euo pipefail

me=make-release
die() { echo "$me: $*" >&2; exit 1; }
usage() {
  cat <<'USAGE'
Makes a signed MaculaOS release: the directory a node's `maculaos upgrade` downloads from.

Usage: release/make-release.sh --version V --channel C --key KEY.pem \
         --kernel VMLINUZ --initrd INITRD --rootfs ROOTFS.squashfs [--arch ARCH] \
         [--k3s K3S_RELEASE_DIR] OUT_DIR

OUT_DIR then holds:
  rootfs.squashfs.zst, vmlinuz.zst, initrd.zst.zst   each input compressed with zstd -19
                      (ZSTD_LEVEL=N in the environment picks another level: tests use 3)
  manifest.json       format, version, channel and per artifact: name, url (relative to the
                      manifest), compression, size and sha256 (of the uncompressed file),
                      download_size (of the .zst)
  manifest.json.sig   ECDSA signature (DER) over SHA-256 of manifest.json's exact bytes, made
                      with KEY.pem (an EC P-256 private key)
  manifest-ARCH.json, manifest-ARCH.json.sig
                      the same two files under the names a GitHub release's assets carry
                      (ARCH: amd64, the default, or arm64; docs/upgrades.md)
  k3s/k3s.zst, k3s/sha256sum-ARCH.txt.zst   with --k3s: the k3s the root image pins, from
                      K3S_RELEASE_DIR, a k3s release in its download layout
                      (.../k3s-io/k3s/releases/download/VERSION: the binary, k3s or
                      k3s-ARCH, and sha256sum-ARCH.txt), named in the manifest's "k3s"
                      (its version: the directory's name). A node applying the release
                      stages it for the new slot's first boot: an air-gapped node's k3s
                      follows its OS with no network.

The release is built in a temporary directory beside OUT_DIR and renamed into place, so
OUT_DIR is either the whole new release or what it was before. The inputs are not checked
for being a real kernel or file system: only for being readable files.
USAGE
}
misuse() { echo "$me: $*" >&2; echo "(see $0 --help)" >&2; exit 2; }

declare -A opt=()
out=
parse_args() {
  local name value
  while (($#)); do
    case $1 in
      -h|--help) usage; exit 0 ;;
      --version|--channel|--key|--kernel|--initrd|--rootfs|--arch|--k3s)
        (($# >= 2)) || die "$1: missing value"
        name=${1#--} value=$2
        shift 2 ;;
      --version=*|--channel=*|--key=*|--kernel=*|--initrd=*|--rootfs=*|--arch=*|--k3s=*)
        name=${1%%=*} name=${name#--} value=${1#*=}
        shift ;;
      -*) misuse "unknown option '$1'" ;;
      *)
        [[ -z "$out" ]] || misuse "more than one OUT_DIR ('$out', '$1')"
        out=$1
        shift
        continue ;;
    esac
    [[ -z "${opt[$name]+x}" ]] || die "--$name: given twice"
    opt[$name]=$value
  done
  for name in version channel key kernel initrd rootfs; do
    [[ -n "${opt[$name]+x}" ]] || misuse "--$name: missing"
    [[ -n "${opt[$name]}" ]] || die "--$name: empty value"
  done
  [[ -n "$out" ]] || misuse "OUT_DIR: missing"
  opt[arch]=${opt[arch]:-amd64}
}

check_args() {
  local name file
  # the version and channel go into the manifest; the channel is also a directory in URLs
  [[ "${opt[version]}" =~ ^[[:graph:]]+$ ]] ||
    die "--version: '${opt[version]}': no spaces or control characters allowed"
  [[ "${opt[channel]}" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] ||
    die "--channel: '${opt[channel]}': letters, digits, '.', '_' and '-' only"
  [[ "${opt[arch]}" == amd64 || "${opt[arch]}" == arm64 ]] ||
    die "--arch: '${opt[arch]}': expected amd64 or arm64"
  for name in key kernel initrd rootfs; do
    file=${opt[$name]}
    [[ -e "$file" ]] || die "--$name: $file: no such file"
    [[ -f "$file" ]] || die "--$name: $file: not a regular file"
    [[ -r "$file" ]] || die "--$name: $file: not readable"
  done
  # checked before the (slow) compression: a node verifies with P-256 keys only
  local text
  text=$(openssl pkey -in "${opt[key]}" -noout -text_pub 2>/dev/null) || text=
  [[ "$text" == *"ASN1 OID: prime256v1"* ]] ||
    die "--key: ${opt[key]}: not an ECDSA P-256 (prime256v1) private key in PEM"
  if [[ -n "${opt[k3s]:-}" ]]; then
    local dir=${opt[k3s]%/} name
    [[ -d "$dir" ]] || die "--k3s: $dir: not a directory (expected a k3s release: .../releases/download/VERSION)"
    opt[k3s_version]=$(basename "$dir")
    [[ "${opt[k3s_version]}" =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]*)?$ ]] ||
      die "--k3s: $dir: its name '${opt[k3s_version]}' is not a k3s release tag like v1.31.4+k3s1"
    for name in "$(k3s_binary_name)" "sha256sum-${opt[arch]}.txt"; do
      [[ -f "$dir/$name" && -r "$dir/$name" ]] || die "--k3s: $dir/$name: no such readable file (k3s's ${opt[arch]} release has it)"
    done
  fi
  [[ ! -e "$out" || -d "$out" ]] || die "OUT_DIR: $out: exists and is not a directory"
  local tool
  for tool in zstd openssl python3; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install $tool)"
  done
}

# k3s's binary in its release: k3s on amd64, k3s-ARCH otherwise (as setup fetches it)
k3s_binary_name() { [[ "${opt[arch]}" == amd64 ]] && echo k3s || echo "k3s-${opt[arch]}"; }

# write_manifest DIR: manifest.json from the inputs (uncompressed) and DIR's .zst files; with
# --k3s, its files (DIR/k3s/NAME.zst) in "k3s".
write_manifest() {
  local dir=$1 k3s=()
  if [[ -n "${opt[k3s]:-}" ]]; then
    local name
    k3s=(--k3s "${opt[k3s_version]}")
    for name in "$(k3s_binary_name)" "sha256sum-${opt[arch]}.txt"; do k3s+=("k3s/$name" "${opt[k3s]%/}/$name"); done
  fi
  python3 - "$dir" "${opt[version]}" "${opt[channel]}" \
    rootfs.squashfs "${opt[rootfs]}" vmlinuz "${opt[kernel]}" initrd.zst "${opt[initrd]}" "${k3s[@]}" <<'PY'
import hashlib, json, os, sys

out, version, channel, *pairs = sys.argv[1:]
k3s_version = None
if "--k3s" in pairs:
    at = pairs.index("--k3s")
    k3s_version, k3s_pairs, pairs = pairs[at + 1], pairs[at + 2:], pairs[:at]


def artifacts(pairs):
    """Per NAME SOURCE pair (NAME: the URL without .zst; the node's name: its last part)."""
    listed = []
    for name, source in zip(pairs[0::2], pairs[1::2]):
        digest = hashlib.sha256()
        size = 0
        with open(source, "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
        url = name + ".zst"
        listed.append({
            "name": os.path.basename(name),
            "url": url,
            "compression": "zstd",
            "size": size,
            "sha256": digest.hexdigest(),
            "download_size": os.path.getsize(os.path.join(out, url)),
        })
    return listed


manifest = {"format": 1, "version": version, "channel": channel, "artifacts": artifacts(pairs)}
if k3s_version:
    manifest["k3s"] = {"version": k3s_version, "files": artifacts(k3s_pairs)}
with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
    f.write(json.dumps(manifest, indent=2) + "\n")
PY
}

main() {
  parse_args "$@"
  check_args
  local parent tmp old key=${opt[key]}
  parent=$(dirname "$out")
  mkdir -p "$parent"
  tmp=$(mktemp -d "$parent/.$(basename "$out").new.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT

  zstd "-${ZSTD_LEVEL:-19}" -T0 -q -o "$tmp/rootfs.squashfs.zst" "${opt[rootfs]}" || die "--rootfs: ${opt[rootfs]}: zstd failed"
  zstd "-${ZSTD_LEVEL:-19}" -T0 -q -o "$tmp/vmlinuz.zst" "${opt[kernel]}" || die "--kernel: ${opt[kernel]}: zstd failed"
  zstd "-${ZSTD_LEVEL:-19}" -T0 -q -o "$tmp/initrd.zst.zst" "${opt[initrd]}" || die "--initrd: ${opt[initrd]}: zstd failed"
  if [[ -n "${opt[k3s]:-}" ]]; then
    local name
    mkdir "$tmp/k3s"
    for name in "$(k3s_binary_name)" "sha256sum-${opt[arch]}.txt"; do
      zstd "-${ZSTD_LEVEL:-19}" -T0 -q -o "$tmp/k3s/$name.zst" "${opt[k3s]%/}/$name" || die "--k3s: ${opt[k3s]}/$name: zstd failed"
    done
  fi
  write_manifest "$tmp"

  openssl dgst -sha256 -sign "$key" -out "$tmp/manifest.json.sig" "$tmp/manifest.json" ||
    die "--key: $key: signing failed"
  # check the signature with the key's own public half before publishing it
  if ! openssl pkey -in "$key" -pubout -out "$tmp/.pub.pem" 2>/dev/null ||
     ! openssl dgst -sha256 -verify "$tmp/.pub.pem" -signature "$tmp/manifest.json.sig" \
       "$tmp/manifest.json" >/dev/null; then
    die "--key: $key: the signature does not verify"
  fi
  rm -f "$tmp/.pub.pem"
  # a GitHub release is one flat list of assets: the manifest under its architecture's name
  cp "$tmp/manifest.json" "$tmp/manifest-${opt[arch]}.json"
  cp "$tmp/manifest.json.sig" "$tmp/manifest-${opt[arch]}.json.sig"
  find "$tmp" -type f -exec chmod 0644 {} +
  find "$tmp" -type d -exec chmod 0755 {} +

  # an old release is moved aside and deleted only once the new one is in place
  if [[ -e "$out" ]]; then
    old=$(mktemp -d "$parent/.$(basename "$out").old.XXXXXX")
    trap 'rm -rf "$tmp" "$old"' EXIT
    mv -T "$out" "$old/release"
  fi
  if ! mv -T "$tmp" "$out"; then
    [[ -z "${old:-}" ]] || mv -T "$old/release" "$out"
    die "OUT_DIR: $out: could not move the new release into place"
  fi
  trap - EXIT
  [[ -z "${old:-}" ]] || rm -rf "$old"
  echo "$me: ${opt[channel]} ${opt[version]}: $out ($(du -sm "$out" | cut -f1) MiB)"
}

main "$@"
