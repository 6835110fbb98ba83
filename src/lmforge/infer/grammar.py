"""Constrained decoding: make a model's output parse as JSON that matches a schema.

A language model picks each token from the whole vocabulary, so nothing stops it from
writing `{"age": "twelve"` when the schema says `age` is an integer. Constrained decoding
fixes that at the source: before each sampling step, a grammar matcher (a pushdown
automaton compiled from the JSON schema) marks which tokens could continue a valid
document, and every other token's logit becomes -inf. End-of-sequence is allowed only
once the document is complete, so the output always parses and validates.

    processor = schema_logits_processor(tokenizer, {"type": "object", ...})
    params = SamplingParams(max_tokens=200, logits_processors=[processor])

The grammar work is done by `xgrammar` (Dong et al. 2024, "XGrammar: Flexible and
Efficient Structured Generation"), which compiles schemas on the CPU with the tokenizer's
vocabulary and precomputes most of the mask per automaton state. A processor is stateful
(it follows one request's tokens), so each request needs a fresh one; compiled grammars
are cached per tokenizer and schema.

Tool calls use the same machinery: `tool_call_schema` turns an OpenAI `tools` list into
the schema of `{"name": ..., "arguments": {...}}`, and `tool_tag_logits_processor` lets
text run free until the model opens `<tool_call>`, then enforces a valid call.

Test: `pytest tests/infer/test_grammar.py`.
"""

import json
import threading
import weakref
from typing import Any

import jsonschema
import torch

from lmforge.errors import ConfigError, SamplingError
from lmforge.extras import LazyModule
from lmforge.tokenizer import Tokenizer

# imported at first use: the server and the agent import this module without the [grammar]
# extra, and only a request for JSON or tool calls needs xgrammar (and its 1 GB of triton)
xgr = LazyModule("xgrammar", "JSON-schema output and tool calls")

TOOL_CALL_OPEN, TOOL_CALL_CLOSE = "<tool_call>", "</tool_call>"


class GrammarLogitsProcessor:
    """A logits processor for one request: masks tokens the grammar forbids next.

    Called by the sampler as fn(output_ids, logits (V,)); it first advances the matcher
    over the tokens generated since its last call, then masks the logits in place."""

    def __init__(self, compiled: "xgr.CompiledGrammar", vocab_size: int) -> None:
        self.matcher = xgr.GrammarMatcher(compiled)
        self.vocab_size = vocab_size  # the tokenizer's; the model's logits may be wider
        self.bitmask = xgr.allocate_token_bitmask(1, vocab_size)  # (1, ceil(V / 32)) int32
        self.num_accepted = 0

    def __call__(self, output_ids: list[int], logits: torch.Tensor) -> torch.Tensor:
        for token_id in output_ids[self.num_accepted:]:
            if not self.matcher.accept_token(token_id):
                raise SamplingError(f"token {token_id} breaks the grammar: the sampler must "
                                    "apply this processor's mask before drawing")
        self.num_accepted = len(output_ids)
        self.matcher.fill_next_token_bitmask(self.bitmask)
        logits = logits.float()
        view = logits[None, : self.vocab_size]  # (1, V_tok)
        xgr.apply_token_bitmask_inplace(view, self.bitmask.to(logits.device))
        logits[self.vocab_size:] = float("-inf")  # padding rows of a wider LM head
        return logits


# -- schemas ---------------------------------------------------------------------------------

def check_json_schema(schema: Any, where: str = "schema") -> dict:
    """Raise ConfigError naming the problem unless `schema` is a valid JSON schema object."""
    if not isinstance(schema, dict):
        raise ConfigError(f"{where} must be a JSON object (a JSON schema), "
                          f"got {type(schema).__name__}")
    try:
        jsonschema.validators.validator_for(schema).check_schema(schema)
    except jsonschema.SchemaError as e:
        path = "/".join(str(p) for p in e.path) or "(top level)"
        raise ConfigError(f"{where} is not a valid JSON schema at {path}: {e.message}") from e
    return schema


def tool_call_schema(tools: list[dict], name: str | None = None) -> dict:
    """The JSON schema of one call `{"name": ..., "arguments": {...}}` to one of `tools`
    (OpenAI's list of {"type": "function", "function": {name, parameters}}), or to the tool
    called `name`. Each alternative ties the name to that tool's own parameter schema."""
    functions = tool_functions(tools)
    if name is not None:
        if name not in functions:
            raise ConfigError(f"tool_choice names function {name!r}, which is not in tools "
                              f"({', '.join(functions) or 'none given'})")
        functions = {name: functions[name]}
    options = [{
        "type": "object",
        "properties": {"name": {"enum": [fn]}, "arguments": params},
        "required": ["name", "arguments"],
        "additionalProperties": False,
    } for fn, params in functions.items()]
    return options[0] if len(options) == 1 else {"anyOf": options}


def tool_functions(tools: Any) -> dict[str, dict]:
    """{function name: parameters schema} from an OpenAI tools list, checked."""
    if not isinstance(tools, list) or not tools:
        raise ConfigError("tools must be a non-empty list of {'type': 'function', ...}")
    functions = {}
    for i, tool in enumerate(tools):
        fn = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(fn, dict) or not isinstance(fn.get("name"), str) or not fn["name"]:
            raise ConfigError(f"tools[{i}] must be {{'type': 'function', 'function': "
                              f"{{'name': ..., 'parameters': {{...}}}}}}")
        params = fn.get("parameters") or {"type": "object", "properties": {}}
        check_json_schema(params, f"tools[{i}].function.parameters ({fn['name']})")
        functions[fn["name"]] = params
    return functions


# -- processors ------------------------------------------------------------------------------

def schema_logits_processor(tokenizer: Tokenizer, schema: dict | None) -> GrammarLogitsProcessor:
    """A fresh processor forcing a JSON document matching `schema` (None: any JSON object)."""
    compiler = _compiler(tokenizer)
    schema = {"type": "object"} if schema is None else check_json_schema(schema)
    try:  # compact separators: no runs of whitespace for a small model to get lost in
        compiled = compiler.compile_json_schema(json.dumps(schema), any_whitespace=False)
    except (RuntimeError, ValueError) as e:
        raise ConfigError(f"cannot compile the JSON schema into a grammar: "
                          f"{str(e).splitlines()[0] if str(e) else e}") from e
    return GrammarLogitsProcessor(compiled, tokenizer.vocab_size)


def tool_call_logits_processor(tokenizer: Tokenizer, tools: list[dict],
                               name: str | None = None) -> GrammarLogitsProcessor:
    """A fresh processor forcing one tool call as JSON (tool_choice 'required' or named)."""
    return schema_logits_processor(tokenizer, tool_call_schema(tools, name))


def tool_tag_logits_processor(tokenizer: Tokenizer, tools: list[dict]
                              ) -> GrammarLogitsProcessor:
    """Free text, but once the model writes `<tool_call>` it must finish a valid call:
    `<tool_call>{"name": "f", "arguments": {...}}</tool_call>` (tool_choice 'auto')."""
    compiler = _compiler(tokenizer)
    tags = [xgr.StructuralTagItem(
        begin=f'{TOOL_CALL_OPEN}{{"name": {json.dumps(fn)}, "arguments": ',
        schema=json.dumps(params), end=f"}}{TOOL_CALL_CLOSE}")
        for fn, params in tool_functions(tools).items()]
    try:
        compiled = compiler.compile_structural_tag(tags, [TOOL_CALL_OPEN])
    except (RuntimeError, ValueError) as e:
        raise ConfigError(f"cannot compile the tools' schemas into a grammar: {e}") from e
    return GrammarLogitsProcessor(compiled, tokenizer.vocab_size)


# -- the tokenizer's vocabulary as xgrammar sees it ------------------------------------------

_compilers: "weakref.WeakKeyDictionary[Tokenizer, xgr.GrammarCompiler]" = (
    weakref.WeakKeyDictionary())
_compilers_lock = threading.Lock()


def _compiler(tokenizer: Tokenizer) -> "xgr.GrammarCompiler":
    """One grammar compiler (with its schema cache) per tokenizer object."""
    with _compilers_lock:
        compiler = _compilers.get(tokenizer)
        if compiler is None:
            compiler = xgr.GrammarCompiler(tokenizer_info(tokenizer), max_threads=1)
            _compilers[tokenizer] = compiler
        return compiler


def tokenizer_info(tokenizer: Tokenizer) -> "xgr.TokenizerInfo":
    """xgrammar's view of an lmforge tokenizer: each id's vocabulary entry, how entries
    spell bytes (byte-level BPE's 'Ġ' for a space, SentencePiece's <0x0A> byte fallback),
    and which ids end generation. Special tokens other than stops become '' so a JSON
    string can never contain '<|im_start|>'."""
    backend = json.loads(tokenizer.backend.to_str())
    vocab = tokenizer.backend.get_vocab(with_added_tokens=True)
    encoded = [""] * tokenizer.vocab_size
    for token, i in vocab.items():
        if i < tokenizer.vocab_size:
            encoded[i] = token
    for i in tokenizer.special_ids - tokenizer.stop_ids:
        encoded[i] = ""
    decoder = json.dumps(backend.get("decoder"))
    if '"ByteLevel"' in decoder:
        vocab_type = xgr.VocabType.BYTE_LEVEL
    elif '"ByteFallback"' in decoder:
        vocab_type = xgr.VocabType.BYTE_FALLBACK
    else:
        vocab_type = xgr.VocabType.RAW
    prefix_space = '"Metaspace"' in json.dumps(backend.get("pre_tokenizer")) or (
        '"Prepend"' in json.dumps(backend.get("normalizer")))
    return xgr.TokenizerInfo(encoded, vocab_type=vocab_type, vocab_size=tokenizer.vocab_size,
                             stop_token_ids=sorted(tokenizer.stop_ids),
                             add_prefix_space=prefix_space)
