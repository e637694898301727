"""Training events (000_ §3.10): the lead's benchmark, trainees' answers, the comparison.

A training inspection is an inspection flagged ``training``: at the lead it holds the training
cases the lead assesses and marks as the benchmark; at a trainee it is what a training pack
made. Its work never counts as real and never mixes with a real inspection's
(docs/security.md, "Training events").
"""
