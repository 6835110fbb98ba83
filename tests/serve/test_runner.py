"""The stepping thread on a tiny random model (milliseconds, no server): requests submitted
together batch and give what each gives alone; an abort frees the Engine at once; a request
the Engine rejects gets a Failure on its own queue only."""

import asyncio

import torch

from lmforge.infer import Engine, SamplingParams
from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer
from lmforge.serve.runner import EngineRunner, Failure


def tiny_engine() -> Engine:
    config = ModelConfig(vocab_size=64, hidden_size=32, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, intermediate_size=64,
                         max_position_embeddings=64)
    torch.manual_seed(0)
    model = Transformer(config)
    model.init_weights(std=0.5)
    return Engine(model.eval(), None, max_batch_size=4)


async def read_all(events: asyncio.Queue) -> list[int] | Failure:
    tokens = []
    while True:
        event = await events.get()
        if isinstance(event, Failure):
            return event
        if event.token_id is not None:
            tokens.append(event.token_id)
        if event.finished:
            return tokens


def test_batched_requests_equal_alone_and_abort_frees():
    engine = tiny_engine()
    prompts = [[1, 2, 3], [4, 5], [6, 7, 8, 9]]
    greedy = SamplingParams(max_tokens=6, temperature=0, ignore_eos=True)
    alone = [c.token_ids for c in engine.generate(prompts, [greedy] * 3)]
    runner = EngineRunner(engine, max_in_flight=8)
    runner.start()

    async def scenario():
        queues = [runner.submit(p, greedy, f"r{i}") for i, p in enumerate(prompts)]
        long = runner.submit([1], SamplingParams(max_tokens=50, temperature=0,
                                                 ignore_eos=True), "long")
        bad = runner.submit([999], greedy, "bad")  # not a token id of this model
        results = await asyncio.gather(*[read_all(q) for q in queues])
        await long.get()  # it runs...
        runner.abort("long")  # ...until its client goes away
        return results, await read_all(bad)

    try:
        results, failure = asyncio.run(scenario())
        assert results == alone
        assert isinstance(failure, Failure) and "999" in str(failure.error)
        for _ in range(200):  # the abort is applied between steps
            if engine.stats()["running"] == 0 and not engine.has_unfinished():
                break
            asyncio.run(asyncio.sleep(0.01))
        assert engine.stats()["running"] == 0 and engine.stats()["waiting"] == 0
        assert runner.in_flight == 0
    finally:
        runner.stop()
