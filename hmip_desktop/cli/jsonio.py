"""Reading JSON input files and writing JSON output, with one-line errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from hmip_desktop.user_files import JSON_INPUT_MAX, read_user_json


def read_json_file(path: str) -> Any:
    """A JSON input a person named: capped (``JSON_INPUT_MAX``) and decoded strictly."""
    return read_user_json(Path(path), max_size=JSON_INPUT_MAX)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
