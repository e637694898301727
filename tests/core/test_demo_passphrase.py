"""The demo's generated passphrase: different words every time, and its entropy as documented."""

from __future__ import annotations

import math
import re
from pathlib import Path

from hmip_desktop.paths import DEMO_WORD_COUNT, DEMO_WORDS, new_demo_passphrase
from hmip_desktop.store.passphrase import check_new_passphrase

SECURITY = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def test_a_generated_passphrase_never_repeats_a_word_and_passes_the_policy() -> None:
    seen = set()
    for _ in range(2000):  # with repeats allowed, ~36% of draws would repeat a word
        passphrase = new_demo_passphrase()
        words = passphrase.split("-")
        assert len(words) == DEMO_WORD_COUNT
        assert len(set(words)) == DEMO_WORD_COUNT, passphrase
        assert set(words) <= set(DEMO_WORDS)
        check_new_passphrase(passphrase)
        seen.add(passphrase)
    assert len(seen) > 1900  # drawn afresh each time, not one fixed phrase


def test_the_documented_entropy_is_that_of_the_word_list() -> None:
    assert len(set(DEMO_WORDS)) == len(DEMO_WORDS)  # a duplicate in the list would lower it
    bits = math.log2(math.perm(len(DEMO_WORDS), DEMO_WORD_COUNT))
    text = " ".join(SECURITY.read_text(encoding="utf-8").split())
    found = re.search(r"entropy of a generated demo passphrase is \*\*([\d.]+) bits\*\*", text)
    assert found, "docs/security.md no longer states the demo passphrase's entropy"
    assert float(found.group(1)) == round(bits, 1)
    assert f"{DEMO_WORD_COUNT} different words" in text
    assert f"from a list of {len(DEMO_WORDS)}" in text
