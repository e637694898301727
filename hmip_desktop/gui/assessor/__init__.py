"""The assessor's case list and case form."""
