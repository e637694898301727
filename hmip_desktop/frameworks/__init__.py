"""Inspection frameworks: the published standards as data, loaded and validated."""

from hmip_desktop.frameworks.loader import (
    FrameworkError,
    available_frameworks,
    load_framework,
    load_framework_file,
)
from hmip_desktop.frameworks.model import Framework

__all__ = [
    "Framework",
    "FrameworkError",
    "available_frameworks",
    "load_framework",
    "load_framework_file",
]
