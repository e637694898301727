"""The partner inspector's screens."""
