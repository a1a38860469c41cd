"""Errors a user can act on.

Anything raised as ``DubanError`` reaches the user as its one sentence —
on the command line and on a web page — never as a traceback.
"""


class DubanError(Exception):
    """A problem with the user's input, stated in one sentence."""


class InputError(DubanError):
    """A file that cannot be read as what it claims to be."""


class NotADocumentError(DubanError):
    """A readable file that is not a notice or report."""
