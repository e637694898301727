#!/usr/bin/env bash
# Build the Linux bundle from a clean clone and prove it works:
#
#   installer/linux/build.sh
#
# 1. checks the build machine (Python 3.11+, and the system libraries Qt and its xcb plugin link,
#    which PyInstaller then bundles: installer/linux/debian-packages.txt, the one list, checked by
#    check-system-libraries.sh);
# 2. makes build/package-venv and installs '.[package]' (the app's dependencies + PyInstaller);
# 3. runs PyInstaller with build.spec → dist/hmip-desktop/ (one folder);
# 4. checks with ldd that every library in it finds what it links against;
# 5. assembles dist/hmip-desktop-<version>-linux-<arch>.tar.gz: the app, the .desktop file,
#    the icon, the bundle file types (shared-mime-info) and install.sh for ~/.local;
# 6. unpacks the tarball in a temporary folder, installs it there, runs the installed app's
#    --self-test (offscreen, and on an X server too where xvfb-run is installed), checks a
#    damaged copy names its missing file, and uninstalls, checking that workspaces are left
#    alone.
# Any failure stops the script with a non-zero status.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
started=$(date +%s)
step() { printf '\n== %s\n' "$*"; }
fail() { echo "build.sh: $*" >&2; exit 1; }

step "Build machine"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || fail "Python 3.11 or newer is needed as python3"
version=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
name=hmip-desktop-$version-linux-$(uname -m)
installer/linux/check-system-libraries.sh || fail "the build machine lacks libraries Qt links"
echo "hmip-desktop $version, $(python3 --version), $(uname -m)"

step "Virtual environment build/package-venv with .[package]"
venv=build/package-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check '.[package]'

step "PyInstaller (build.spec) → dist/hmip-desktop"
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --workpath build/pyinstaller --distpath dist build.spec
app=dist/hmip-desktop
[ -x "$app/hmip-desktop" ] || fail "PyInstaller wrote no $app/hmip-desktop"

step "Every bundled library finds its dependencies"
# The graphics stack (Wayland, GL, EGL) is the desktop's own and deliberately not bundled.
internal=$app/_internal
unresolved=$(find "$internal" -type f -name '*.so*' | sort | while read -r lib; do
    LD_LIBRARY_PATH="$internal:$internal/PySide6/Qt/lib" ldd "$lib" 2>/dev/null \
        | grep 'not found' | grep -Ev 'lib(wayland-|GL|EGL|OpenGL|drm)' \
        | sed "s|^[[:space:]]*|${lib#"$internal"/}: |" || true
done)
[ -z "$unresolved" ] || fail "unresolved libraries:"$'\n'"$unresolved"
echo "ok: $(find "$internal" -type f -name '*.so*' | wc -l) libraries"

step "Tarball dist/$name.tar.gz"
stage=build/linux-stage
# the packages of installer/linux/debian-packages.txt, in order, each once
packages=$(awk '!/^#/ && NF && !seen[$2]++ {printf "%s%s", sep, $2; sep=" "}' \
           installer/linux/debian-packages.txt)
rm -rf "$stage" && mkdir -p "$stage/$name"
cp -R "$app" "$stage/$name/hmip-desktop"
cp installer/linux/hmip-desktop.desktop installer/linux/hmip-desktop-mime.xml \
   installer/linux/install.sh resources/icons/hmip-desktop.svg \
   build/icons/hmip-desktop-256.png "$stage/$name/"
cat > "$stage/$name/README.txt" <<EOF
hmip-desktop $version for Linux ($(uname -m))

  ./install.sh                 install for yourself under ~/.local (no root needed)
  ./install.sh --uninstall     remove it again; your workspaces are kept
  hmip-desktop/hmip-desktop    or run it from here without installing

After installing, check that it works on this machine:

  ~/.local/bin/hmip-desktop --self-test

Qt needs the X11 or Wayland libraries a desktop has; on a minimal Debian or Ubuntu:
  sudo apt-get install $packages
EOF
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner \
    -czf "dist/$name.tar.gz" "$name"

step "Install the tarball in a temporary folder and run the self-test"
try=$(mktemp -d)
trap 'rm -rf "$try"' EXIT
tar -C "$try" -xzf "dist/$name.tar.gz"
export HOME=$try/home XDG_DATA_HOME=$try/home/.local/share
mkdir -p "$HOME"
PREFIX=$try/prefix "$try/$name/install.sh"
installed=$try/prefix/bin/hmip-desktop
"$installed" --version
QT_QPA_PLATFORM=offscreen "$installed" --self-test
if command -v xvfb-run >/dev/null 2>&1; then
    step "The self-test again on an X server (Xvfb), through the bundled xcb plugin"
    set +e
    out=$(env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1080x24" \
              "$installed" --self-test 2>&1)
    code=$?
    set -e
    [ "$code" -eq 0 ] || fail "the self-test failed on X11:"$'\n'"$out"
    tail -n 2 <<<"$out"
else
    echo "(xvfb-run not found: the xcb plugin was not tried; apt-get install xvfb to try it)"
fi

step "A damaged installation names what is missing"
rm "$try/prefix/lib/hmip-desktop/_internal/hmip_desktop/resources/common-passwords.txt"
set +e
out=$(QT_QPA_PLATFORM=offscreen "$installed" --self-test 2>&1)
code=$?
set -e
[ "$code" -eq 1 ] || fail "a damaged installation's self-test exited $code, not 1"
grep -q 'common-passwords.txt is missing; reinstall hmip-desktop' <<<"$out" \
    || fail "the damaged installation did not name the missing file:"$'\n'"$out"
! grep -q Traceback <<<"$out" || fail "a damaged installation printed a traceback"
echo "ok: $(grep -m1 FAILED <<<"$out")"

step "Uninstall keeps workspaces"
mkdir -p "$XDG_DATA_HOME/hmip-desktop/workspace" && touch "$XDG_DATA_HOME/hmip-desktop/workspace/kept"
PREFIX=$try/prefix "$try/$name/install.sh" --uninstall
[ ! -e "$installed" ] && [ ! -e "$try/prefix/lib/hmip-desktop" ] || fail "uninstall left the app"
[ -e "$XDG_DATA_HOME/hmip-desktop/workspace/kept" ] || fail "uninstall removed a workspace"

step "Done in $(( $(date +%s) - started )) s"
echo "app folder:  $(du -sh "$app" | cut -f1)  $app"
echo "tarball:     $(du -h "dist/$name.tar.gz" | cut -f1)  dist/$name.tar.gz"
