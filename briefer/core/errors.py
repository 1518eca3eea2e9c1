"""Every failure a user can meet, each with its own exit code.

The CLI prints `briefer: error: <message>` on one line and exits with the code; nothing below the
CLI prints or exits. The codes are part of the interface (scripts branch on them), so they are
listed in the README and never reused.
"""

from __future__ import annotations


class BrieferError(Exception):
    """A failure with a one-line message meant for the user."""

    exit_code = 1


class UsageError(BrieferError):
    """A missing setting or a contradictory combination of options (like click's own)."""

    exit_code = 2


class MissingCredentials(UsageError):
    exit_code = 2


class InputError(BrieferError):
    """The article cannot be read: missing, empty, a directory, undecodable."""

    exit_code = 3


class RecordingMissing(BrieferError):
    """Replay mode met a request that has no recording."""

    exit_code = 4


class RecordingUnusable(RecordingMissing):
    """A recording that cannot be used: cut short, empty, another format, a recorded error."""


class ProviderError(BrieferError):
    """The provider failed, or kept failing after the transport retries."""

    exit_code = 5


class InvalidOutput(BrieferError):
    """The model's reply was still invalid after the re-asks. The raw replies are kept."""

    exit_code = 6

    def __init__(self, message: str, raw_replies: list[str]) -> None:
        super().__init__(message)
        self.raw_replies = raw_replies


class ModelRefused(BrieferError):
    """The model refused, or its output was stopped by a content filter; not retried."""

    exit_code = 7


class TemplateError(BrieferError):
    """A template is missing, has a syntax error or uses an undefined variable."""

    exit_code = 8


class BriefingFileError(BrieferError):
    """A saved briefing JSON that cannot be read back."""

    exit_code = 9


class DeliveryError(BrieferError):
    """The email could not be sent. The message is kept as an .eml."""

    exit_code = 10


class BatchIncomplete(BrieferError):
    """`brief --each` finished, but some articles failed (each was reported); the rest are on
    disk, and a rerun retries only what is missing."""

    exit_code = 11


class Interrupted(BrieferError):
    """Ctrl-C during a run: what was finished is kept, and the message says how far it got."""

    exit_code = 130


class GuardRefused(BrieferError):
    """--max-calls or --max-cost would be exceeded: refused before any call."""

    exit_code = 12


class FetchError(BrieferError):
    """A web page could not be fetched: not found, not a page, too large, too slow, a redirect
    loop, a TLS failure. Nothing was sent to a model."""

    exit_code = 13


class ChecksFailed(BrieferError):
    """`briefer doctor`: at least one check failed (each is on its own line)."""

    exit_code = 14


class GroundingFailed(BrieferError):
    """`briefer check --strict` found something the sources do not support."""

    exit_code = 15


class WriteError(BrieferError):
    """An output file cannot be written (a full disk, a file where a folder should be, no
    permission). What was paid for is kept elsewhere, and the message says where."""

    exit_code = 16


class Deferred(Exception):
    """Not a failure: a request that a later batch will answer (the Batch API driver). Raised
    where the synchronous path would have called the model; the article waits for that batch."""

    def __init__(self, key: str) -> None:
        super().__init__(f"request {key[:24]} waits for the next batch")
        self.key = key
