"""Every kind of file a person names is refused past its cap without being read whole.

``/dev/zero`` has no size to check first, so only a bounded read stops it; each reader runs in
a child process allowed 1 GiB of memory, so a reader that read it whole fails here instead of
filling the machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

READERS = {
    "ratings input": ("from hmip_desktop.cli.jsonio import read_json_file as r; r(P)",
                      "/dev/zero: larger than 64 MB"),
    "member card": ("from hmip_desktop.exchange.files import read_card_file as r; r(Path(P))",
                    "/dev/zero: not a member card (too large or empty)"),
    "case sample": ("from hmip_desktop.setup.sample_import import read_sample as r; "
                    "from hmip_desktop.frameworks import available_frameworks as a; "
                    "r(Path(P), a()[0])",
                    "nothing imported: the file is larger than 10 MB: is it the selected "
                    "sample?"),
    "previous export": ("from hmip_desktop.consolidation.counts_files import read_counts as r; "
                        "r(P)", "zero: larger than 64 MiB: not an export of this app"),
    "bundle": ("from hmip_desktop.exchange.files import read_bundle_file as r; r(Path(P))",
               "the bundle is larger than the 200 MB limit"),
}

PROGRAM = """
import sys
from pathlib import Path
from hmip_desktop.errors import UserError
P = "/dev/zero"
try:
    {call}
except UserError as e:
    print(e)
    sys.exit(1)
"""


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.parametrize("kind", sorted(READERS))
def test_dev_zero_is_refused_in_one_line_within_the_cap(kind: str) -> None:
    call, message = READERS[kind]
    done = subprocess.run([sys.executable, "-c", PROGRAM.format(call=call)],
                          capture_output=True, text=True, preexec_fn=limit_memory, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (1, message + "\n", "")


def test_a_demo_passphrase_note_that_never_ends_is_refused_in_one_line(tmp_path: Path) -> None:
    """``demo --open --workspace DIR`` reads the note in DIR: not past its cap."""
    (tmp_path / "workspace.hmip").write_bytes(b"")
    (tmp_path / "DEMO-PASSPHRASE.txt").symlink_to("/dev/zero")
    env = {k: v for k, v in os.environ.items() if k != "HMIP_PASSPHRASE"}
    done = subprocess.run([sys.executable, "-m", "hmip_desktop", "demo", "--open", "--workspace",
                           str(tmp_path)], capture_output=True, text=True, env=env,
                          preexec_fn=limit_memory, check=False)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (f"hmip-desktop: {tmp_path / 'DEMO-PASSPHRASE.txt'}: "
                           "larger than 4,096 bytes\n")


def test_the_file_caps_of_cards_and_bundles_are_the_formats_own_limits() -> None:
    """A card or bundle the app would accept is never refused by the file reader first."""
    from hmip_desktop.bundles import DEFAULT_MAX_SIZE  # noqa: PLC0415
    from hmip_desktop.exchange.identity import MAX_CARD_BYTES  # noqa: PLC0415
    from hmip_desktop.user_files import BUNDLE_FILE_MAX, CARD_FILE_MAX  # noqa: PLC0415

    assert (BUNDLE_FILE_MAX, CARD_FILE_MAX) == (DEFAULT_MAX_SIZE, MAX_CARD_BYTES)
