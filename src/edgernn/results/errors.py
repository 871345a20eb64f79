"""Errors of the results database and the report (part of the :class:`EdgernnError` family)."""

from edgernn.errors import EdgernnError


class ResultsError(EdgernnError):
    """A result record is invalid, a results database or export file is unusable, or a record
    asked for does not exist."""
