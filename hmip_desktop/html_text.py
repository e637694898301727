"""Text put into the core's HTML reports (the lunchtime sheet, the panel summary)."""

from __future__ import annotations

import html


def html_text(text: object) -> str:
    """``text`` escaped for HTML, quotes included; None is empty."""
    return html.escape("" if text is None else str(text), quote=True)
