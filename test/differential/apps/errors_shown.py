"""The same errors with show_error=True: a plain exception's message is shown too."""
from errors import make_demo  # noqa: F401  (the same app, mounted with another show_error)

SHOW_ERROR = True
