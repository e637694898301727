#!/usr/bin/env bash
# A whole 40-case inspection set up, filled and consolidated through the CLI alone, in
# temporary workspaces, with invented names: the lead's workspace and inspection → six members
# enrolled from their cards (fingerprints checked) → a 40-case sample (CSV written here) →
# allocation → packs → each member answers every required item of their cases from one JSON
# Lines file per round (`answer --from`) and marks them complete → export → the lead imports
# with receipts → receipts back → the key-question table (CSV) and the ratings.
#
#   docs/examples/inspection_in_a_script.sh OUT_FOLDER
#
# Leaves the sample, the cards, packs, bundles and receipts, the key-question table
# (key-questions.csv) and the consolidation (consolidation.json) in OUT_FOLDER. Uses
# `hmip-desktop` from PATH, or .venv/bin/hmip-desktop beside this repository. Each member
# works in their own workspace, so their steps run side by side (as on their own laptops); the
# lead's steps run one after another. Its time on 2 cores: docs/performance.md.
set -euo pipefail

out=${1:?usage: inspection_in_a_script.sh OUT_FOLDER}
mkdir -p "$out"
out=$(cd "$out" && pwd)
here=$(cd "$(dirname "$0")/../.." && pwd)
hmip=$(command -v hmip-desktop || echo "$here/.venv/bin/hmip-desktop")
py=$(dirname "$hmip")/python
[ -x "$py" ] || py=python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export HMIP_PASSPHRASE="inspection script passphrase, invented"
lead=(--workspace "$work/lead")
# Four assessors (6 cases each at most) and two QA inspectors (8 each) take the 40 cases.
members=("Robin Quillfeather:assessor:Northgate office"
         "Casey Marrowby:assessor:Riverside office"
         "Avery Tansleigh:assessor:Eastfield office"
         "Rowan Pebblecourt:assessor:Northgate office"
         "Morgan Thistlecombe:qa:Riverside office"
         "Sasha Wrenfold:qa:Eastfield office")
step() { printf '\n== %s\n' "$*"; }
slug() { echo "${1%% *}" | tr '[:upper:]' '[:lower:]'; }
# Run one step per member side by side; stop if any of them failed.
each_member() {
    local pids=() m
    for m in "${members[@]}"; do "$@" "$m" & pids+=($!); done
    for p in "${pids[@]}"; do wait "$p"; done
}

step "Everyone creates a workspace; members export their cards"
"$hmip" init "${lead[@]}" --name "Jules Pennyfold" --role lead &
lead_init=$!
card() {
    local name=${1%%:*} rest=${1#*:}; local role=${rest%%:*} who; who=$(slug "$name")
    "$hmip" init --workspace "$work/$who" --name "$name" --role "$role" >/dev/null
    # The card's fingerprint, as the member reads it aloud from their own app.
    "$hmip" identity export --workspace "$work/$who" --out "$out/$who.hmipid" \
        | sed -n 's/.*: fingerprint //p' > "$work/$who.fingerprint"
}
each_member card
wait "$lead_init"

step "The lead sets up the inspection, enrols the members and imports the 40-case sample"
"$hmip" inspection create "${lead[@]}" --framework nps-2019-20 \
    --title "Demo Shire NPS division, script" --organisation "Demo Shire NPS Division" \
    --start 2026-11-23 --end 2026-11-27
for m in "${members[@]}"; do
    name=${m%%:*} rest=${m#*:}; role=${rest%%:*} office=${rest#*:}; who=$(slug "$name")
    "$hmip" enrol "${lead[@]}" "$out/$who.hmipid" --role "$role" --office "$office" \
        --fingerprint "$(cat "$work/$who.fingerprint")"
done
"$py" - "$out/sample.csv" <<'PY'
import csv, sys

first = ["Alex", "Eden", "Frankie", "Harper", "Jordan", "Kit", "Logan", "Noel", "Parker", "Quinn"]
last = ["Brindlemoor", "Fernsworth", "Larkspurton", "Nettlefield", "Oxbowden", "Gorseby",
        "Hollowmere", "Mistlebrook"]
practitioners = ["Dana Gorseby", "Lee Mistlebrook", "Sam Hollowmere", "Toni Ashcombe",
                 "Bea Cloverdale", "Ellis Marchbank", "Jo Wickenham", "Ray Tillingford"]
offices = ["Eastfield office", "Northgate office", "Riverside office", "Southmead office"]
rosh = ["low", "medium", "high", "very_high"]
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["case_ref", "person_name", "pdu", "team", "office", "practitioner", "sample",
                "gender", "sentence_type", "rosh"])
    for n in range(1, 41):
        w.writerow([f"SC-{n:03d}", f"{first[n % 10]} {last[n % 8]}", "Demo PDU",
                    f"Team {n % 3 + 1}", offices[n % 4], practitioners[(n * 3) % 8],
                    "supervision", "female" if n % 4 == 0 else "male",
                    "post_custody" if n % 3 == 0 else "community", rosh[n % 4]])
PY
"$hmip" sample "${lead[@]}" "$out/sample.csv"

step "Allocation (nothing left unplaced, or the script stops with status 4), then the packs"
"$hmip" allocate "${lead[@]}" --days 2026-11-23,2026-11-24,2026-11-25,2026-11-26 --json \
    > "$out/allocation.json"
"$py" -c '
import json, sys
a = json.load(open(sys.argv[1]))
print("allocated:", ", ".join("%s %d" % (m["name"], m["cases"]) for m in a["members"]))' \
    "$out/allocation.json"
for m in "${members[@]}"; do
    name=${m%%:*}
    "$hmip" pack "${lead[@]}" --member "$name" --out "$out/$(slug "$name").hmippack"
done
lead_fp=$("$hmip" identity show "${lead[@]}" --json \
    | "$py" -c 'import json,sys; print(json.load(sys.stdin)["fingerprint"])')

step "Each member imports their pack, answers every required item and completes their cases"
# The answers: the case record (an in-person interview, no conflict, not to be excluded), the
# inspector's RoSH judgement agreeing with the recorded level, then 'yes' to every item the QA
# checks find still empty; each round is one JSON Lines file saved in one unlock. An answer can
# bring other items in, so `complete` (all the member's cases at once: all or none) is tried
# after each round, and a refusal means one more round.
fill() {
    local name=${1%%:*} who; who=$(slug "$name")
    local ws=(--workspace "$work/$who") round mine
    "$hmip" import "${ws[@]}" "$out/$who.hmippack" --lead-fingerprint "$lead_fp" >/dev/null
    "$hmip" cases "${ws[@]}" --json > "$work/$who-cases.json"
    # A QA inspector also holds copies of the cases of any member they support: not theirs.
    mine=$("$py" -c '
import json, sys
print(" ".join(c["case_ref"] for c in json.load(open(sys.argv[1])) if c["assessor"] == sys.argv[2]))
' "$work/$who-cases.json" "$name")
    # First the case record and the inspector's RoSH judgement, which decide what else the
    # case needs (the keeping-safe questions, say).
    "$py" -c '
import json, sys
for c in json.load(open(sys.argv[1])):
    if c["assessor"] == sys.argv[2]:
        for item, value in (("record:conflict_declared", "no"), ("record:excluded", "no"),
                            ("record:interview_mode", "in_person"),
                            ("record:interview_second_person", "none"),
                            ("record:interview_feedback", "practitioner"),
                            ("case:inspector_rosh", c["facts"]["rosh"])):
            print(json.dumps({"case": c["case_ref"], "item": item, "value": value}))
' "$work/$who-cases.json" "$name" > "$work/$who-record.jsonl"
    "$hmip" answer "${ws[@]}" --from "$work/$who-record.jsonl"
    for round in 1 2 3; do
        "$hmip" qa "${ws[@]}" --json | "$py" -c '
import json, sys
mine = {c["case_ref"] for c in json.load(open(sys.argv[1])) if c["assessor"] == sys.argv[2]}
for f in json.load(sys.stdin):
    if f["case_ref"] in mine and f["check"] == "required_item_unanswered":
        print(json.dumps({"case": f["case_ref"], "item": f["item"], "value": "yes"}))
' "$work/$who-cases.json" "$name" > "$work/$who-round$round.jsonl"
        [ -s "$work/$who-round$round.jsonl" ] || break
        "$hmip" answer "${ws[@]}" --from "$work/$who-round$round.jsonl"
        # shellcheck disable=SC2086 # one word per case
        if "$hmip" complete "${ws[@]}" $mine > "$work/$who-complete.txt" 2>/dev/null; then
            break
        fi
    done
    [ -s "$work/$who-complete.txt" ] || { echo "$name: cases still not complete" >&2; exit 1; }
    echo "$name: $(wc -l < "$work/$who-complete.txt") cases marked complete"
    "$hmip" export "${ws[@]}" --out "$out/$who-1.hmipb"
}
each_member fill

step "The lead imports every bundle and writes a receipt for each"
for m in "${members[@]}"; do
    who=$(slug "${m%%:*}")
    "$hmip" import "${lead[@]}" "$out/$who-1.hmipb" --receipt-out "$out/$who-1.hmiprcpt"
done

step "Receipts back: every member sees their cases received"
back() {
    local who; who=$(slug "${1%%:*}")
    "$hmip" import --workspace "$work/$who" "$out/$who-1.hmiprcpt" > "$work/$who-receipt.txt"
}
each_member back
cat "$work"/*-receipt.txt

step "The lead's consolidation: the key-question table and the ratings"
"$hmip" export-csv "${lead[@]}" --out "$out/key-questions.csv"
"$hmip" consolidate "${lead[@]}" --json > "$out/consolidation.json"
"$py" -c '
import json, sys
c = json.load(open(sys.argv[1]))
print(c["cases"], "cases counted,", sum(c["left_out"].values()), "left out")
for t in c["tables"]:
    if t["rated_by"] == "cases" and t["cases"]:
        print("%s %s: %s, resting on %d cases"
              % (t["standard_id"], t["title"], t["provisional_rating"], t["cases"]))' "$out/consolidation.json"
