"""Retention at the lead: each inspection's retention date, its archive and its purge.

``dates`` holds the default rule and the checks of a date typed in; ``figures`` what an
archive keeps of the published figures; ``service`` the lead's acts (set the date, archive,
purge) with their refusals and confirmations in words. The SQL is the store's
(``store/retention.py``). docs/data-model.md lists what an archive keeps; docs/security.md
says why.
"""
