"""Widgets and helpers every window shares."""
