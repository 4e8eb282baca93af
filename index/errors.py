"""Domain errors, defined once; the CLI turns them into a message and an exit status, the API into
an HTTP status. Every message says what to do next."""

from __future__ import annotations


class ZharshyError(Exception):
    """Base class: the message is meant for a person."""


class IndexMissingError(ZharshyError):
    """There is no index where one was expected."""


class EmbedderMismatchError(ZharshyError):
    """The index was built with another embedder than the one configured."""


class IndexCorruptError(ZharshyError):
    """The index files cannot be read."""


class DocumentNotFoundError(ZharshyError):
    """No document with that id is indexed."""


class InvalidQueryError(ZharshyError):
    """A question or filter that cannot be answered as given."""


class QuestionSetError(ZharshyError):
    """A question set for `zharshy eval` that cannot be read as given."""
