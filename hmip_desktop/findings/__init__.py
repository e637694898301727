"""The lead's findings on the organisational key questions, and the evidence sent in advance.

Domain one of a rated framework and the organisational questions of an unrated one (DIPP) are
judged from documents, meetings and the case data together (000_ §6.1, 003_ §4.15): here the
lead records strengths and areas for improvement with the evidence behind each, the register of
documents the organisation sent before fieldwork with its narrative per key question (000_
§3.6, 001_ §3.6, 004_), and sees how much evidence bears on each key question. Findings carry
no rating: a rated framework's lead rating is given on its own (``consolidation.panel``).
"""
