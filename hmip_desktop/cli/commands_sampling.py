"""``sample …``: draw the case sample from the organisation's long lists (hmip_desktop.sampling).

``hmip-desktop sample FILE`` (import a sample already chosen) stays in commands_exchange; that
command hands over here when its first word is one of ``SUBCOMMANDS``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from hmip_desktop.cli.jsonio import print_json
from hmip_desktop.cli.session import open_workspace
from hmip_desktop.errors import UserError
from hmip_desktop.i18n import _
from hmip_desktop.sampling import records, service
from hmip_desktop.store.workspace import Workspace
from hmip_desktop.text_rules import printable

USAGE = """\
hmip-desktop sample longlist import FILE [--kind K]
hmip-desktop sample flags [--kind K]
hmip-desktop sample flag confirm|overrule CASE RULE --reason TEXT [--kind K]
hmip-desktop sample draw --seed N [--size N] [--kind K]
hmip-desktop sample provisional export|import FILE [--kind K]
hmip-desktop sample final [--kind K]
hmip-desktop sample reserve use CASE --reason TEXT [--kind K]
hmip-desktop sample report [--kind K]"""

# (words, positional arguments after them, options it takes besides --kind and --json)
_FORMS: Mapping[str, tuple[tuple[str, ...], int, frozenset[str]]] = {
    "longlist": (("longlist", "import"), 1, frozenset()),
    "flags": (("flags",), 0, frozenset()),
    "flag": (("flag",), 3, frozenset({"reason"})),
    "draw": (("draw",), 0, frozenset({"seed", "size"})),
    "provisional": (("provisional",), 2, frozenset()),
    "final": (("final",), 0, frozenset()),
    "reserve": (("reserve", "use"), 1, frozenset({"reason"})),
    "report": (("report",), 0, frozenset()),
}
SUBCOMMANDS = frozenset(_FORMS)
_OPTIONS = ("seed", "size", "reason")


def run_sampling(args: argparse.Namespace) -> int:
    """Run ``sample WORD …``; a malformed command is a usage error (status 2)."""
    words: list[str] = args.words
    fixed, extra, options = _FORMS[words[0]]
    given = words[len(fixed):]
    if words[:len(fixed)] != list(fixed) or len(given) != extra:
        return usage_error(_("expected: {form}").format(form=_form(words[0])))
    if words[0] == "provisional" and given[0] not in ("export", "import"):
        return usage_error(_("expected: {form}").format(form=_form("provisional")))
    if words[0] == "flag" and given[0] not in ("confirm", "overrule"):
        return usage_error(_("expected: {form}").format(form=_form("flag")))
    stray = [o for o in _OPTIONS if getattr(args, o) is not None and o not in options]
    if stray:
        return usage_error(_("sample {word} takes no --{option}").format(
            word=words[0], option=stray[0]))
    missing = [o for o in sorted(options) if o != "size" and getattr(args, o) is None]
    if missing:
        return usage_error(_("sample {word} needs --{option}").format(
            word=words[0], option=missing[0]))
    with open_workspace(args.workspace) as ws:
        iid = _inspection(ws, args.inspection)
        kind = _pick_kind(ws, iid, args.kind, importing=words[0] == "longlist")
        shown = _STEPS[words[0]](ws, iid, kind, given, args)
    if args.json:
        print_json(shown)
    else:
        for line in _lines(words[0], shown):
            print(line)
    return 0


def usage_error(message: str) -> int:
    """Print the forms of ``sample`` and what was wrong, as argparse would; status 2."""
    print(_("usage: hmip-desktop sample FILE\n{usage}\nhmip-desktop sample: error: "
            "{message}").format(usage=USAGE, message=message),
          file=sys.stderr)
    return 2


def _form(word: str) -> str:
    return next(line.removeprefix("hmip-desktop ") for line in USAGE.splitlines()
                if line.split()[2] == word)


def _inspection(ws: Workspace, wanted: str | None) -> str:
    from hmip_desktop.cli.commands_exchange import pick_inspection  # noqa: PLC0415 - a cycle

    return pick_inspection(ws, wanted)


def _pick_kind(ws: Workspace, iid: str, wanted: str | None, *, importing: bool) -> str:
    """``--kind``, else the framework's one kind, else the one kind with a long list."""
    kinds = [k for k, _label in service.sample_kinds(ws, iid)]
    if wanted:
        return wanted  # the service refuses an unknown kind, listing the kinds
    if len(kinds) == 1:
        return kinds[0]
    if not kinds:
        raise UserError(_("the framework of this inspection has no sampling rules"))
    held = records.longlist_kinds(ws, iid)
    if len(held) == 1 and not importing:
        return held[0]
    raise UserError(_("say which sample with --kind (kinds: {kinds})").format(
                        kinds=', '.join(kinds)))


# -- the steps: each returns what --json prints --------------------------------------------

def _longlist(ws: Workspace, iid: str, kind: str, given: list[str],
              _args: argparse.Namespace) -> dict[str, Any]:
    return asdict(service.import_longlist(ws, iid, kind, Path(given[0])))


def _flags(ws: Workspace, iid: str, kind: str, _given: list[str],
           _args: argparse.Namespace) -> list[dict[str, Any]]:
    return [_flag_json(f) for f in service.exclusion_flags(ws, iid, kind)]


def _flag(ws: Workspace, iid: str, kind: str, given: list[str],
          args: argparse.Namespace) -> dict[str, Any]:
    action, case, rule = given
    return _flag_json(service.decide_exclusion(ws, iid, kind, case, rule,
                                               action == "confirm", args.reason))


def _draw(ws: Workspace, iid: str, kind: str, _given: list[str],
          args: argparse.Namespace) -> dict[str, Any]:
    return asdict(service.draw_provisional(ws, iid, kind, args.seed, args.size))


def _provisional(ws: Workspace, iid: str, kind: str, given: list[str],
                 _args: argparse.Namespace) -> dict[str, Any]:
    action, file = given
    if action == "export":
        path = service.export_provisional(ws, iid, kind, Path(file))
        drawn = records.stored_draw(ws, iid, kind, "provisional")
        cases = len(drawn.result["candidates"]) if drawn else 0
        return {"kind": kind, "file": str(path), "cases": cases}
    return asdict(service.import_returned(ws, iid, kind, Path(file)))


def _final(ws: Workspace, iid: str, kind: str, _given: list[str],
           _args: argparse.Namespace) -> dict[str, Any]:
    done = service.finalise(ws, iid, kind)
    return {**asdict(done.draw), "cases_added": done.cases_added}


def _reserve(ws: Workspace, iid: str, kind: str, given: list[str],
             args: argparse.Namespace) -> dict[str, Any]:
    return asdict(service.use_reserve(ws, iid, kind, given[0], args.reason))


def _report(ws: Workspace, iid: str, kind: str, _given: list[str],
            _args: argparse.Namespace) -> dict[str, Any]:
    r = service.report(ws, iid, kind)
    out = asdict(r)
    out["confidence_percent"] = 80
    for share in out["shares"]:
        share["population_percent"] = round(share["population_percent"], 1)
        share["sample_percent"] = round(share["sample_percent"], 1)
    return out


_STEPS: Mapping[str, Callable[[Workspace, str, str, list[str], argparse.Namespace], Any]] = {
    "longlist": _longlist, "flags": _flags, "flag": _flag, "draw": _draw,
    "provisional": _provisional, "final": _final, "reserve": _reserve, "report": _report,
}


def _flag_json(f: service.FlagView) -> dict[str, Any]:
    d = f.decision
    return {"case_ref": f.case_ref, "row": f.row, "rule": f.rule, "words": f.words,
            "source": f.source, "firm": f.firm, "marked": f.marked, "excluded": f.excluded,
            "decision": None if d is None else {
                "confirmed": d.confirmed, "reason": d.reason, "decided_by": d.decided_by,
                "decided_at": d.decided_at}}


# -- text output -------------------------------------------------------------------------------

def _lines(word: str, shown: Any) -> list[str]:
    p = printable
    if word == "longlist":
        out = [_("imported the {label} long list: {cases} cases, {eligible} eligible").format(
                   label=p(shown["label"]), cases=shown["cases"], eligible=shown["eligible"]),
               _("  {flagged} flagged for exclusion ({undecided} flags undecided), {marked} "
                 "marked by the organisation").format(
                   flagged=shown["flagged"], undecided=shown["undecided"],
                   marked=shown["marked"])]
        out += [_("  {n} excluded: {rule}").format(n=n, rule=p(words))
                for words, n in shown["excluded_per_rule"].items() if n]
        return out
    if word in ("flags", "flag"):
        flags = shown if word == "flags" else [shown]
        return [_flag_line(f) for f in flags]
    if word in ("draw", "final"):
        head = _("{stage} sample of the {kind} long list, seed {seed}: {n} cases").format(
            stage=shown["stage"], kind=p(shown["kind"]), seed=shown["seed"],
            n=len(shown["final"]))
        if word == "draw":
            head += _(", {n} on the provisional list").format(n=len(shown["provisional"]))
        else:
            head += _(", {n} reserves").format(n=len(shown["reserves"]))
        out = [head, _("  size: {rule}").format(rule=p(shown["size_rule"]))]
        if word == "final":
            out.append(_("  {n} cases added to the inspection: allocate them").format(
                n=shown["cases_added"]))
        out += [_adjusted(a) for a in shown["adjustments"]]
        out += [_("  not met: {rule}").format(rule=p(u)) for u in shown["unmet"]]
        return out
    if word == "provisional":
        if "file" in shown:
            return [_("wrote the provisional list ({cases} cases) to {file}").format(
                cases=shown["cases"], file=p(shown["file"]))]
        return [_("imported the returned provisional list: {cases} cases, {usable} "
                  "usable").format(cases=shown["cases"], usable=shown["usable"])] + [
            _("  not returned: {ref}").format(ref=p(ref)) for ref in shown["not_returned"]]
    if word == "reserve":
        return [_("{out_case} replaced by reserve {in_case} ({n} reserves left in its group): "
                  "allocate it").format(out_case=p(shown["out_case"]),
                                        in_case=p(shown["in_case"]), n=shown["reserves_left"])]
    return _report_lines(shown)


def _flag_line(f: Mapping[str, Any]) -> str:
    p = printable
    line = _("row {row}  {case_ref}  {rule}  {outcome}").format(
        row=f["row"], case_ref=p(f["case_ref"]), rule=p(f["rule"]),
        outcome=_("excluded") if f["excluded"] else _("kept"))
    if f["decision"]:
        line += _(" ({decision}: {reason})").format(
            decision=_("confirmed") if f["decision"]["confirmed"] else _("overruled"),
            reason=p(f["decision"]["reason"]))
    return line


def _adjusted(a: Mapping[str, Any]) -> str:
    p = printable
    return _("  adjusted: {out_case} → {in_case}: {reason}").format(
        out_case=p(a["out"]), in_case=p(a["in"]), reason=p(a["reason"]))


def _report_lines(r: Mapping[str, Any]) -> list[str]:
    p = printable
    out = [_("{label}: {stage} sample, seed {seed}").format(
               label=p(r["label"]), stage=r["stage"], seed=r["seed"]),
           _("  {sample} cases from {population} eligible ({long_list} on the long list); "
             "margin of error ±{points} points at 80% confidence").format(
               sample=r["sample"], population=r["population"], long_list=r["long_list_cases"],
               points=r["margin_of_error_points"])]
    for s in r["shares"]:
        out.append(_("  {variable}: {value}: population {population}%, sample "
                     "{sample}%").format(variable=p(s["variable"]), value=p(s["value"]),
                                         population=s["population_percent"],
                                         sample=s["sample_percent"]))
    out += [_("  excluded: {n} {rule}").format(n=n, rule=p(words))
            for words, n in r["excluded_per_rule"].items() if n]
    out += [_adjusted(a) for a in r["adjustments"]]
    out += [_("  not met: {rule}").format(rule=p(u)) for u in r["unmet"]]
    out += [_("  reserve: {out_case} → {in_case}: {reason}").format(
                out_case=p(s["out_case"]), in_case=p(s["in_case"]), reason=p(s["reason"]))
            for s in r["swaps"]]
    return out
