"""Errors that name the problem.

Everything lmforge raises on bad input derives from `LmforgeError`, so the CLI can print one
clean line (no traceback unless --debug) and library users can catch one type. Each error
also derives from the builtin it refines (ValueError, FileNotFoundError), so ordinary
`except ValueError` code keeps working.
"""


class LmforgeError(Exception):
    """Base class: a problem with the user's input, files or settings."""


class ConfigError(LmforgeError, ValueError):
    """A configuration is invalid: unknown key, impossible shape, bad value."""


class ModelFileError(LmforgeError, ValueError):
    """A weights/tokenizer file is missing, truncated, corrupted or inconsistent."""


class UnknownArchitectureError(LmforgeError, ValueError):
    """A checkpoint names an architecture lmforge cannot build."""


class ModelNotFoundError(LmforgeError, FileNotFoundError):
    """A model name or path resolves to nothing."""


class SamplingError(LmforgeError, ValueError):
    """Sampling parameters are out of range (e.g. top_p 1.5, temperature -1, top_k 0)."""


class ContextLengthError(LmforgeError, ValueError):
    """A prompt (plus requested tokens) does not fit in the model's context window."""


class DataError(LmforgeError, ValueError):
    """A dataset or corpus is empty, binary, or missing a required field."""


class PolicyError(LmforgeError, ValueError):
    """A safety policy file is malformed (bad YAML, unknown key, a pattern that won't compile)."""
