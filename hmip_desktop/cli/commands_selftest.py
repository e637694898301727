"""``hmip-desktop --self-test``: prove that this installation works, on this machine.

In temporary workspaces, a lead and an assessor go through a whole exchange — set-up,
enrolment, sample, allocation, pack, answers, export, import, receipt, ratings — and then the
main window is rendered to a PNG. Every step calls the service functions the CLI and the GUI
call, and checks its result; a step that fails is named, and the rest are not run. The GUI
is imported only for the last step, so the core steps say what works even where Qt does not.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TextIO

from hmip_desktop import __version__
from hmip_desktop.assessment.completeness import case_rules, effective_judgements
from hmip_desktop.assessment.items import NOTE, RECORD
from hmip_desktop.errors import UserError
from hmip_desktop.exchange.assessments import delivered, export_assessments
from hmip_desktop.exchange.contacts import enrol_member, my_card, set_up_inspection
from hmip_desktop.exchange.packs import make_pack
from hmip_desktop.exchange.service import import_file
from hmip_desktop.frameworks import available_frameworks, load_framework
from hmip_desktop.i18n import N_, _
from hmip_desktop.rules.ratings import rate, tally_cases
from hmip_desktop.setup.apply import allocate_evenly, import_sample
from hmip_desktop.shipped_files import is_frozen, resource
from hmip_desktop.store.workspace import DB_NAME, Workspace

PASSPHRASE = "self-test passphrase, invented for this run"  # noqa: S105 - a throwaway workspace
FRAMEWORK = "nps-2019-20"
LEAD, ASSESSOR, OFFICE = "Jules Pennyfold", "Robin Quillfeather", "Northgate office"
# Invented cases; none is from the assessor's own office, so the even split gives them all.
SAMPLE = "\n".join(",".join(row) for row in (
    ("case_ref", "person_name", "pdu", "team", "office", "practitioner", "sample", "gender",
     "sentence_type", "rosh"),
    ("ST-001", "Alex Brindlemoor", "Demo PDU", "Team 1", "Eastfield office", "Dana Gorseby",
     "supervision", "male", "community", "high"),
    ("ST-002", "Eden Fernsworth", "Demo PDU", "Team 2", "Eastfield office", "Kit Hollowmere",
     "supervision", "female", "post_custody", "medium"),
    ("ST-003", "Frankie Larkspurton", "Demo PDU", "Team 1", "Riverside office",
     "Lee Mistlebrook", "supervision", "male", "community", "low"),
)) + "\n"
_SQLITE_MAGIC = b"SQLite format 3\x00"


class CheckFailed(Exception):
    """A step ran but its result was not what it must be."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


@dataclass
class Run:
    """What the steps share: the temporary folder, the open workspaces, the files made."""

    root: Path
    workspaces: dict[str, Workspace] = field(default_factory=dict)
    inspection_id: str = ""
    member_id: str = ""
    files: dict[str, Path] = field(default_factory=dict)
    answered_kq: str = ""
    case_count: int = 0

    def ws(self, who: str) -> Workspace:
        return self.workspaces[who]

    def create(self, who: str, name: str, role: str) -> Workspace:
        self.workspaces[who] = Workspace.create(self.root / who, PASSPHRASE, owner_name=name,
                                                role=role)
        return self.workspaces[who]

    def close(self) -> None:
        for ws in self.workspaces.values():
            ws.close()
        self.workspaces.clear()


# -- the steps ------------------------------------------------------------------------------


def shipped_files(run: Run) -> str:
    frameworks = available_frameworks()
    check(any(fw.id == FRAMEWORK for fw in frameworks),
          _("framework {id} is not shipped").format(id=FRAMEWORK))
    words = resource("common-passwords.txt").read_text(encoding="utf-8").split()
    check(len(words) > 100, _("the common-password list is nearly empty"))
    return _("{frameworks} frameworks, {words} common passwords").format(
        frameworks=len(frameworks), words=len(words))


def lead_sets_up(run: Run) -> str:
    lead = run.create("lead", LEAD, "lead")
    fw = load_framework(FRAMEWORK)
    run.inspection_id = set_up_inspection(
        lead, title="Self-test Shire NPS division", organisation="Self-test Shire NPS Division",
        framework_bytes=resource("frameworks", f"{fw.id}.json").read_bytes(),
        fieldwork_start="2026-11-23", fieldwork_end="2026-11-27")
    check([i["id"] for i in lead.inspections()] == [run.inspection_id],
          _("the inspection was not stored"))
    with (run.root / "lead" / DB_NAME).open("rb") as f:
        check(f.read(16) != _SQLITE_MAGIC, _("the workspace file is not encrypted"))
    version = lead.cipher_version()
    check(version is not None, _("SQLCipher is not the database engine"))
    return _("SQLCipher {version}, encrypted workspace").format(version=version)


def assessor_enrols(run: Run) -> str:
    assessor = run.create("assessor", ASSESSOR, "assessor")
    card = run.root / "assessor.hmipid"
    card.write_bytes(my_card(assessor))
    fingerprint = assessor.identity.public.fingerprint  # as read aloud to the lead
    run.member_id = enrol_member(run.ws("lead"), run.inspection_id, card.read_bytes(),
                                 fingerprint, role="assessor", office=OFFICE)
    names = {m["name"] for m in run.ws("lead").members(run.inspection_id)}
    check(ASSESSOR in names, _("the assessor is not among the inspection's members"))
    return _("fingerprint {fingerprint}").format(fingerprint=fingerprint)


def lead_imports_sample(run: Run) -> str:
    path = run.root / "sample.csv"
    path.write_text(SAMPLE, encoding="utf-8")
    report = import_sample(run.ws("lead"), run.inspection_id, path)
    run.case_count = len(SAMPLE.splitlines()) - 1
    check(report.added == run.case_count, _("{n} cases imported, not {wanted}").format(
        n=report.added, wanted=run.case_count))
    return _("{n} cases").format(n=report.added)


def lead_allocates(run: Run) -> str:
    report = allocate_evenly(run.ws("lead"), run.inspection_id,
                             [date(2026, 11, 24), date(2026, 11, 25)])
    given = report.allocation.loads().get(run.member_id, 0)
    check(given == run.case_count, _("the assessor got {n} of {wanted} cases").format(
        n=given, wanted=run.case_count))
    return _("{n} cases to {name}").format(n=given, name=ASSESSOR)


def lead_writes_pack(run: Run) -> str:
    path = make_pack(run.ws("lead"), run.inspection_id, run.member_id,
                     run.root / "assessor.hmippack")
    check(path.is_file() and path.stat().st_size > 0, _("no pack was written"))
    run.files["pack"] = path
    return _("{n} bytes").format(n=path.stat().st_size)


def assessor_imports_pack(run: Run) -> str:
    lead_fp = run.ws("lead").identity.public.fingerprint  # as read aloud to the assessor
    report = import_file(run.ws("assessor"), run.files["pack"], lead_fingerprint=lead_fp)
    cases = run.ws("assessor").list_cases(run.inspection_id)
    check(not report.already_imported and len(cases) == run.case_count,
          _("the assessor holds {n} cases, not {wanted}").format(
              n=len(cases), wanted=run.case_count))
    return _("{n} cases, lead's key pinned").format(n=len(cases))


def assessor_answers(run: Run) -> str:
    """Answer the first key question that applies to each case, and its prompts, yes."""
    ws = run.ws("assessor")
    saves = 0
    for summary in ws.list_cases(run.inspection_id):
        assessment = ws.read_assessment(summary.case.id)
        fw = assessment.framework
        ws.save_item(summary.case.id, RECORD + "conflict_declared", "no")
        ws.save_item(summary.case.id, RECORD + "interview_mode", "in_person")
        rules = case_rules(fw, assessment.case.facts, ws.read_assessment(summary.case.id).items)
        kq = next(k for k in fw.case_key_questions()
                  if rules.applies(fw.parent_of[k.id]) and rules.applies(k.id))
        run.answered_kq = run.answered_kq or kq.id
        check(kq.id == run.answered_kq, _("the cases do not share a first key question"))
        for prompt in kq.prompts:
            if rules.applies(prompt.id):
                ws.save_item(summary.case.id, prompt.id, "yes")
                saves += 1
        ws.save_item(summary.case.id, kq.id, "yes")
        ws.save_item(summary.case.id, NOTE + kq.id, "Self-test note: invented evidence.")
        saves += 4
        after = ws.read_assessment(summary.case.id)
        check(after.items.get(kq.id) == "yes" and after.revision > 0,
              _("case {ref}: the answer was not kept").format(ref=summary.case.case_ref))
        check(ws.verify_history(summary.case.id),
              _("case {ref}: the audit trail does not verify").format(
                  ref=summary.case.case_ref))
    return _("{n} saves, audit trails verified").format(n=saves)


def assessor_exports(run: Run) -> str:
    path = export_assessments(run.ws("assessor"), run.inspection_id,
                              run.root / "assessor-1.hmipb")
    check(path.is_file() and path.stat().st_size > 0, _("no bundle was written"))
    run.files["bundle"] = path
    return _("{n} bytes").format(n=path.stat().st_size)


def lead_imports_bundle(run: Run) -> str:
    receipt = run.root / "assessor-1.hmiprcpt"
    report = import_file(run.ws("lead"), run.files["bundle"], receipt_out=receipt)
    check(len(report.applied) == run.case_count,
          _("{n} of {wanted} cases applied").format(
              n=len(report.applied), wanted=run.case_count))
    check(report.receipt is not None and report.receipt.is_file(), _("no receipt was written"))
    lead, assessor = run.ws("lead"), run.ws("assessor")
    for summary in assessor.list_cases(run.inspection_id):
        theirs = assessor.read_assessment(summary.case.id)
        ours = lead.read_assessment(summary.case.id)
        check(dict(ours.items) == dict(theirs.items) and ours.revision == theirs.revision,
              _("case {ref} differs at the lead").format(ref=summary.case.case_ref))
    run.files["receipt"] = receipt
    return _("{n} cases applied, receipt written").format(n=len(report.applied))


def assessor_imports_receipt(run: Run) -> str:
    ws = run.ws("assessor")
    import_file(ws, run.files["receipt"])
    cases = ws.list_cases(run.inspection_id)
    missing = [c.case.case_ref for c in cases if not delivered(ws, c.case.id)]
    check(not missing, _("not marked received by the lead: {refs}").format(refs=", ".join(missing)))
    return _("{n} cases received by the lead").format(n=len(cases))


def lead_rates(run: Run) -> str:
    lead = run.ws("lead")
    fw = lead.inspection_framework(run.inspection_id)
    answers = []
    for summary in lead.list_cases(run.inspection_id):
        assessment = lead.read_assessment(summary.case.id)
        answers.append(effective_judgements(fw, assessment.case.facts, assessment.items))
    result = rate(fw, tally_cases(answers))
    kq = result.key_questions[run.answered_kq]
    check(kq.tally.yes == run.case_count and kq.percent == 100,
          _("key question {id}: {yes} yes of {n}, not all").format(
              id=kq.kq_id, yes=kq.tally.yes, n=kq.tally.n))
    said = _("key question {id}: {percent}% yes over {n} cases").format(
        id=kq.kq_id, percent=kq.percent, n=kq.tally.n)
    return said + (_(", band {band}").format(band=kq.band) if kq.band else "")


def displays() -> list[str]:
    """The Qt platforms this Linux session offers a display for, in Qt's order of preference."""
    found = [("wayland", "WAYLAND_DISPLAY"), ("xcb", "DISPLAY")]
    return [platform for platform, variable in found if os.environ.get(variable)]


def main_window_renders(run: Run) -> str:
    """Render the lead's main window to a PNG, without showing it on screen.

    On Linux, unless QT_QPA_PLATFORM says otherwise, Qt tries the session's display and then
    offscreen, so an unusable display is reported as a failure rather than aborting the process.
    """
    expected: list[str] = []
    if not os.environ.get("QT_QPA_PLATFORM") and sys.platform.startswith("linux"):
        expected = displays()
        os.environ["QT_QPA_PLATFORM"] = ";".join([*expected, "offscreen"])
    from hmip_desktop.gui.app import application  # noqa: PLC0415 - Qt only for this step
    from hmip_desktop.gui.common.qt import Qt  # noqa: PLC0415
    from hmip_desktop.gui.main_window import MainWindow  # noqa: PLC0415

    app = application()
    window = MainWindow(run.ws("lead"), run.root / "lead")
    try:
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        image = window.grab().toImage()
        path = run.root / "main-window.png"
        check(image.save(str(path)) and path.stat().st_size > 0, _("the PNG was not written"))
        step = max(1, min(image.width(), image.height()) // 40)
        colours = {image.pixel(x, y) for x in range(0, image.width(), step)
                   for y in range(0, image.height(), step)}
        check(len(colours) > 2, _("the window rendered blank"))
        platform = str(app.platformName())
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    check(not expected or platform in expected,
          _("Qt could not use the display ({displays}; see Qt's message above), so the app "
            "cannot open its window here; it rendered offscreen instead").format(
              displays=" / ".join(expected)))
    return _("{width}x{height} PNG, {n} bytes ({platform})").format(
        width=image.width(), height=image.height(), n=path.stat().st_size, platform=platform)


Step = tuple[str, Callable[[Run], str]]
STEPS: tuple[Step, ...] = (
    (N_("shipped frameworks and password list"), shipped_files),
    (N_("lead creates a workspace and sets up the inspection"), lead_sets_up),
    (N_("assessor creates a workspace; lead enrols them by fingerprint"), assessor_enrols),
    (N_("lead imports the case sample"), lead_imports_sample),
    (N_("lead allocates the cases"), lead_allocates),
    (N_("lead writes the assessor's pack"), lead_writes_pack),
    (N_("assessor imports the pack, confirming the lead's fingerprint"), assessor_imports_pack),
    (N_("assessor answers"), assessor_answers),
    (N_("assessor exports a bundle"), assessor_exports),
    (N_("lead imports the bundle and writes a receipt"), lead_imports_bundle),
    (N_("assessor imports the receipt"), assessor_imports_receipt),
    (N_("lead's ratings from the imported answers"), lead_rates),
    (N_("main window renders"), main_window_renders),
)


def failure_text(error: BaseException) -> str:
    if isinstance(error, UserError | CheckFailed):
        return " ".join(str(error).split())
    return f"{type(error).__name__}: {' '.join(str(error).split())}"


def run_self_test(out: TextIO | None = None, steps: tuple[Step, ...] = STEPS) -> int:
    """Run every step, printing each with ok or FAILED; 0 only if every step checked out."""
    stream = out or sys.stdout
    where = (_("frozen build in {folder}").format(folder=Path(sys.executable).parent)
             if is_frozen() else _("from source"))

    def say(text: str) -> None:
        print(text, file=stream, flush=True)

    say(_("hmip-desktop {version} self-test ({where})").format(version=__version__, where=where))
    failed: tuple[int, str] | None = None
    with tempfile.TemporaryDirectory(prefix="hmip-self-test-") as tmp:
        run = Run(Path(tmp))
        try:
            for n, (name, step) in enumerate(steps, 1):
                title = _(name)
                label = f"[{n:2}/{len(steps)}] {title}"
                if failed is not None:
                    say(_("{step} ... not run").format(step=label))
                    continue
                try:
                    detail = step(run)
                except Exception as e:  # each step reports, whatever broke
                    failed = (n, title)
                    say(_("{step} ... FAILED: {why}").format(step=label, why=failure_text(e)))
                    if not isinstance(e, UserError | CheckFailed):
                        say(_indented(traceback.format_exc()))
                else:
                    say(_("{step} ... ok ({detail})").format(step=label, detail=detail))
        finally:
            run.close()
    if failed is not None:
        say(_("self-test FAILED at step {n}: {step}").format(n=failed[0], step=failed[1]))
        return 1
    say(_("self-test passed: all {n} steps checked out").format(n=len(steps)))
    return 0


def _indented(text: str) -> str:
    return "\n".join("      " + line for line in text.rstrip().splitlines())
