"""The base every validated model shares: what the model returns and what a briefing holds."""

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Base for every model: unknown keys are errors, not silently dropped. Each model's
    validator is built on its first use (`defer_build`), not at import: most of the Briefing's
    models are first needed after the first call has gone out."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
