#!/usr/bin/env bash
# The case sample through the CLI alone, in temporary workspaces, with invented data:
# a generated long list → exclusion flags → provisional list (seeded) → the organisation's
# return → final sample and reserves → a reserve swapped in → the fairness report →
# allocation → packs.
#
#   docs/examples/sampling.sh OUT_FOLDER [FRAMEWORK]
#
# FRAMEWORK is nps-2019-20 (the default), crc-2019-20, youth-2019-20 or dipp-2025. Leaves the
# long lists, the provisional workbook (as written and as returned), the report (JSON) and
# the packs in OUT_FOLDER. Uses `hmip-desktop` from PATH, or .venv/bin/hmip-desktop beside
# this repository, and the synthetic long-list generator in tests/sampling/longlists.py.
set -euo pipefail

out=${1:?usage: sampling.sh OUT_FOLDER [FRAMEWORK]}
framework=${2:-nps-2019-20}
mkdir -p "$out"
out=$(cd "$out" && pwd)
here=$(cd "$(dirname "$0")/../.." && pwd)
hmip=$(command -v hmip-desktop || echo "$here/.venv/bin/hmip-desktop")
py=$(dirname "$hmip")/python
[ -x "$py" ] || py=python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export HMIP_PASSPHRASE="sampling example passphrase, invented"
lead=(--workspace "$work/lead")
a1=(--workspace "$work/assessor1")
qa=(--workspace "$work/qa")
step() { printf '\n== %s\n' "$*"; }
fp() { "$hmip" identity show --json "$@" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["fingerprint"])'; }

# Each framework's sample kinds drawn here, and an organisation its size table knows.
case $framework in
    nps-2019-20) kinds="primary"; organisation="Wales" ;;
    crc-2019-20) kinds="domain_two"; organisation="Essex CRC" ;;
    youth-2019-20) kinds="post_court out_of_court"; organisation="Demo Vale YOT" ;;
    dipp-2025) kinds="dipp"; organisation="Demo Shire PDU" ;;
    *) echo "unknown framework $framework" >&2; exit 2 ;;
esac

step "The lead, an assessor and a QA inspector create workspaces; the lead sets up"
"$hmip" init "${lead[@]}" --name "Jules Pennyfold" --role lead
"$hmip" init "${a1[@]}" --name "Robin Quillfeather" --role assessor
"$hmip" init "${qa[@]}" --name "Morgan Thistlecombe" --role qa
"$hmip" identity export "${a1[@]}" --out "$work/robin.hmipid"
"$hmip" identity export "${qa[@]}" --out "$work/morgan.hmipid"
# The generated long lists are dated for fieldwork starting on 7 September 2026.
"$hmip" inspection create "${lead[@]}" --framework "$framework" \
    --title "Sampling example" --organisation "$organisation" \
    --start 2026-09-07 --end 2026-09-11
"$hmip" enrol "${lead[@]}" "$work/robin.hmipid" --role assessor --fingerprint "$(fp "${a1[@]}")"
"$hmip" enrol "${lead[@]}" "$work/morgan.hmipid" --role qa --fingerprint "$(fp "${qa[@]}")"

step "The organisation's long lists (generated: 3,000 invented cases each)"
for kind in $kinds; do
    (cd "$here" && "$py" -m tests.sampling.longlists "$framework" "$kind" 3000 \
        "$out/longlist-$kind.csv")
    "$hmip" sample "${lead[@]}" longlist import "$out/longlist-$kind.csv" --kind "$kind"
done

for kind in $kinds; do
    step "$kind: the lead decides a flag, then draws the provisional list"
    flag=$("$hmip" sample "${lead[@]}" flags --kind "$kind" --json | "$py" -c '
import json, sys
flags = [f for f in json.load(sys.stdin) if not f["firm"]]
print(flags[0]["case_ref"], flags[0]["rule"]) if flags else print()')
    if [ -n "$flag" ]; then
        # shellcheck disable=SC2086 # two words: the case and the rule
        "$hmip" sample "${lead[@]}" flag overrule $flag --kind "$kind" \
            --reason "Checked with the organisation: the case is in scope."
    fi
    "$hmip" sample "${lead[@]}" draw --seed 20260907 --kind "$kind" | head -n 4
    # The same seed on the same long list draws the same cases.
    first=$("$hmip" sample "${lead[@]}" draw --seed 20260907 --kind "$kind" --json)
    again=$("$hmip" sample "${lead[@]}" draw --seed 20260907 --kind "$kind" --json)
    [ "$first" = "$again" ] || { echo "the same seed drew other cases" >&2; exit 1; }
    "$hmip" sample "${lead[@]}" provisional export "$out/provisional-$kind.xlsx" --kind "$kind"

    step "$kind: the organisation fills in availability and consent, and returns the workbook"
    "$py" - "$out/provisional-$kind.xlsx" "$out/returned-$kind.xlsx" <<'PY'
import sys
import openpyxl

book = openpyxl.load_workbook(sys.argv[1])
sheet = book.worksheets[0]
head = [c.value for c in sheet[1]]
available = head.index("Practitioner available at fieldwork (yes/no)") + 1
consent = head.index("Consent to contact (yes/no)") + 1
late = head.index("Late exclusion (the reason, if the case should now be excluded)") + 1
for n in range(2, sheet.max_row + 1):
    sheet.cell(n, available, "no" if n % 9 == 0 else "yes")
    sheet.cell(n, consent, "yes")
    if n == 5:
        sheet.cell(n, late, "Transferred to another area last week")
book.save(sys.argv[2])
PY
    "$hmip" sample "${lead[@]}" provisional import "$out/returned-$kind.xlsx" --kind "$kind"

    step "$kind: the final sample and its reserves become the inspection's cases"
    "$hmip" sample "${lead[@]}" final --kind "$kind" --json > "$out/final-$kind.json"
    "$py" -c '
import json, sys
f = json.load(open(sys.argv[1]))
print("final sample:", len(f["final"]), "cases,", len(f["reserves"]), "reserves,",
      f["cases_added"], "added to the inspection")' "$out/final-$kind.json"
    if "$hmip" sample "${lead[@]}" draw --seed 1 --kind "$kind" 2>/dev/null; then
        echo "a new draw after the final sample was not refused" >&2; exit 1
    fi
    # At fieldwork a case turns out to be ineligible: swap it for a reserve of its group (a
    # reserve whose practitioner would break a constraint is refused, so try the next case).
    for ineligible in $("$py" -c '
import json, sys
f = json.load(open(sys.argv[1]))
groups = {tuple(f["strata"][ref]) for ref in f["reserves"]}
first = {}  # one final case from each group that has a reserve
for ref in f["final"]:
    first.setdefault(tuple(f["strata"][ref]), ref)
print(" ".join(ref for group, ref in first.items() if group in groups))' \
            "$out/final-$kind.json"); do
        if "$hmip" sample "${lead[@]}" reserve use "$ineligible" --kind "$kind" \
                --reason "Found at fieldwork to have been transferred out before the window."
        then break; fi
    done
    "$hmip" sample "${lead[@]}" report --kind "$kind" --json > "$out/report-$kind.json"
    "$hmip" sample "${lead[@]}" report --kind "$kind"
done

step "Allocation and packs: the final cases, with nothing re-typed"
# Two members cannot take the whole sample: --allow-unplaced allocates what they can take and
# lists the rest (without it nothing is allocated and the status is 4).
"$hmip" allocate "${lead[@]}" --days 2026-09-08,2026-09-09,2026-09-10 --allow-unplaced \
    | head -n 3
"$hmip" pack "${lead[@]}" --member "Robin Quillfeather" --out "$out/robin.hmippack"
"$hmip" pack "${lead[@]}" --member "Morgan Thistlecombe" --out "$out/morgan.hmippack"
"$hmip" import "${a1[@]}" "$out/robin.hmippack" --lead-fingerprint "$(fp "${lead[@]}")"
"$hmip" cases "${a1[@]}" | head -n 3
