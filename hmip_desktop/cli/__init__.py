"""The command-line interface: a thin layer over the core's service functions."""
