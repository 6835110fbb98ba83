"""Tokenizers and chat templates: text <-> token ids, messages -> prompt text."""

from lmforge.tokenizer.chat_template import (
    DEFAULT_CHAT_TEMPLATE,
    compile_chat_template,
    render_chat_template,
    validate_messages,
)
from lmforge.tokenizer.streaming import StreamDecoder
from lmforge.tokenizer.tokenizer import END_OF_TURN_TOKENS, Tokenizer, bos_eos_post_processor

__all__ = [
    "DEFAULT_CHAT_TEMPLATE",
    "END_OF_TURN_TOKENS",
    "StreamDecoder",
    "Tokenizer",
    "bos_eos_post_processor",
    "compile_chat_template",
    "render_chat_template",
    "validate_messages",
]
