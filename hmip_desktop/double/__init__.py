"""Double assessment during fieldwork (000_ §3.10; 003_ §4.12–4.13; 002_ §6.10).

The lead has one case of a real inspection assessed independently by a second member: the
observation case, or a routine benchmark. The second member gets the case in their pack as a
second assessment and sends their answers to the lead alone; neither assessor ever receives
the other's answers. The lead compares the two (``training.compare``) once both are complete,
and names one of them as the case's record: consolidation counts only that one.
"""
