"""Practice cases on an assessor's laptop, apart from every inspection (000_ §3.10)."""
