"""The chat defaults: one measured set of sampling settings that every chat starts from.

    params = CHAT_DEFAULTS.sampling_params()              # greedy, penalty 1.2, 512 tokens
    params = CHAT_DEFAULTS.sampling_params(max_tokens=64)  # one setting changed

Who starts from them: `lmforge chat` and `generate --chat` (cli/infer.py), the server for
every field a chat request leaves unset (serve/generation.py; a field the request sets is
used exactly as given, as OpenAI does), the chat page's initial controls (read from
`GET /chat-defaults`), RAG answers (rag/answer.py, `rag ask`) and the agent
(agent/chat_model.py). Output that copies from its prompt (JSON schemas and tool calls,
RAG answers) takes them without the repetition penalty (`for_copying`). Plain
`lmforge generate` and `/v1/completions` continue raw text and keep the raw model's
sampling (no penalty): they are not chats.

Why these values (benchmarks/bench_chat_defaults.py, docs/benchmarks.md): on 20 English
prompts the bundled 135M model's greedy replies looped 9/20 times without a repetition
penalty, 3/20 at 1.1 and 0/20 at 1.2, with the same facts right; greedy because a model this
small answers facts most reliably that way. The loop stop (infer/chat_session.py,
`repeating`) ends a reply that still repeats one passage three times in a row.

Test: `pytest tests/infer/test_defaults.py`.
"""

from dataclasses import asdict, dataclass, replace

from lmforge.infer.params import SamplingParams


@dataclass(frozen=True)
class ChatDefaults:
    """Sampling settings a chat starts from; any of them can be changed per request."""

    temperature: float = 0.0
    """0 is greedy: the most likely token each step (the seed plays no part)."""
    top_p: float = 1.0
    """Nucleus sampling off (it matters only above temperature 0)."""
    repetition_penalty: float = 1.2
    """CTRL penalty on tokens already in prompt or reply: 1.2 stopped every measured loop."""
    max_tokens: int = 512
    """Most tokens in one reply."""
    stop_loops: bool = True
    """End a reply that repeats one passage three times in a row."""

    def sampling_params(self, **changes) -> SamplingParams:
        """SamplingParams with these defaults, and `changes` (SamplingParams fields) on top."""
        params = SamplingParams(max_tokens=self.max_tokens, temperature=self.temperature,
                                top_p=self.top_p, repetition_penalty=self.repetition_penalty)
        for name, value in changes.items():
            setattr(params, name, value)  # slots: an unknown name is an AttributeError
        return params.validate()

    def for_copying(self) -> "ChatDefaults":
        """The same without the repetition penalty, for output that copies from its prompt.
        The penalty counts the prompt's tokens too, so it shuns exactly what such output
        must repeat (benchmarks/bench_structured_defaults.py, bench_rag_answers.py):
        calculator calls carrying the question's two numbers 3/10 without it, 0/10 at 1.2;
        RAG answers naming the fact of their source 8/10 without it, 0-1/10 at 1.2. JSON also
        repeats its own quotes, braces and keys by design. The loop stop still applies."""
        return replace(self, repetition_penalty=1.0)

    def to_json(self) -> dict:
        return asdict(self)


CHAT_DEFAULTS = ChatDefaults()
# RAG answers (rag/answer.py, `rag ask`, the server's `rag` option) copy facts from their
# sources: no penalty (benchmarks/bench_rag_answers.py: answers naming their source's fact
# 0-1/10 at 1.2, 8/10 without), and at most 160 tokens: each right answer gave its fact in
# its first sentence, and what followed copied more source text or rambled (a 512-token
# ramble took 220 s on a busy 2-core machine)
RAG_DEFAULTS = replace(CHAT_DEFAULTS.for_copying(), max_tokens=160)
