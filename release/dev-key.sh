#!/usr/bin/env bash
# Makes sure the development signing key pair exists in DIR: maculaos-dev.key.pem (ECDSA P-256
# private key, mode 0600, generated once) and maculaos-dev.pub.pem (its SubjectPublicKeyInfo
# PEM, derived from the private key when missing). DIR is created with mode 0700.
# Idempotent, and silent unless it generates something or fails.
#
# Usage: release/dev-key.sh DIR
set -euo pipefail

(($# == 1)) || { echo "usage: release/dev-key.sh DIR" >&2; exit 2; }
dir=$1
key=$dir/maculaos-dev.key.pem
pub=$dir/maculaos-dev.pub.pem

command -v openssl >/dev/null || { echo "dev-key: openssl not found (apt-get install openssl)" >&2; exit 1; }

if [[ ! -d "$dir" ]]; then
  mkdir -p "$dir"
  chmod 0700 "$dir"
fi

if [[ ! -f "$key" ]]; then
  chmod 0700 "$dir"
  # written under a temporary name and renamed: a cut-short run leaves no half key
  tmp=$(mktemp "$dir/.maculaos-dev.key.XXXXXX")
  trap 'rm -f "$tmp"' EXIT
  chmod 0600 "$tmp"
  openssl ecparam -name prime256v1 -genkey -noout -out "$tmp" 2>/dev/null ||
    { echo "dev-key: $key: openssl could not generate the key" >&2; exit 1; }
  mv "$tmp" "$key"
  trap - EXIT
  rm -f "$pub"  # a public key left from another private key would not match
  echo "dev-key: generated the development signing key $key" >&2
fi

if [[ ! -f "$pub" ]]; then
  tmp=$(mktemp "$dir/.maculaos-dev.pub.XXXXXX")
  trap 'rm -f "$tmp"' EXIT
  openssl ec -in "$key" -pubout -out "$tmp" 2>/dev/null ||
    { echo "dev-key: $key: not an EC private key openssl can read" >&2; exit 1; }
  chmod 0644 "$tmp"
  mv "$tmp" "$pub"
  trap - EXIT
fi
