"""The model boundary: one client asks, streams, retries and repairs within a completion budget and
the rate limits, every exchange recorded or replayed and priced; hands back validated replies.
"""

# The model boundary: the client (streaming, budget, retries, repairs), progress, budgets.

from .client import LLMClient, LLMSettings, StructuredReply, usage_of
from .reading import describe_validation_error
from .progress import Progress
from .retries import describe_api_error, is_transient, retry_after_seconds

__all__ = ["LLMClient", "LLMSettings", "Progress", "StructuredReply", "describe_api_error",
           "describe_validation_error", "is_transient", "retry_after_seconds", "usage_of"]
