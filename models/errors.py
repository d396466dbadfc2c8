"""Model errors: one line that names what to install or what went wrong."""


class ModelError(Exception):
    """Base class; str(error) is the whole user-facing message."""


class ModelMissing(ModelError):
    """The weights of a model are not on this machine."""


class ModelInstallError(ModelError):
    """An optional model could not be fetched or failed verification."""
