"""The toolbar's language switch: English or Welsh for this workspace, from the next start.

Labels are translated when their module is first loaded, so the window cannot change language
in place; the choice is kept (``language_choice.store_choice``) and the app says, in both
languages, that it takes effect the next time it starts. The switch is named in the language
it switches to ("Cymraeg" in an English window, "English" in a Welsh one), as a bilingual user
looks for it.
"""

from __future__ import annotations

from pathlib import Path

from hmip_desktop.errors import UserError
from hmip_desktop.gui.common.qt import QtGui, QtWidgets
from hmip_desktop.i18n import current_language
from hmip_desktop.language_choice import store_choice

AUTONYMS = {"en": "English", "cy": "Cymraeg"}
# Shown in both languages whichever is in use: the user may not read the one they left.
NEXT_START = {
    "cy": ("Bydd yr ap yn Gymraeg y tro nesaf y bydd yn dechrau.\n"
           "The app will be in Welsh the next time it starts."),
    "en": ("The app will be in English the next time it starts.\n"
           "Bydd yr ap yn Saesneg y tro nesaf y bydd yn dechrau."),
}
SWITCH_TIPS = {
    "cy": "Defnyddio'r ap yn Gymraeg / Use the app in Welsh",
    "en": "Use the app in English / Defnyddio'r ap yn Saesneg",
}


def other_language() -> str:
    return "cy" if current_language() == "en" else "en"


def language_action(parent: QtWidgets.QWidget, folder: Path) -> QtGui.QAction:
    """The action that keeps the other language for ``folder`` and says when it applies."""
    action = QtGui.QAction(AUTONYMS[other_language()], parent)
    action.setToolTip(SWITCH_TIPS[other_language()])
    chosen = {"language": other_language()}

    def switch() -> None:
        language = chosen["language"]
        try:
            store_choice(folder, language)
        except (UserError, OSError) as e:
            QtWidgets.QMessageBox.warning(parent, "Cymraeg / English", str(e))
            return
        QtWidgets.QMessageBox.information(parent, "Cymraeg / English", NEXT_START[language])
        # Pressed again, it goes back to the language in use now.
        chosen["language"] = "en" if language == "cy" else "cy"
        action.setText(AUTONYMS[chosen["language"]])
        action.setToolTip(SWITCH_TIPS[chosen["language"]])

    action.triggered.connect(switch)
    return action
