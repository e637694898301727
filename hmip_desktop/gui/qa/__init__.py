"""The QA partner's lunchtime view and sheet."""
