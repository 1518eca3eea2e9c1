"""Defaults shared by the CLI and the modules, kept free of imports so that `briefer --help`
stays fast."""

DEFAULT_MODEL = "gpt-4.1-mini"
#: Small enough that a model reads every paragraph closely and its reply stays well under
#: output limits; large enough that a typical news article is one call.
DEFAULT_CHUNK_TOKENS = 2000
MIN_CHUNK_TOKENS = 200
#: Calls in flight: safe for a normal API tier's rate limits; raise it on a higher tier.
DEFAULT_CONCURRENCY = 4
MIN_SECRET_LENGTH = 8  # shorter "keys" (a local server's "x") are not secrets; masking them mangles text
