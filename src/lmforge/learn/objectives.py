"""Lesson 7, training objectives: one sentence as the three families of models learn from it.

    causal LM (GPT, Llama)   read tokens 0..t, predict token t+1: every position is scored
    masked LM (BERT)         hide 15% of the tokens ([MASK], a random token, or unchanged),
                             predict the originals: only the hidden positions are scored
    seq2seq (T5)             drop spans, each replaced by a sentinel in the source; the
                             decoder reads <start> + target and predicts the target

Each view is built by the objective lmforge trains with (train/objectives/: `CausalLM.batch`,
`mask_tokens`, `span_corrupt`, `teacher_forcing`), with the tokenizer's own [MASK] and
sentinel tokens when it has them ([MASK] and <X0>, <X1>... shown in their place when it
does not). The loss is the objective's own `loss` on the loaded model, for its family only:
a decoder such as SmolLM2 scores causal LM; masked LM needs an encoder with an MLM head and
seq2seq an encoder-decoder (lmforge trains small ones: `lmforge pretrain` with
`objective: masked_lm` or `seq2seq`). tiny_families.py gives every family a loss: a tiny
model of each, trained for seconds on the lesson's sentences.

    objectives_lesson(lm.model, lm.tokenizer, "The cat sat on the mat because it was tired.")
      -> {"tokens", "family", "causal_lm": {"inputs", "targets", "loss"},
          "masked_lm": {"inputs", "labels", "loss"},
          "seq2seq": {"source", "decoder_input", "target", "loss"}}

Test: `pytest tests/learn/test_objectives.py`.
"""

import torch

from lmforge.errors import ConfigError
from lmforge.train.objectives import IGNORE_INDEX
from lmforge.train.objectives.causal_lm import CausalLM
from lmforge.train.objectives.masked_lm import MASK_TOKENS, MaskedLM, mask_tokens
from lmforge.train.objectives.seq2seq import Seq2Seq, span_corrupt, teacher_forcing
from lmforge.viz.tokens import readable_token

EXAMPLE = "The cat sat on the mat because it was tired."
MIN_TOKENS, MAX_TOKENS = 4, 128
SHOWN_MASK, SHOWN_START = -1, -2  # stand-ins when the tokenizer has no such token
SHOWN_SENTINELS = [-1000 - i for i in range(len(Seq2Seq.special_tokens))]  # not -100


def objectives_lesson(model, tokenizer, text: str = EXAMPLE, seed: int = 0) -> dict:
    """The three objectives' inputs, targets and scored positions for `text`, and the loaded
    model's loss under its own family's objective (module docstring)."""
    ids = tokenizer.encode(text, add_special=False, parse_special=False)
    if not MIN_TOKENS <= len(ids) <= MAX_TOKENS:
        raise ConfigError(f"the text has {len(ids)} tokens; this lesson takes "
                          f"{MIN_TOKENS}..{MAX_TOKENS}")
    x = torch.tensor(ids)
    kind = model.config.kind
    with torch.inference_mode():
        return {"text": text, "tokens": names(tokenizer, ids), "family": kind,
                "causal_lm": causal_view(model, tokenizer, x, kind == "decoder"),
                "masked_lm": masked_view(model, tokenizer, x, seed),
                "seq2seq": seq2seq_view(model, tokenizer, x, seed)}


def causal_view(model, tokenizer, x: torch.Tensor, scores: bool) -> dict:
    objective = CausalLM()
    batch = objective.batch((x[None, :-1], x[None, 1:]))  # the loader's shift by one
    loss = objective.loss(model, batch)[0].item() if scores else None
    return {"inputs": names(tokenizer, batch["input_ids"][0]),
            "targets": names(tokenizer, batch["labels"][0]), "loss": loss}


def masked_view(model, tokenizer, x: torch.Tensor, seed: int) -> dict:
    mask_id = next((tokenizer.token_to_id(t) for t in MASK_TOKENS
                    if tokenizer.token_to_id(t) is not None), None)
    shown_id = SHOWN_MASK if mask_id is None else mask_id
    for attempt in range(32):  # a short text may get no position at 15%: draw again
        generator = torch.Generator().manual_seed(seed + attempt)
        inputs, labels = mask_tokens(x, shown_id, tokenizer.vocab_size,
                                     tokenizer.special_ids, generator)
        if (labels != IGNORE_INDEX).any():
            break
    loss = None
    if model.config.kind == "encoder" and mask_id is not None and model.config.mlm_head:
        objective = MaskedLM(mask_id, tokenizer.vocab_size, tokenizer.special_ids)
        loss = objective.loss(model, {"input_ids": inputs[None], "labels": labels[None]})[0]
        loss = loss.item()
    return {"inputs": names(tokenizer, inputs), "labels": names(tokenizer, labels),
            "loss": loss}


def seq2seq_view(model, tokenizer, x: torch.Tensor, seed: int) -> dict:
    real = [tokenizer.token_to_id(t) for t in Seq2Seq.special_tokens]
    sentinels = SHOWN_SENTINELS if None in real else real
    generator = torch.Generator().manual_seed(seed)
    source, target = span_corrupt(x, sentinels, generator=generator, eos_id=tokenizer.eos_id)
    start = model.config.decoder_start_token_id
    decoder_input = teacher_forcing(target, SHOWN_START if start is None else start)
    loss = None
    if model.config.kind == "encoder-decoder" and None not in real and start is not None:
        objective = Seq2Seq(real, tokenizer.pad_id, tokenizer.eos_id, start)
        batch = {"input_ids": source[None], "attention_mask": torch.ones_like(source)[None],
                 "decoder_input_ids": decoder_input[None], "labels": target[None]}
        loss = objective.loss(model, batch)[0].item()
    return {"source": names(tokenizer, source), "decoder_input": names(tokenizer, decoder_input),
            "target": names(tokenizer, target), "loss": loss}


def names(tokenizer, ids) -> list[str | None]:
    """Each id as text; None where a label is not scored, the stand-ins by their role."""
    shown = []
    for i in (ids.tolist() if isinstance(ids, torch.Tensor) else ids):
        if i == IGNORE_INDEX:
            shown.append(None)
        elif i == SHOWN_MASK:
            shown.append("[MASK]")
        elif i == SHOWN_START:
            shown.append("<start>")
        elif i in SHOWN_SENTINELS:
            shown.append(f"<X{SHOWN_SENTINELS.index(i)}>")
        else:
            shown.append(readable_token(tokenizer, i))
    return shown
