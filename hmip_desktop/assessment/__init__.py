"""One case's assessment as data: its items, their validation, and its completeness."""
