"""The one exception type for bad input: a single sentence naming what and where."""


class InputError(ValueError):
    """Raised for any invalid input; its message is one sentence naming the path and the id."""
