"""The lead's set-up, dashboard and consolidation windows."""
