"""The case sample: long lists, eligibility and exclusions, stratified draws, reserves.

Plain Python with no store or Qt: the rules come from the framework file's ``sampling``
section, the long list from the organisation's file, and every draw is reproducible from the
long list and its seed (docs/sampling.md).
"""
