"""Reading JSON input files and writing JSON output, with one-line errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from hmip_desktop.errors import UserError
from hmip_desktop.user_files import read_user_file


def read_json_file(path: str) -> Any:
    raw = read_user_file(Path(path))
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise UserError(
            f"{path}: not valid JSON at line {e.lineno}, column {e.colno} ({e.msg})"
        ) from None
    except RecursionError:
        raise UserError(f"{path}: JSON nested too deeply") from None


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
