"""The laptop's return: exports tracked, the ready-to-return check, the lead's release and the wipe.

Laptops go back by courier once fieldwork is over, "appropriately prepared for collection"
(Probation inspections external guidance manual §3.10). ``exports`` records every file the app
writes outside the workspace that can hold case data; ``check`` lists everything standing
between this laptop and collection; ``release`` is the lead's signed word that it no longer
needs named cases from a member; ``wipe`` removes the workspace once nothing is left, after
``certificates`` has written the signed wipe certificate the lead imports.
"""
