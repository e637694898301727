"""The lead's consolidation: key-question tables, ratings, the panel, exports and comparisons.

Qt-free; the GUI and the CLI call the same functions. The arithmetic is ``rules/ratings.py``.
"""
