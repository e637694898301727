"""Inspection frameworks: the published standards as data, loaded and validated."""

from hmip_desktop.frameworks.loader import (
    FrameworkError,
    available_frameworks,
    current_frameworks,
    load_framework,
    load_framework_file,
    superseded_by,
)
from hmip_desktop.frameworks.model import Framework

__all__ = [
    "Framework",
    "FrameworkError",
    "available_frameworks",
    "current_frameworks",
    "load_framework",
    "load_framework_file",
    "superseded_by",
]
