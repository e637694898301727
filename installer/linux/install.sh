#!/bin/sh
# Install hmip-desktop for the current user, without root, or remove it again.
#
#   ./install.sh               install or upgrade into ${PREFIX:-~/.local}
#   ./install.sh --uninstall   remove the app; workspaces are never touched
#
# The app goes to PREFIX/lib/hmip-desktop, a command to PREFIX/bin/hmip-desktop, and the
# menu entry, icon and bundle file types to PREFIX/share. Workspaces live apart from all of
# this, in ${XDG_DATA_HOME:-~/.local/share}/hmip-desktop, and stay there.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
app=$prefix/lib/hmip-desktop
share=$prefix/share
workspaces=${XDG_DATA_HOME:-$HOME/.local/share}/hmip-desktop

refresh() {
    if command -v update-mime-database >/dev/null 2>&1; then
        update-mime-database "$share/mime" >/dev/null 2>&1 || true
    fi
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database "$share/applications" >/dev/null 2>&1 || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t "$share/icons/hicolor" >/dev/null 2>&1 || true
    fi
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$app"
    rm -f "$prefix/bin/hmip-desktop" \
          "$share/applications/hmip-desktop.desktop" \
          "$share/mime/packages/hmip-desktop.xml" \
          "$share/icons/hicolor/scalable/apps/hmip-desktop.svg" \
          "$share/icons/hicolor/256x256/apps/hmip-desktop.png"
    refresh
    echo "hmip-desktop removed from $prefix."
    echo "Workspaces were kept in $workspaces; delete that folder yourself if you mean to."
    exit 0
fi
if [ $# -ne 0 ]; then
    echo "usage: $0 [--uninstall]" >&2
    exit 2
fi

mkdir -p "$prefix/lib" "$prefix/bin" "$share/applications" "$share/mime/packages" \
         "$share/icons/hicolor/scalable/apps" "$share/icons/hicolor/256x256/apps"
# Copy beside the old version, then swap, so a failed copy leaves the old one working.
rm -rf "$app.new"
cp -R "$here/hmip-desktop" "$app.new"
rm -rf "$app"
mv "$app.new" "$app"
ln -sf "$app/hmip-desktop" "$prefix/bin/hmip-desktop"
sed -e "s|^Exec=hmip-desktop|Exec=\"$app/hmip-desktop\"|" \
    -e "s|^TryExec=hmip-desktop|TryExec=$app/hmip-desktop|" \
    "$here/hmip-desktop.desktop" > "$share/applications/hmip-desktop.desktop"
cp "$here/hmip-desktop-mime.xml" "$share/mime/packages/hmip-desktop.xml"
cp "$here/hmip-desktop.svg" "$share/icons/hicolor/scalable/apps/hmip-desktop.svg"
cp "$here/hmip-desktop-256.png" "$share/icons/hicolor/256x256/apps/hmip-desktop.png"
refresh
echo "hmip-desktop installed in $app"
echo "Start it from the applications menu, or run: $prefix/bin/hmip-desktop"
echo "Check it works on this machine: $prefix/bin/hmip-desktop --self-test"
