"""Errors that reach the user as one line of text, never as a traceback."""


class TermkamError(Exception):
    """A problem the user can act on; str(error) is the whole message."""


class ItemError(TermkamError):
    """One file could not be processed; the job records the reason and goes on."""


class CatalogError(TermkamError):
    """The catalog cannot be opened or is not a termkam catalog."""
