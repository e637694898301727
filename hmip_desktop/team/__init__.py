"""The fieldwork team: who holds which roles in an inspection (000_ §3.1, 001_ §2.1)."""
