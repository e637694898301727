"""The banner and colour that make a training inspection visibly one (000_ §3.10)."""

from __future__ import annotations

from hmip_desktop.gui.common.qt import QtWidgets
from hmip_desktop.i18n import N_, _

TRAINING_COLOUR = "#4c2c92"  # a purple no real screen uses
TRAINING_TEXT = N_("TRAINING — the cases of a training event: they never count in a real "
                  "inspection, and trainees' answers go only to the lead of the training event")
MIXED_TEXT = N_("TRAINING — this workspace holds a training event beside real inspections: the "
               "training event's cases never count in a real inspection")


def training_banner(mixed: bool = False) -> QtWidgets.QLabel:
    """A full-width banner in the training colour, white on purple.

    ``mixed``: the workspace also holds real inspections (a lead who ran a training event).
    """
    banner = QtWidgets.QLabel(_(MIXED_TEXT if mixed else TRAINING_TEXT))
    banner.setObjectName("trainingBanner")
    banner.setWordWrap(True)
    banner.setAccessibleName(_("Training inspection"))
    banner.setStyleSheet(f"background: {TRAINING_COLOUR}; color: #ffffff; font-weight: bold;"
                         " padding: 8px;")
    return banner
