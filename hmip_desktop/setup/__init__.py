"""Setting up an inspection: importing the case sample, allocating cases, scheduling interviews.

``sample_import`` and ``allocation`` are pure rules (no database, no Qt); ``apply`` runs them
against a workspace and writes the result in one audited transaction.
"""
