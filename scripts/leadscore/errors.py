"""The one exception type a user sees as a single line (no traceback)."""


class LeadscoreError(Exception):
    """A mistake the user can act on: a bad file, a bad option, a failed build."""
