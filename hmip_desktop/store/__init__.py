"""The encrypted case store: one SQLCipher database per workspace folder."""
