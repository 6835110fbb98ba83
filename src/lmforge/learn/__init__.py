"""Learn mode: an introductory course's demos, run on a real model.

Each lesson is a function that returns plain data (dicts and lists of numbers and
strings), computed by the code the Engine runs: the next-token distribution is the row of
logits the Engine's sampler receives, kept sets come from the sampler's own pipeline, the
beam tree is recorded from the real beam search. `lmforge learn ...` prints them
(cli/learn.py, `--json` included) and the server's Learn tab draws them (serve/learn.py).

    engine = lesson_engine(lm.model, lm.tokenizer)
    next_token(engine, "今天天气真", top=10)              1 word by word      word_by_word.py
    kept_sets(engine, "今天天气真")  (one forward)        2 decoding          strategies.py
    strategy_samples(engine, "今天天气真")  (generation)
    TreeSearch(engine, "The capital of France is", 3)     3 beam search tree  beam_tree.py
      .advance(1)  (one step: a forward of the k beams)
    tokenize_texts(model, tokenizer, texts)               4 tokenization      tokenization.py
    attention_lesson(model, tokenizer, text, layer)       5 attention         attention.py
    positions_lesson(lm.model.config, n_positions=64)     6 positions         positions.py
    objectives_lesson(model, tokenizer, text)             7 objectives        objectives.py
    family_losses(text)  (a tiny model of each family)                        tiny_families.py
    finetune_costs(lm.model.config, rank=8)               8 fine-tuning cost  finetuning.py
    measure_steps("smollm2-135m-instruct")  (one step each)                   finetune_step.py
    quantization_costs("smollm2-135m-instruct")           9 quantization cost quantization.py
    grpo_group(engine, "What is 7 + 8?", "15")             10 RL with rewards  rlhf.py
    grpo_step("smollm2-135m-instruct")  (one live step)                       grpo_step.py

terminal.py renders each lesson's data as text for the CLI.

docs/learn.md walks the lessons. Test: `pytest tests/learn/`.
"""

from lmforge.learn.beam_tree import beam_tree
from lmforge.learn.lesson_engine import lesson_engine
from lmforge.learn.strategies import compare_strategies
from lmforge.learn.word_by_word import next_token, word_by_word

__all__ = ["beam_tree", "compare_strategies", "lesson_engine", "next_token", "word_by_word"]
