"""The one exception type that reaches a user as a single clear line."""


class UserError(Exception):
    """Bad input or bad data: the message names what was wrong and what is expected.

    The command line prints the message alone (no traceback) and exits non-zero.
    """
