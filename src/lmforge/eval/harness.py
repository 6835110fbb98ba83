"""An lm-evaluation-harness model class, so `lm_eval` can evaluate lmforge models.

    import lmforge.eval.harness                     # registers the model type "lmforge"
    lm_eval.simple_evaluate(model="lmforge", model_args="pretrained=smollm2-135m-instruct",
                            tasks=["hellaswag"])
    # or with a model already loaded:
    lm_eval.simple_evaluate(model=LmforgeLM(lm=lmforge.load(...)), tasks=[...])

The harness asks a model three things; each maps onto lmforge's own code, so the
harness and `lmforge eval` score identically:
- loglikelihood(context, continuation) -> (log p, is greedy): eval/loglikelihood.py, with
  the context/continuation split of eval/runner.split_tokens;
- loglikelihood_rolling(text) -> log p of the whole text: the sliding window, after one
  prefix token (BOS, else EOS) so that the first token is scored too, as the harness does;
- generate_until(context, until=..., max_gen_toks=...) -> text: batched through the Engine.
Test: `pytest tests/eval/test_harness.py` (runs a local task, no download).
"""

from lm_eval.api.model import LM
from lm_eval.api.registry import register_model

from lmforge.eval.loglikelihood import loglikelihoods, rolling_loglikelihood
from lmforge.eval.runner import split_tokens


@register_model("lmforge")
class LmforgeLM(LM):
    def __init__(self, pretrained: str = "smollm2-135m-instruct", lm=None, batch_size: int = 8,
                 max_length: int | None = None, **_ignored) -> None:
        super().__init__()
        if lm is None:
            from lmforge.io.registry import load

            lm = load(pretrained)
        self.model, self.tokenizer = lm.model, lm.tokenizer
        self.batch_size = int(batch_size) if str(batch_size).isdigit() else 8
        self.max_length = int(max_length or self.model.config.max_position_embeddings)
        prefix = self.tokenizer.bos_id if self.tokenizer.bos_id is not None else (
            self.tokenizer.eos_id)
        self.prefix_ids = [] if prefix is None else [prefix]

    def loglikelihood(self, requests) -> list[tuple[float, bool]]:
        pairs = []
        for request in requests:
            context, continuation = request.args
            if context:
                pairs.append(split_tokens(self.tokenizer, context, continuation))
            else:  # score from the very first token: the prefix token is the context
                pairs.append((self.prefix_ids,
                              self.tokenizer.encode(continuation, parse_special=False)))
        return loglikelihoods(self.model, pairs, self.batch_size, self.max_length)

    def loglikelihood_rolling(self, requests) -> list[float]:
        out = []
        for request in requests:
            (text,) = request.args
            ids = self.prefix_ids + self.tokenizer.encode(text, parse_special=False)
            total, _ = rolling_loglikelihood(self.model, ids, self.max_length, self.max_length)
            out.append(total)
        return out

    def generate_until(self, requests) -> list[str]:
        from lmforge.infer.engine import Engine
        from lmforge.infer.params import SamplingParams

        prompts, params = [], []
        for request in requests:
            context, kwargs = request.args
            until = kwargs.get("until") or []
            until = [until] if isinstance(until, str) else list(until)
            temperature = float(kwargs.get("temperature", 0.0)) if kwargs.get(
                "do_sample", False) else 0.0
            prompts.append(context)
            params.append(SamplingParams(max_tokens=int(kwargs.get("max_gen_toks", 256)),
                                         temperature=temperature, stop=until))
        engine = Engine(self.model, self.tokenizer, max_batch_size=self.batch_size)
        return [c.text for c in engine.generate(prompts, params)]
