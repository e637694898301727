"""The command line's listings and refusals speak Welsh when Welsh is chosen (issue 18).

Each run is a fresh process, as a user's is: labels are translated when their module loads.
"""

from __future__ import annotations

import re
import subprocess
import sys


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    probe = ("import sys\nfrom hmip_desktop.cli.main import main\n"
             "sys.exit(main(sys.argv[1:]))")
    return subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True,
                          text=True, check=False)


def test_the_frameworks_listing_says_rated_and_drafted_in_welsh_in_columns_that_fit() -> None:
    welsh = _run("--lang", "cy", "frameworks").stdout.splitlines()
    english = _run("--lang", "en", "frameworks").stdout.splitlines()
    assert len(welsh) == len(english) >= 2
    # the Welsh words are longer: each still leaves two spaces before the title
    assert all(re.search(r" \d+ o \d+ wedi'u drafftio {2,}\S", line) for line in welsh)
    assert all(re.search(r" (â sgôr|heb sgôr) ", line) for line in welsh)
    assert all(re.search(r" \d+ of \d+ drafted {2,}\S", line) for line in english)
    assert all(re.search(r" (rated |unrated) ", line) for line in english)


def test_a_refusal_of_the_command_line_is_one_welsh_line() -> None:
    done = _run("--lang", "cy", "sample", "draw", "--reason", "x")
    assert done.returncode == 2
    assert "hmip-desktop sample: gwall: nid yw sample draw yn cymryd --reason" in done.stderr
    assert "takes no" not in done.stderr
