"""The desktop GUI: PySide6 widgets over the core's service API."""
