#!/usr/bin/env bash
# The whole flow through the CLI alone, in temporary workspaces, with invented data:
# lead set-up → packs → two assessors answer → export (to the lead and the QA partner)
# → QA partner's copy → lunchtime QA: a query, the assessor's reply and completed case, the
# query closed and the case signed off → lead import → receipts back → delivered.
#
#   docs/examples/round_trip.sh BUNDLE_FOLDER
#
# Leaves every card, pack, bundle and receipt in BUNDLE_FOLDER. Uses `hmip-desktop` from
# PATH, or .venv/bin/hmip-desktop beside this repository.
set -euo pipefail

out=${1:?usage: round_trip.sh BUNDLE_FOLDER}
mkdir -p "$out"
out=$(cd "$out" && pwd)
here=$(cd "$(dirname "$0")/../.." && pwd)
hmip=$(command -v hmip-desktop || echo "$here/.venv/bin/hmip-desktop")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export HMIP_PASSPHRASE="round trip passphrase, invented"
lead=(--workspace "$work/lead")
a1=(--workspace "$work/assessor1")
a2=(--workspace "$work/assessor2")
qa=(--workspace "$work/qa")
step() { printf '\n== %s\n' "$*"; }
json() { python3 -c "import json,sys; v=json.load(sys.stdin); print($1)"; }
fp() { "$hmip" identity show --json "$@" | python3 -c 'import json,sys; print(json.load(sys.stdin)["fingerprint"])'; }

step "Everyone creates a workspace; members export their cards"
"$hmip" init "${lead[@]}" --name "Jules Pennyfold" --role lead
"$hmip" init "${a1[@]}" --name "Robin Quillfeather" --role assessor
"$hmip" init "${a2[@]}" --name "Casey Marrowby" --role assessor
"$hmip" init "${qa[@]}" --name "Morgan Thistlecombe" --role qa
"$hmip" identity export "${a1[@]}" --out "$out/robin.hmipid"
"$hmip" identity export "${a2[@]}" --out "$out/casey.hmipid"
"$hmip" identity export "${qa[@]}" --out "$out/morgan.hmipid"

step "The lead sets up the inspection and enrols members, checking each fingerprint"
"$hmip" inspection create "${lead[@]}" --framework nps-2019-20 \
    --title "Demo Shire NPS division" --organisation "Demo Shire NPS Division" \
    --start 2026-11-23 --end 2026-11-27
"$hmip" enrol "${lead[@]}" "$out/robin.hmipid" --role assessor --office "Northgate office" \
    --fingerprint "$(fp "${a1[@]}")"
"$hmip" enrol "${lead[@]}" "$out/casey.hmipid" --role assessor --office "Riverside office" \
    --fingerprint "$(fp "${a2[@]}")"
"$hmip" enrol "${lead[@]}" "$out/morgan.hmipid" --role qa --fingerprint "$(fp "${qa[@]}")"
"$hmip" members "${lead[@]}" --qa-partner "Robin Quillfeather" "Morgan Thistlecombe"
"$hmip" members "${lead[@]}" --qa-partner "Casey Marrowby" "Morgan Thistlecombe"

step "The lead imports the case sample and allocates it"
cat > "$work/sample.csv" <<'CSV'
case_ref,person_name,pdu,team,office,practitioner,sample,gender,sentence_type,rosh
RT-001,Alex Brindlemoor,Demo PDU,Team 1,Eastfield office,Dana Gorseby,supervision,male,community,high
RT-002,Eden Fernsworth,Demo PDU,Team 2,Eastfield office,Kit Hollowmere,supervision,female,post_custody,medium
RT-003,Frankie Larkspurton,Demo PDU,Team 1,Northgate office,Lee Mistlebrook,supervision,male,community,low
RT-004,Harper Nettlefield,Demo PDU,Team 2,Riverside office,Noel Oxbowden,supervision,male,post_custody,very_high
CSV
"$hmip" sample "${lead[@]}" "$work/sample.csv"
# The even split shares the cases between the assessors and the QA inspector, never giving
# anyone a case from their own office.
"$hmip" allocate "${lead[@]}" --days 2026-11-24,2026-11-25

step "Packs out; each member confirms the lead's fingerprint on the first one"
lead_fp=$(fp "${lead[@]}")
for who in "Robin Quillfeather:robin" "Casey Marrowby:casey" "Morgan Thistlecombe:morgan"; do
    "$hmip" pack "${lead[@]}" --member "${who%%:*}" --out "$out/${who##*:}.hmippack"
done
"$hmip" import "${a1[@]}" "$out/robin.hmippack" --lead-fingerprint "$lead_fp"
"$hmip" import "${a2[@]}" "$out/casey.hmippack" --lead-fingerprint "$lead_fp"
"$hmip" import "${qa[@]}" "$out/morgan.hmippack" --lead-fingerprint "$lead_fp"

step "Two assessors answer (each in one unlock, from a JSON Lines file)"
for ws in a1 a2; do
    declare -n args=$ws
    "$hmip" cases "${args[@]}" --json | python3 -c '
import json, sys
for c in json.load(sys.stdin):
    for item, value in (("record:conflict_declared", "no"), ("record:interview_mode", "in_person"),
                        ("2.1.1.a", "yes"), ("2.1.1", "yes"),
                        ("note:2.1.1", "Assessment engaged the person well.")):
        print(json.dumps({"case": c["case_ref"], "item": item, "value": value}))
' > "$work/$ws-answers.jsonl"
    "$hmip" answer "${args[@]}" --from "$work/$ws-answers.jsonl"
done

step "Assessors export (each bundle is for the lead and the QA partner)"
"$hmip" export "${a1[@]}" --out "$out/robin-1.hmipb"
"$hmip" export "${a2[@]}" --out "$out/casey-1.hmipb"

step "The QA partner's copy"
"$hmip" import "${qa[@]}" "$out/robin-1.hmipb"
"$hmip" import "${qa[@]}" "$out/casey-1.hmipb"

step "Lunchtime QA: the QA partner checks the forms and raises a query"
"$hmip" qa "${qa[@]}"
case1=$("$hmip" cases "${a1[@]}" --json | json 'v[0]["case_ref"]')
rosh1=$("$hmip" cases "${a1[@]}" --json | json 'v[0]["facts"]["rosh"]')
"$hmip" query raise "${qa[@]}" "$case1" 2.1.1 "Judged yes: what did the assessment miss, if anything?"
"$hmip" qa-export "${qa[@]}" --to "Robin Quillfeather" --out "$out/morgan-qa-1.hmipb"

step "The assessor sees the query, replies, completes the case and sends it again"
"$hmip" import "${a1[@]}" "$out/morgan-qa-1.hmipb"
"$hmip" queries "${a1[@]}" --open
qid=$("$hmip" queries "${a1[@]}" --open --json | json 'v[0]["id"]')
"$hmip" query reply "${a1[@]}" "$qid" "Nothing material; the note now says how risks were weighed."
"$hmip" note "${a1[@]}" "$case1" 2.1.1 "Assessment engaged the person well and weighed each risk."
# Answer whatever the checks still find missing (every prompt and judgement 'yes'), then complete.
"$hmip" answer "${a1[@]}" "$case1" case:inspector_rosh "$rosh1" >/dev/null
"$hmip" answer "${a1[@]}" "$case1" record:excluded no >/dev/null
for _round in 1 2 3 4; do
    "$hmip" qa "${a1[@]}" --json | python3 -c "
import json, sys
for f in json.load(sys.stdin):
    if f['case_ref'] == '$case1' and f['check'] == 'required_item_unanswered':
        print(json.dumps({'case': f['case_ref'], 'item': f['item'], 'value': 'yes'}))
" > "$work/missing.jsonl"
    [ -s "$work/missing.jsonl" ] || break
    "$hmip" answer "${a1[@]}" --from "$work/missing.jsonl" >/dev/null
done
"$hmip" complete "${a1[@]}" "$case1"
"$hmip" export "${a1[@]}" --out "$out/robin-2.hmipb"

step "The QA partner reads the reply, closes the query and signs the case off"
"$hmip" import "${qa[@]}" "$out/robin-2.hmipb"
"$hmip" queries "${qa[@]}" --case "$case1"
"$hmip" query close "${qa[@]}" "$qid"
"$hmip" signoff "${qa[@]}" "$case1"
"$hmip" qa-export "${qa[@]}" --to "Robin Quillfeather" --out "$out/morgan-qa-2.hmipb"
"$hmip" import "${a1[@]}" "$out/morgan-qa-2.hmipb"

step "The lead imports; receipts are written"
"$hmip" import "${lead[@]}" "$out/robin-1.hmipb" --receipt-out "$out/robin-1.hmiprcpt"
"$hmip" import "${lead[@]}" "$out/casey-1.hmipb" --receipt-out "$out/casey-1.hmiprcpt"
"$hmip" import "${lead[@]}" "$out/robin-1.hmipb"   # the same bundle again: changes nothing
"$hmip" import "${lead[@]}" "$out/robin-2.hmipb" --receipt-out "$out/robin-2.hmiprcpt"
"$hmip" import "${lead[@]}" "$out/morgan-qa-2.hmipb"  # the query, reply, close and sign-off

step "Receipts back: the assessors' cases are received by the lead"
"$hmip" import "${a1[@]}" "$out/robin-1.hmiprcpt"
"$hmip" import "${a1[@]}" "$out/robin-2.hmiprcpt"
"$hmip" import "${a2[@]}" "$out/casey-1.hmiprcpt"
"$hmip" delivery "${a1[@]}"
"$hmip" delivery "${a2[@]}"

step "The lead's cases (the signed-off one shows Signed off)"
"$hmip" cases "${lead[@]}"
"$hmip" queries "${lead[@]}"
echo
echo "bundles left in $out:"
ls "$out"
