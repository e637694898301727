#!/usr/bin/env bash
# Check that this machine has every system library Qt links (installer/linux/debian-packages.txt,
# the one list, which dev.py and README.md use too). Prints nothing and exits 0 when all are
# there; otherwise names the missing libraries and the apt-get line for their packages, exit 1.
set -euo pipefail

list=$(cd "$(dirname "$0")" && pwd)/debian-packages.txt
known=$("$(command -v ldconfig || echo /sbin/ldconfig)" -p)
missing=()
packages=()
while read -r soname package _; do
    [[ -z "$soname" || "$soname" == \#* ]] && continue
    grep -q "^[[:space:]]*${soname//./\\.} " <<<"$known" && continue
    missing+=("$soname")
    [[ " ${packages[*]} " == *" $package "* ]] || packages+=("$package")
done <"$list"
if ((${#missing[@]})); then
    echo "missing ${missing[*]}; on Debian or Ubuntu: sudo apt-get install ${packages[*]}" >&2
    exit 1
fi
