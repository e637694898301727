"""Render the app icon (resources/icons/hmip-desktop.svg) to the PNG and ICO files installers use.

    python installer/render_icons.py OUT_FOLDER

Writes hmip-desktop-<size>.png for 16 … 256 pixels and hmip-desktop.ico (those PNGs in one
Windows icon file). Only the SVG is kept in the repository; build.spec runs this at build time.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256)
SVG = Path(__file__).resolve().parents[1] / "resources" / "icons" / "hmip-desktop.svg"


def render(out: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtCore, QtGui, QtSvg  # noqa: PLC0415 - a build tool, run on demand

    _app = QtGui.QGuiApplication.instance() or QtGui.QGuiApplication([])
    renderer = QtSvg.QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: not a valid SVG")
    out.mkdir(parents=True, exist_ok=True)
    pngs: list[tuple[int, bytes]] = []
    written = []
    for size in SIZES:
        image = QtGui.QImage(size, size, QtGui.QImage.Format.Format_ARGB32)
        image.fill(QtCore.Qt.GlobalColor.transparent)
        painter = QtGui.QPainter(image)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        buffer = QtCore.QBuffer()
        buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        data = bytes(buffer.data().data())
        path = out / f"hmip-desktop-{size}.png"
        path.write_bytes(data)
        written.append(path)
        pngs.append((size, data))
    ico = out / "hmip-desktop.ico"
    ico.write_bytes(ico_bytes(pngs))
    written.append(ico)
    return written


def ico_bytes(pngs: list[tuple[int, bytes]]) -> bytes:
    """An ICO file holding PNG images (Windows Vista and later read PNG entries)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, data in pngs:
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        blobs += data
    return header + entries + blobs


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    for p in render(Path(sys.argv[1])):
        print(p)  # noqa: T201 - a build tool's output
