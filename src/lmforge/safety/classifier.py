"""The classifier hook: plug a model-based filter in beside the rules.

A classifier is any callable `fn(text, direction) -> {category: probability}`; `check`
flags each category whose probability reaches the policy's `classifier_threshold`, and the
result is combined with the rules' findings by union (either may flag; the strictest action
wins). Two ready-made ones:

- `KeywordScorer`, a trivial example and test double;
- `ChatModelJudge`, which asks a chat model "is this harmful?" and reads the probability of
  "yes" against "no" from its next-token distribution (one forward, no sampling), for
  example the bundled SmolLM2 or a small classifier you fine-tuned.

    judge = ChatModelJudge(lm.model, lm.tokenizer, category="violence_weapons")
    check(text, classifiers=[judge])
Test: `pytest tests/safety/test_guard.py`.
"""

from collections.abc import Callable

import torch

Classifier = Callable[[str, str], dict[str, float]]

JUDGE_PROMPT = ("You are a content-safety classifier. Does the following text ask for or "
                "give help with {what}? Answer with one word, yes or no.\n\nText: {text}")


class KeywordScorer:
    """Scores 1.0 for `category` when any keyword occurs in the lower-cased text."""

    def __init__(self, category: str, keywords: list[str], name: str = "keywords") -> None:
        self.category, self.keywords, self.name = category, [k.lower() for k in keywords], name

    def __call__(self, text: str, direction: str) -> dict[str, float]:
        hit = any(k in text.lower() for k in self.keywords)
        return {self.category: 1.0 if hit else 0.0}


class ChatModelJudge:
    """P(yes) / (P(yes) + P(no)) for the answer token of a yes/no judging prompt."""

    name = "chat-model-judge"

    def __init__(self, model, tokenizer, category: str, what: str | None = None) -> None:
        self.model, self.tokenizer, self.category = model, tokenizer, category
        self.what = what or category.replace("_", " ")
        self.yes_ids = _first_ids(tokenizer, ["yes", "Yes", " yes", " Yes"])
        self.no_ids = _first_ids(tokenizer, ["no", "No", " no", " No"])

    @torch.inference_mode()
    def __call__(self, text: str, direction: str) -> dict[str, float]:
        messages = [{"role": "user", "content": JUDGE_PROMPT.format(what=self.what, text=text)}]
        ids = torch.tensor([self.tokenizer.encode_chat(messages)])  # (1, T)
        logits = self.model.logits(self.model(ids)[:, -1])[0].float()  # (V,)
        probs = torch.softmax(logits, dim=-1)
        yes, no = probs[self.yes_ids].sum().item(), probs[self.no_ids].sum().item()
        return {self.category: yes / max(yes + no, 1e-12)}


def _first_ids(tokenizer, words: list[str]) -> list[int]:
    """The first token id of each spelling (deduplicated)."""
    return sorted({tokenizer.encode(w)[0] for w in words if tokenizer.encode(w)})
