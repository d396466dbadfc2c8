"""Errors that reach the user as one line of text, never as a traceback."""


class TermkamError(Exception):
    """A problem the user can act on; str(error) is the whole message."""


class OptionError(TermkamError):
    """Options a command or tool cannot take, refused before anything is recorded (the command
    line's usage errors: exit code 2)."""


class ItemError(TermkamError):
    """One file could not be processed; the job records the reason and goes on."""


class CatalogError(TermkamError):
    """The catalog cannot be opened or is not a termkam catalog."""


class StorageError(CatalogError):
    """The catalog cannot be written now (disk full, read-only, deleted): the work done so far
    is kept and an interrupted job can be resumed once the cause is fixed."""


class CatalogLost(StorageError):
    """The catalog file was deleted or replaced while this process had it open."""


class ClusterLost(TermkamError):
    """The cluster running a job's models cannot be reached now: the work done so far is kept
    and the interrupted job can be resumed once it is back."""
