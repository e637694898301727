"""Moving work between laptops: identities, member cards, packs, bundles and receipts.

The cryptographic container lives in ``hmip_desktop.bundles``; this package decides what goes
in it and applies what comes out of it to a workspace.
"""
