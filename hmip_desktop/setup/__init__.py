"""Setting up an inspection: importing the case sample, allocating cases, scheduling interviews.

Pure functions, no database and no Qt: the caller applies the results through the Workspace API.
"""
