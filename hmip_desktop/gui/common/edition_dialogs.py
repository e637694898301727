"""A new edition of the framework: the member's confirm on import, the lead's preview and adopt.

Both show, per case, what moving to the new edition does, in words for inspectors: the case
reference, whether it moves or stays (and why), the answers carried over, the questions new in
this edition and the answers kept only in the case history. No item keys.
"""

from __future__ import annotations

from hmip_desktop.exchange.pack_editions import EditionConfirmationNeededError, edition_words
from hmip_desktop.gui.common.plain_text import plain_label
from hmip_desktop.gui.common.qt import Qt, QtWidgets
from hmip_desktop.i18n import _
from hmip_desktop.setup.new_edition import EditionPlan
from hmip_desktop.store.edition_moves import CaseMove


def what_happens(m: CaseMove) -> str:
    if not m.moves:
        return _("Stays on its edition: {why}").format(why=m.why_stays)
    return _("Moves: {carried} answer(s) carried over, {new} question(s) new in this edition, "
             "{gone} answer(s) kept only in the case history").format(
        carried=m.carried, new=m.new_items, gone=m.to_history)


def moves_table(moves: list[CaseMove]) -> QtWidgets.QTableWidget:
    table = QtWidgets.QTableWidget(len(moves), 2)
    table.setHorizontalHeaderLabels([_("Case"), _("What happens")])
    table.setAccessibleName(_("What happens to each case"))
    table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    for r, m in enumerate(moves):
        for c, text in enumerate((m.case_ref, what_happens(m))):
            table.setItem(r, c, QtWidgets.QTableWidgetItem(text))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    return table


class EditionConfirmDialog(QtWidgets.QDialog):
    """The member's confirm before a pack's new edition moves their cases."""

    def __init__(self, error: EditionConfirmationNeededError,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("A new edition of the framework"))
        self.resize(760, 420)
        layout = QtWidgets.QVBoxLayout(self)
        chosen_only = error.old.hash == error.new.hash  # complete cases the lead chose
        intro = plain_label(_(
            "The lead chose to move some of your complete cases to {new}. Confirming imports "
            "the pack and moves them: answers are carried over, questions new in this edition "
            "are left blank for you, and answers to questions it no longer asks are kept in "
            "the case history.").format(new=edition_words(error.new)) if chosen_only else _(
            "This pack from the lead brings {new}, which replaces {old}. Confirming imports "
            "the pack and moves each of your cases that is not complete to the new edition: "
            "answers are carried over, questions new in this edition are left blank for you, "
            "and answers to questions it no longer asks are kept in the case history. "
            "Complete cases stay on their edition unless the lead chose to move them.").format(
                new=edition_words(error.new), old=edition_words(error.old)))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = moves_table(error.preview)
        layout.addWidget(self.table, 1)
        if not error.preview:
            layout.addWidget(plain_label(_("None of your cases is on the earlier edition.")))
        buttons = QtWidgets.QDialogButtonBox()
        self.confirm = buttons.addButton(_("Import and move my cases"),
                                         QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Not now"), QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class AdoptEditionDialog(QtWidgets.QDialog):
    """The lead's preview of a new edition, the complete cases to move too, and the confirm."""

    def __init__(self, plan: EditionPlan, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Issue a new edition"))
        self.resize(760, 480)
        layout = QtWidgets.QVBoxLayout(self)
        intro = plain_label(_(
            "{new} would replace {old} for this inspection. Your own cases that are not "
            "complete move now; each member's cases move when they import their next pack and "
            "confirm. Write the packs again after adopting it.").format(
                new=edition_words(plan.new), old=edition_words(plan.old)))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(moves_table(plan.cases), 1)
        self.complete = QtWidgets.QListWidget()
        self.complete.setAccessibleName(_("Complete cases to move too"))
        for ref in plan.complete:
            item = QtWidgets.QListWidgetItem(ref)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.complete.addItem(item)
        if plan.complete:
            layout.addWidget(plain_label(_("Complete cases stay on their edition. Tick any that "
                                           "should move too:")))
            layout.addWidget(self.complete)
        buttons = QtWidgets.QDialogButtonBox()
        self.confirm = buttons.addButton(_("Adopt this edition"),
                                         QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> list[str]:
        """The complete cases ticked to move too, by reference."""
        return [self.complete.item(i).text() for i in range(self.complete.count())
                if self.complete.item(i).checkState() == Qt.CheckState.Checked]
