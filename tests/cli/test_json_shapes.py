"""Every command's ``--json`` prints the keys docs/cli.md gives it (issue 22 point 2).

A demo team (a lead, a QA partner, two assessors who have exchanged their bundles) is made once
through ``demo --role lead --json``; then every command runs once with ``--json`` through
``main()``, in the order an inspection uses them, and what it printed is kept. Each test checks
printed keys against the ``JSON keys (…)`` and ``JSON list of (…)`` lines of docs/cli.md, and
that every registered command is run or listed there as ``JSON exempt (…)``.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from hmip_desktop.cli.main import load_commands, main
from hmip_desktop.cli.registry import COMMANDS
from hmip_desktop.exchange import service
from hmip_desktop.exchange.assessments import export_assessments
from hmip_desktop.store.workspace import Workspace
from tests.cli_helpers import run_cli
from tests.edition_helpers import next_edition_bytes
from tests.exchange.conftest import PASSPHRASE as TEAM_PASSPHRASE
from tests.exchange.conftest import Env, without_ownership
from tests.qa.builders import build

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
SHAPE = re.compile(r"^JSON (keys|list of) \(([a-z][a-z -]*)\): (`[a-z_]+`(?:, `[a-z_]+`)*)$")
EXEMPT = re.compile(r"^JSON exempt \(([a-z-]+)\): \S")
PASSPHRASE = "json shapes passphrase, invented"
NEW_PASSPHRASE = "json shapes new passphrase, invented"
NEWCOMER = "Ash Newcombe"
ROBIN = "Robin Ashwillow"
KIT = "Kit Edevane"


@dataclass(frozen=True)
class Printed:
    status: int
    value: Any
    stderr: str


def documented() -> dict[str, tuple[str, set[str]]]:
    """Each documented form (``alert raise``) → ("keys" or "list of", its keys)."""
    shapes: dict[str, tuple[str, set[str]]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("JSON ") and not EXEMPT.match(line):
            m = SHAPE.match(line)
            assert m, f"docs/cli.md: a JSON line not in the checked form: {line}"
            assert m[2] not in shapes, f"docs/cli.md documents {m[2]!r} twice"
            shapes[m[2]] = (m[1], set(re.findall(r"`([a-z_]+)`", m[3])))
    return shapes


def exempt() -> set[str]:
    return {m[1] for line in DOC.read_text(encoding="utf-8").splitlines()
            if (m := EXEMPT.match(line))}


class Runner:
    """Runs ``hmip-desktop ARGS --json`` in-process and keeps what each form printed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.printed: dict[str, Printed] = {}
        self.lead: Path | None = None
        self.inspection = ""
        """The lead's NPS inspection, named to every command run in the lead's workspace
        that takes --inspection (the demo lead also holds a DIPP inspection)."""

    def __call__(self, form: str, *argv: str | Path, status: int = 0) -> Any:
        out, err = io.StringIO(), io.StringIO()
        args = [str(a) for a in argv]
        if self.lead is not None and str(self.lead) in args and _takes_inspection(args[0]) \
                and "--inspection" not in args:
            args += ["--inspection", self.inspection]
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main([*args, "--json"])
            except SystemExit as e:
                code = int(e.code or 0)
        assert code == status, (form, code, out.getvalue(), err.getvalue())
        try:
            value = json.loads(out.getvalue())  # stdout holds the JSON and nothing else
        except ValueError:
            pytest.fail(f"{form}: not JSON alone on stdout: {out.getvalue()!r}")
        self.printed.setdefault(form, Printed(code, value, err.getvalue()))
        return value

    def env(self, **values: str) -> None:
        for name, value in values.items():
            self.monkeypatch.setenv(name, value)


def _takes_inspection(name: str) -> bool:
    load_commands(command=name)
    return any("--inspection" in a.flags for a in COMMANDS[name].arguments)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Printed]]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HMIP_PASSPHRASE", PASSPHRASE)
        run = Runner(mp)
        _whole_inspection(run, tmp_path_factory.mktemp("json-shapes"))
        _training_event(run, tmp_path_factory.mktemp("json-shapes-training"))
        _double_assessment(run, tmp_path_factory.mktemp("json-shapes-double"))
        yield run.printed


def _whole_inspection(run: Runner, root: Path) -> None:
    team, out = root / "team", root / "out"
    out.mkdir()
    lead, qa, a1 = team / "lead", team / "qa", team / "assessor-1"
    newcomer, other_lead, kit = root / "newcomer", root / "other-lead", root / "kit"
    ws = "--workspace"

    run("demo", "demo", "--role", "lead", ws, team)
    with Workspace.open(lead, PASSPHRASE) as held:
        run.lead, run.inspection = lead, held.inspections()[0]["id"]  # NPS, before DIPP
    run("frameworks", "frameworks")
    ratings_input = out / "ratings.json"
    ratings_input.write_text(json.dumps({"cases": [
        {"case_id": "C1", "answers": {"2.3.1": "yes", "2.3.2": "yes", "2.3.3": "yes"}},
        {"case_id": "C2", "answers": {"2.3.1": "no", "2.3.2": "yes", "2.3.3": "na"}}]}))
    run("ratings", "ratings", "--framework", "nps-2019-20", "--input", ratings_input)
    run("framework template", "framework", "template", "--out", out / "template.xlsx")
    run("framework export", "framework", "export", "nps-2019-20", "--out", out / "nps.xlsx")
    run("framework build", "framework", "build", out / "nps.xlsx", "--out", out / "nps.json")
    run("framework diff", "framework", "diff", "crc-2019-20", out / "nps.json")

    # A newcomer joins: their workspace, their card, the lead enrols them.
    run("init", "init", "--name", NEWCOMER, "--role", "assessor", ws, newcomer)
    me = run("identity show", "identity", "show", ws, newcomer)
    run("identity export", "identity", "export", "--out", out / "ash.hmipid", ws, newcomer)
    run("enrol", "enrol", out / "ash.hmipid", "--fingerprint", me["fingerprint"],
        "--role", "assessor", "--office", "Eastfield office", ws, lead)
    run("members", "members", ws, lead)
    run("role", "role", "grant", "Casey Marrowby", "deputy", ws, lead)
    run("inspection list", "inspection", "list", ws, lead)
    run("language", "language", "list", ws, lead)
    run("schedule", "schedule", ws, lead)

    # An assessor's day: answers, a note, the completion check, an alert, a bundle.
    cases = run("cases", "cases", ws, a1)
    run("delivery", "delivery", ws, a1)
    ref = next(c["case_ref"] for c in cases if c["status"] != "complete")
    spare = next(c["case_ref"] for c in cases if not c["alerts"] and c["case_ref"] != ref)
    kept = next(c["case_ref"] for c in cases if c["case_ref"] not in (ref, spare))
    run("answer", "answer", ref, "2.1.1.a", "yes", ws, a1)
    run("note", "note", ref, "2.1.1", "An invented note on the assessment.", ws, a1)
    run("complete", "complete", ref, ws, a1, status=1)
    run("history", "history", ref, ws, a1)
    alert = run("alert raise", "alert", "raise", "--case", ref, "--what", "Harm to a child",
                "--serious", "Serious", "--imminent", "Within days",
                "--action-asked", "Tell the manager today", "--out", out / "a.hmipalert",
                ws, a1)["alert_id"]
    run("alert send", "alert", "send", alert, "--out", out / "again.hmipalert", ws, a1)
    run("export", "export", "--out", out / "a1-2.hmipb", ws, a1)
    run("recovery status", "recovery", "status", ws, a1)

    # The lead: imports, alerts, reassignment, packs, recovery, consolidation.
    run("import", "import", out / "a1-2.hmipb", ws, lead)
    run("import", "import", out / "a.hmipalert", ws, lead)
    run("alerts", "alerts", ws, lead)
    # An older app's lead changes Robin's case while Robin changes it too: a conflict.
    case_id = next(c["id"] for c in cases if c["case_ref"] == ref)
    with Workspace.open(lead, PASSPHRASE) as held:
        without_ownership(held).save_item(case_id, "2.1.1.b", "no")
    run("answer", "answer", ref, "2.1.1.b", "yes", ws, a1)
    run("export", "export", "--out", out / "a1-3.hmipb", ws, a1)
    run("import", "import", out / "a1-3.hmipb", ws, lead)
    run("conflicts", "conflicts", ws, lead)
    run("resolve", "resolve", ref, "--rest", "received", ws, lead)
    run("alert step", "alert", "step", alert, "acknowledged", "--out", out / "s.hmipstate",
        ws, lead)
    run("alert send-state", "alert", "send-state", alert, "--out", out / "s2.hmipstate",
        ws, lead)
    run("alert raise --organisational", "alert", "raise", "--organisational",
        "--what", "Staff shortages leave high-risk cases unallocated", "--serious", "Serious",
        "--imminent", "Now", "--action-asked", "Report it to the director", ws, lead)
    run("reassign", "reassign", spare, "--to", NEWCOMER, "--reason", "Robin is on leave", ws, lead)
    run("pack", "pack", "--member", NEWCOMER, "--out", out / "ash.hmippack", ws, lead)
    run("recovery issue", "recovery", "issue", ROBIN, "--out", out / "robin.hmiprecovery",
        ws, lead)
    run("consolidate", "consolidate", ws, lead)
    run("dashboard", "dashboard", ws, lead)
    run("lead-rating", "lead-rating", "1.1", "good", "--evidence", "Invented evidence.",
        ws, lead)
    plan = out / "plan.pdf"
    plan.write_bytes(b"%PDF invented business plan")
    run("evidence add", "evidence", "add", "Invented business plan", "--date", "2026-09-01",
        "--item", "1.1.1", "--store", plan, ws, lead)
    run("evidence list", "evidence", "list", ws, lead)
    run("finding add", "finding", "add", "1.1.1", "strength", "Invented strength.",
        "--document", "1", "--meeting", "Senior leaders", ws, lead)
    run("finding list", "finding", "list", ws, lead)
    run("finding links", "finding", "links", ws, lead)
    run("finding report", "finding", "report", ws, lead)
    run("pdu-tables", "pdu-tables", ws, lead)
    run("evidence narrative", "evidence", "narrative", "1.1.1", "Invented narrative.", ws, lead)
    run("evidence coverage", "evidence", "coverage", ws, lead)
    run("evidence copy", "evidence", "copy", "1", "--out", out / "plan-copy.pdf", ws, lead)
    run("finding remove", "finding", "remove", "1", ws, lead)
    run("evidence remove", "evidence", "remove", "1", ws, lead)
    run("recommendation add", "recommendation", "add", "Invented recommendation", ws, lead)
    run("recommendation progress", "recommendation", "progress", "1", "sufficient",
        "--note", "Invented note.", ws, lead)
    run("recommendation list", "recommendation", "list", ws, lead)
    run("panel show", "panel", "show", ws, lead)
    run("workbook", "workbook", "--out", out / "data.xlsx", ws, lead)
    run("publishable-workbook", "publishable-workbook", "--out", out / "published.xlsx", ws,
        lead)
    run("subgroups", "subgroups", ws, lead)
    run("export-csv", "export-csv", "--out", out / "kq.csv", ws, lead)
    run("compare", "compare", "--previous", out / "kq.csv", ws, lead)
    run("combine", "combine", out / "kq.csv", "--out", out / "national.csv")
    run("panel-summary", "panel-summary", "--out", out / "panel.html", ws, lead)
    run("conflicts", "conflicts", ws, lead)
    run("retention", "retention", ws, lead)
    run("exports", "exports", ws, lead)
    run("debrief", "debrief", "--assessor", ROBIN, "--overall", "Steady all week.", ws, lead)

    # A partner inspector reviews a case and comments; the lead reads the comments.
    run("role", "role", "grant", "Casey Marrowby", "partner", ws, lead)
    run("review give", "review", "give", "Casey Marrowby", kept, "--out", out / "rv.hmipb",
        ws, lead)
    run("review send", "review", "send", "Casey Marrowby", "--out", out / "rv2.hmipb", ws, lead)
    run("import", "import", out / "rv2.hmipb", ws, team / "assessor-2")
    run("review comment", "review", "comment", kept, "The plan reads well.", ws,
        team / "assessor-2")
    run("review show", "review", "show", ws, team / "assessor-2")
    run("review return", "review", "return", "--out", out / "rc.hmipb", ws,
        team / "assessor-2")
    run("import", "import", out / "rc.hmipb", ws, lead)
    run("review comments", "review", "comments", kept, ws, lead)

    # The QA partner.
    run("qa", "qa", ws, qa)
    qa_cases = run("cases", "cases", ws, qa)
    done = next(c["case_ref"] for c in qa_cases if c["status"] == "complete")
    run("query raise", "query", "raise", done, "2.1.1", "Which evidence tipped it?", ws, qa)
    run("queries", "queries", ws, qa)
    run("signoff", "signoff", next(c["case_ref"] for c in qa_cases
                                   if c["status"] == "complete" and c["case_ref"] != done),
        ws, qa)
    (out / "qa").mkdir()
    run("qa-export", "qa-export", "--out", out / "qa", ws, qa)

    # A second lead's inspection: its sample, allocation, archive.
    run("init", "init", "--name", "Jo Fenwright", "--role", "lead", ws, other_lead)
    run("inspection create", "inspection", "create", "--framework", "nps-2019-20",
        "--title", "Invented Shire", "--organisation", "Invented Shire PDU", ws, other_lead)
    sample = out / "sample.csv"
    sample.write_text("case_ref,sample,gender,sentence_type,rosh\n"
                      "IS-1,supervision,female,community,high\n"
                      "IS-2,supervision,male,community,medium\n", encoding="utf-8")
    run("sample", "sample", sample, ws, other_lead)
    run("enrol", "enrol", out / "ash.hmipid", "--fingerprint", me["fingerprint"],
        "--role", "assessor", ws, other_lead)
    run("init", "init", "--name", KIT, "--role", "assessor", ws, kit)
    kit_fp = run("identity show", "identity", "show", ws, kit)["fingerprint"]
    run("identity export", "identity", "export", "--out", out / "kit.hmipid", ws, kit)
    run("enrol", "enrol", out / "kit.hmipid", "--fingerprint", kit_fp, "--role", "assessor",
        ws, other_lead)
    run("allocate", "allocate", "--days", "2026-11-24", "--allow-unplaced", ws, other_lead)
    # A new edition of the framework: Kit holds the first, the lead issues the next in a pack.
    run("pack", "pack", "--member", KIT, "--out", out / "kit.hmippack", ws, other_lead)
    jo_fp = run("identity show", "identity", "show", ws, other_lead)["fingerprint"]
    run("import", "import", out / "kit.hmippack", "--lead-fingerprint", jo_fp, ws, kit)
    next_file = out / "nps-next.json"
    next_file.write_bytes(next_edition_bytes())
    run("edition preview", "edition", "preview", next_file, ws, other_lead)
    run("edition adopt", "edition", "adopt", next_file, ws, other_lead)
    run("frameworks held", "frameworks", "--held", ws, other_lead)
    run("pack", "pack", "--member", KIT, "--out", out / "kit-2.hmippack", ws, other_lead)
    run("import new edition", "import", out / "kit-2.hmippack", ws, kit, status=5)
    run("import", "import", out / "kit-2.hmippack", "--confirm-edition", ws, kit)
    run("purge", "purge", "--confirm", "Invented Shire", ws, other_lead)

    # Passphrases: a recovery file, then a change; an unused laptop made ready and reset.
    run.env(HMIP_NEW_PASSPHRASE=NEW_PASSPHRASE)
    run("recovery use", "recovery", "use", out / "robin.hmiprecovery", ws, a1)
    run.env(HMIP_PASSPHRASE=NEW_PASSPHRASE, HMIP_NEW_PASSPHRASE=PASSPHRASE)
    run("passphrase change", "passphrase", "change", ws, a1)
    run.env(HMIP_PASSPHRASE=PASSPHRASE)
    # The newcomer's laptop: the reassigned case arrives, is released, the laptop is wiped.
    lead_fp = run("identity show", "identity", "show", ws, lead)["fingerprint"]
    run("import", "import", out / "ash.hmippack", "--lead-fingerprint", lead_fp, ws, newcomer)
    run("release", "release", NEWCOMER, spare, "--out", out / "ash.hmiprelease", ws, lead)
    run("import", "import", out / "ash.hmiprelease", ws, newcomer)
    run("return-check", "return-check", ws, newcomer)
    run("prepare-for-return", "prepare-for-return", "--certificate", out / "ash.hmipwipe",
        "--yes", ws, newcomer)
    run("import", "import", out / "ash.hmipwipe", ws, lead)
    run("wipe-certificates", "wipe-certificates", ws, lead)

    # The panel sits and decides; the inspection is archived.
    run("panel sitting", "panel", "sitting", "--date", "2026-12-01", "--chair", "Sam Oakhurst",
        "--member", "Jules Pennyfold", "--note-taker", "Lou Brackenridge", ws, lead)
    held = run("consolidate", "consolidate", ws, lead)
    for standard in held["pending_decisions"]:
        if standard.startswith("1."):  # domain one: the lead's own rating comes first
            run("lead-rating", "lead-rating", standard, "good", "--evidence", "Invented.",
                ws, lead)
        elif held["ratings"]["standards"][standard]["provisional_rating"] is None:
            continue  # no case data: nothing for the panel to decide
        run("panel confirm", "panel", "confirm", standard, ws, lead)
    run("archive", "archive", "--confirm", "Demo inspection: Demo Shire NPS division",
        "--override", "an invented demo whose cases were never all signed off", ws, lead)


def _training_event(run: Runner, root: Path) -> None:
    """A trainer's benchmark, one trainee's pack and answers, and the comparison."""
    trainer, trainee, out, ws = root / "trainer", root / "trainee", root / "out", "--workspace"
    out.mkdir()
    run("init", "init", "--name", "Jo Trainwell", "--role", "lead", ws, trainer)
    run("init", "init", "--name", "Rae Practis", "--role", "assessor", ws, trainee)
    event = run("training create", "training", "create", "--framework", "nps-2019-20",
                "--title", "Invented training", "--organisation", "Invented PDU", ws,
                trainer)["id"]
    sample = out / "training.csv"
    sample.write_text("case_ref,sample,gender,sentence_type,rosh\n"
                      "TC-1,supervision,female,community,high\n", encoding="utf-8")
    run("sample", "sample", sample, ws, trainer)
    with Workspace.open(trainer, PASSPHRASE) as lead:
        (case,) = lead.list_cases(event)
        for item, value in build(lead.inspection_framework(event),
                                 dict(case.case.facts)).items.items():
            lead.save_item(case.case.id, item, value)
        lead.mark_complete(case.case.id)
    run("training benchmark", "training", "benchmark", ws, trainer)
    fp = run("identity show", "identity", "show", ws, trainee)["fingerprint"]
    run("identity export", "identity", "export", "--out", out / "rae.hmipid", ws, trainee)
    run("enrol", "enrol", out / "rae.hmipid", "--fingerprint", fp, "--role", "assessor",
        ws, trainer)
    run("training pack", "training", "pack", "--member", "Rae Practis", "--out",
        out / "rae.hmiptrainingpack", ws, trainer)
    trainer_fp = run("identity show", "identity", "show", ws, trainer)["fingerprint"]
    run("import", "import", out / "rae.hmiptrainingpack", "--lead-fingerprint", trainer_fp,
        ws, trainee)
    run("answer", "answer", "TC-1", "2.1.1.a", "no", ws, trainee)
    run("training send", "training", "send", "--out", out / "rae.hmiptraining", ws, trainee)
    run("import", "import", out / "rae.hmiptraining", ws, trainer)
    run("training compare", "training", "compare", "--pdf", out / "c.pdf", "--xlsx",
        out / "c.xlsx", ws, trainer)
    assert (out / "c.pdf").read_bytes()[:4] == b"%PDF" and (out / "c.xlsx").stat().st_size
    run("training select", "training", "select", "--member", "Rae Practis", "--decision",
        "reserve", "--feedback", "Invented feedback.", ws, trainer)
    # The trainee practises on a case of their own between training and fieldwork.
    run("practice add", "practice", "add", "P1", "--framework", "nps-2019-20", "--fact",
        "sample=supervision", ws, trainee)
    run("practice answer", "practice", "answer", "P1", "--set", "2.1.1=no", "--set",
        "note:2.1.1=Thin.", ws, trainee)
    run("practice list", "practice", "list", ws, trainee)
    run("practice check", "practice", "check", ws, trainee)
    run("practice erase", "practice", "erase", "--yes", ws, trainee)


def _double_assessment(run: Runner, root: Path) -> None:
    """A case of Robin's assessed again by Casey: assign, send, list, compare, record."""
    team, out, ws = root / "team", root / "out", "--workspace"
    out.mkdir()
    lead, a1, a2 = team / "lead", team / "assessor-1", team / "assessor-2"
    run("demo", "demo", "--role", "lead", ws, team)
    with Workspace.open(lead, PASSPHRASE) as held:  # the lead's NPS inspection, not the DIPP one
        run.lead, run.inspection = lead, held.inspections()[0]["id"]
    ref = next(c["case_ref"] for c in run("cases", "cases", ws, a1)
               if c["status"] != "complete")
    run("double assign", "double", "assign", "--case", ref, "--member", "Casey Marrowby",
        ws, lead)
    mid = next(m["id"] for m in run("members", "members", ws, lead)
               if m["name"] == "Casey Marrowby")
    run("pack", "pack", "--member", mid, "--out", out / "casey.hmippack", ws, lead)
    run("import", "import", out / "casey.hmippack", ws, a2)
    for who in (a1, a2):
        with Workspace.open(who, PASSPHRASE) as held:
            case = held.find_case(ref)
            for item, value in build(held.inspection_framework(case.inspection_id),
                                     dict(case.facts)).items.items():
                held.save_item(case.id, item, value)
            held.mark_complete(case.id)
    run("export", "export", "--out", out / "robin.hmipb", ws, a1)
    run("import", "import", out / "robin.hmipb", ws, lead)
    run("double send", "double", "send", "--out", out / "casey.hmipsecond", ws, a2)
    run("import", "import", out / "casey.hmipsecond", ws, lead)
    run("double list", "double", "list", ws, lead)
    run("double compare", "double", "compare", "--case", ref, ws, lead)
    run("double record", "double", "record", "--case", ref, "--member", "Casey Marrowby",
        ws, lead)


def test_every_form_prints_the_keys_docs_cli_md_gives_it(printed: dict[str, Printed]) -> None:
    shapes = documented()
    assert set(shapes) == set(printed), (
        f"documented, not run: {sorted(set(shapes) - set(printed))}; "
        f"run, not documented: {sorted(set(printed) - set(shapes))}")
    for form, (shape, keys) in shapes.items():
        value = printed[form].value
        if shape == "keys":
            assert isinstance(value, dict), (form, value)
            assert set(value) == keys, (form, sorted(set(value) ^ keys))
        else:
            assert isinstance(value, list) and value, (form, "no entry to check", value)
            for entry in value:
                assert set(entry) == keys, (form, sorted(set(entry) ^ keys))


def test_every_registered_command_is_documented_or_exempt() -> None:
    load_commands()
    covered = {form.split()[0] for form in documented()}
    left_out = exempt()
    assert not covered & left_out, covered & left_out
    assert set(COMMANDS) == covered | left_out, (
        f"neither documented nor exempt: {sorted(set(COMMANDS) - covered - left_out)}")


def test_a_refusal_prints_one_line_on_stderr_and_no_json(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMIP_PASSPHRASE", PASSPHRASE)
    code = main(["enrol", str(tmp_path / "missing.hmipid"), "--fingerprint", "0000",
                 "--role", "assessor", "--workspace", str(tmp_path / "none"), "--json"])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.startswith("hmip-desktop: ") and err.count("\n") == 1, err


def test_import_json_tells_a_sweep_what_was_applied_and_what_was_older(
        answered_env: Env, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The lead changed RT-101 after Robin's first bundle; Robin sends it again unchanged."""
    env = answered_env
    a1, lead = env.ws("a1"), env.ws("lead")
    first, second = env.team.cases_of("a1")
    service.import_file(lead, env.bundle("a1-1.hmipb"))
    without_ownership(lead).save_item(first, "2.1.1", "no")
    held = lead.read_assessment(first).revision
    export_assessments(a1, env.team.iid, env.bundle("a1-2.hmipb"), case_ids=["RT-101"])
    a1.save_item(second, "2.1.3.a", "yes")
    export_assessments(a1, env.team.iid, env.bundle("a1-3.hmipb"),
                       case_ids=["RT-101", "RT-102"])
    env.close()
    monkeypatch.setenv("HMIP_PASSPHRASE", TEAM_PASSPHRASE)

    def imported(name: str, status: int) -> Any:
        code, out, err = run_cli(capsys, "import", str(env.bundle(name)), "--json",
                                 "--workspace", str(env.folder("lead")))
        assert (code, err) == (status, ""), (name, code, err)
        return json.loads(out)

    older = imported("a1-2.hmipb", 3)
    assert older["nothing_newer"] and not older["applied"]
    assert [(s["case_ref"], s["held"]) for s in older["stale"]] == [("RT-101", held)]
    newer = imported("a1-3.hmipb", 0)
    assert not newer["nothing_newer"]
    assert [a["case_ref"] for a in newer["applied"]] == ["RT-102"]
    again = imported("a1-3.hmipb", 0)
    assert again["already_imported"] and not again["applied"]
