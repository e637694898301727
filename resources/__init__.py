"""Data files shipped with hmip-desktop (frameworks, password list, icons).

This folder is installed as the package ``hmip_desktop.resources`` so that
``importlib.resources`` finds it the same way from source, from a wheel and from the frozen app.
"""
