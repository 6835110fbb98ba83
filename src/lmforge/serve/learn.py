"""The Learn tab's JSON endpoints: each runs one lesson (lmforge/learn/) on the served model.

    GET  /v1/learn/lessons      the lessons' defaults (strategies, example prompts)
    POST /v1/learn/next         {"prompt", "continuation": [ids], "top"}            lesson 1
    POST /v1/learn/strategies   {"prompt", "strategies": [{"name", "settings"}],
                                 "samples", "max_tokens", "seed", "top"}            lesson 2
    POST /v1/learn/kept         {"prompt", "strategies", "top"}: the kept sets alone  (a step)
    POST /v1/learn/samples      {"prompt", "strategies", "samples", "max_tokens", "seed"}
    POST /v1/learn/beam         {"prompt", "beams", "max_tokens", "length_penalty"}  lesson 3
    POST /v1/learn/beam/start   the same body: a search of one step, and its "search" id
    POST /v1/learn/beam/step    {"search", "steps": 1 | null (to the end)}            (a step)
    POST /v1/learn/greedy       {"prompt", "max_tokens", "length_penalty"}: greedy's path
    POST /v1/learn/tokens       {"texts": [...]}                                    lesson 4
    POST /v1/learn/attention    {"text", "layer"}                                   lesson 5
    POST /v1/learn/positions    {"n_positions"}                                     lesson 6
    POST /v1/learn/objectives   {"text", "seed"}                                    lesson 7
    POST /v1/learn/objectives/train  {"text", "seed", "steps"}: each family's tiny model
    POST /v1/learn/finetune     {"rank", "targets", "qlora_group_size"}             lesson 8
    POST /v1/learn/finetune/step  the same and {"tokens", "batch"}: one measured step each
    POST /v1/learn/quantization {"text", "settings": [names]}                      lesson 9
    POST /v1/learn/grpo         {"question", "answer", "group_size", "max_tokens", "seed"} 10
    POST /v1/learn/grpo/step    {"tasks": [{"prompt", "answer"}], "group_size", "max_tokens",
                                 "rank", "lr", "seed"}: one live GRPO step (LoRA)

Each answer is the lesson function's plain data, the same as `lmforge learn ... --json`.
The tab asks for a step and draws it (lesson 2's kept sets, then its samples when they
arrive; lesson 3's tree a level per click, from a search the server keeps under its id,
the last MAX_SEARCHES only). The lessons run on their own small Engine over the served
weights (`lesson_engine`), one lesson at a time in a worker thread: the chat's Engine
and its stepping thread never see them. They sit under /v1, so `--api-key` guards them
like the OpenAI routes. A bad value (an empty prompt, one longer than the context, top-k 0,
top-p outside (0, 1], more than 16 beams) is a 400 in OpenAI's error shape with the
lesson's message.

Test: `pytest tests/learn/test_endpoints.py`.
"""

import asyncio
import importlib
import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from pydantic import BaseModel

from lmforge.errors import ConfigError, LmforgeError
from lmforge.learn import (
    attention,
    beam_tree,
    compare_strategies,
    lesson_engine,
    next_token,
    positions,
    quantization,
    tokenization,
)
from lmforge.learn.beam_tree import TreeSearch, greedy_path
from lmforge.learn.strategies import STRATEGIES, kept_sets, strategy_samples
from lmforge.serve.errors import bad_request

router = APIRouter(prefix="/v1/learn")
MAX_SEARCHES = 8  # beam searches kept for "next step" (each holds a small KV cache)

EXAMPLES = {  # the course's prompts, and an English twin for English models
    "next": ["今天天气真", "The weather today is really"],
    "strategies": ["今天天气真", "Once upon a time"],
    "beam": ["The capital of France is", "今天天气真"],
    "tokens": tokenization.EXAMPLES,
    "attention": attention.EXAMPLES,
    "quantization": [quantization.HELD_OUT],
}


class NextBody(BaseModel):
    prompt: str
    continuation: list[int] = []
    top: int = 10


class Strategy(BaseModel):
    name: str
    settings: dict[str, Any] = {}


class KeptBody(BaseModel):
    prompt: str
    strategies: list[Strategy] | None = None
    top: int = 8


class SamplesBody(BaseModel):
    prompt: str
    strategies: list[Strategy] | None = None
    samples: int = 3
    max_tokens: int = 12
    seed: int = 0


class StrategiesBody(SamplesBody):
    top: int = 8


class BeamBody(BaseModel):
    prompt: str
    beams: int = 3
    max_tokens: int = 8
    length_penalty: float = 1.0


class BeamStepBody(BaseModel):
    search: str
    steps: int | None = 1


class GreedyBody(BaseModel):
    prompt: str
    max_tokens: int = 8
    length_penalty: float = 1.0


class TokensBody(BaseModel):
    texts: list[str] = tokenization.EXAMPLES


class AttentionBody(BaseModel):
    text: str
    layer: int | None = None


class PositionsBody(BaseModel):
    n_positions: int = 64


class ObjectivesBody(BaseModel):
    text: str = "The cat sat on the mat because it was tired."
    seed: int = 0


class FinetuneBody(BaseModel):
    rank: int = 8
    targets: str | None = None  # None: sft's default, every projection
    qlora_group_size: int = 64


class FamiliesBody(ObjectivesBody):
    steps: int = 100  # the tiny models' training steps (tiny_families.STEPS)


class FinetuneStepBody(FinetuneBody):
    tokens: int = 32
    batch: int = 1


class QuantizationBody(BaseModel):
    text: str = quantization.HELD_OUT
    settings: list[str] | None = None


class Task(BaseModel):
    prompt: str
    answer: str


class GrpoStepBody(BaseModel):
    tasks: list[Task] | None = None  # None: the lesson's two sums
    group_size: int = 4
    max_tokens: int = 16
    rank: int = 8
    lr: float = 2e-4  # `lmforge grpo`'s default
    seed: int = 0


class GrpoBody(BaseModel):
    question: str = "What is 7 + 8? Reply with the number only."
    answer: str = "15"
    group_size: int = 8
    max_tokens: int = 32
    seed: int = 0


class Lessons:
    """The lessons' Engine over the served model, built on first use; one lesson at a time
    (a lesson steps its Engine to the end of its own requests)."""

    def __init__(self, lm) -> None:
        self.lm = lm
        self._engine = None
        self._lock = threading.Lock()
        self.searches: OrderedDict[str, TreeSearch] = OrderedDict()  # lesson 3, by id
        self._search_ids = itertools.count(1)

    def run(self, lesson: Callable, *args) -> dict:
        """lesson(engine, *args) for the lessons that generate."""
        with self._lock:
            if self._engine is None:
                self._engine = lesson_engine(self.lm.model, self.lm.tokenizer)
            return lesson(self._engine, *args)

    def start_search(self, engine, prompt: str, beams: int, max_tokens: int,
                     length_penalty: float) -> dict:
        """(run's lesson) A beam search taken one step, kept under a new id."""
        search = TreeSearch(engine, prompt, beams, max_tokens, length_penalty)
        key = f"beam-{next(self._search_ids)}"
        self.searches[key] = search
        while len(self.searches) > MAX_SEARCHES:
            self.searches.popitem(last=False)  # the oldest search is forgotten
        return {"search": key, **search.advance(1)}

    def step_search(self, engine, key: str, steps: int | None) -> dict:
        """(run's lesson) `steps` more steps of a kept search (None: to its end)."""
        search = self.searches.get(key)
        if search is None:
            raise ConfigError(f"no beam search {key!r} here (the server keeps the last "
                              f"{MAX_SEARCHES}): start the search again")
        return {"search": key, **search.advance(steps)}

    def run_on_model(self, lesson: Callable, *args) -> dict:
        """lesson(model, tokenizer, *args) for the lessons that look inside one forward."""
        with self._lock:
            return lesson(self.lm.model, self.lm.tokenizer, *args)

    def run_on_config(self, lesson: Callable, *args) -> dict:
        """lesson(config, *args) for the lessons computed from the architecture alone."""
        return lesson(self.lm.model.config, *args)

    def run_alone(self, lesson: Callable, *args) -> dict:
        """lesson(*args) for a lesson that brings its own models (lesson 7's tiny ones)."""
        with self._lock:
            return lesson(*args)

    def run_on_files(self, lesson: Callable, *args) -> dict:
        """lesson(source, *args) for the lessons that load the served model's files anew."""
        source = getattr(self.lm, "path", None)  # a model built in memory has no files
        if source is None:
            raise ConfigError("this lesson loads the model again from its files, and the "
                              "served model was not loaded from files")
        with self._lock:
            return lesson(str(source), *args)


_lessons_lock = threading.Lock()


def lessons_of(app: FastAPI) -> Lessons:
    with _lessons_lock:  # two first requests build one Engine, not two
        lessons = getattr(app.state, "lessons", None)
        if lessons is None:
            lessons = app.state.lessons = Lessons(app.state.server.lm)
    return lessons


async def run_lesson(request: Request, lesson: Callable, *args, on: str = "engine") -> dict:
    """The lesson in a worker thread, on the lessons' Engine, the served model ("model"), its
    config ("config"), its files ("files") or on its own ("alone"); its errors about the
    input become 400s."""
    lessons = lessons_of(request.app)
    run = {"engine": lessons.run, "model": lessons.run_on_model,
           "config": lessons.run_on_config, "files": lessons.run_on_files,
           "alone": lessons.run_alone}[on]
    try:
        return await asyncio.to_thread(run, lesson, *args)
    except (LmforgeError, ValueError) as e:
        raise bad_request(e) from e


@router.get("/lessons")
async def lessons():
    return {"strategies": [{"name": n, "settings": s} for n, s in STRATEGIES],
            "examples": EXAMPLES}


def lesson_route(path: str, body_type: type[BaseModel], lesson: str | Callable,
                 *fields: str | Callable, on: str = "engine") -> None:
    """POST /v1/learn{path}: the lesson run on `on` (run_lesson) with the body's `fields` as
    its arguments, in order (a name is the body's field, a function of the body computes
    one). `lesson` may be "module:function", imported on the first request, so that the
    training code loads only when a training lesson is asked for."""

    async def endpoint(body: body_type, request: Request):  # type: ignore[valid-type]
        args = [f(body) if callable(f) else getattr(body, f) for f in fields]
        return await run_lesson(request, resolve(lesson), *args, on=on)

    router.post(path, name=f"learn{path.replace('/', '_')}")(endpoint)


def resolve(lesson: str | Callable) -> Callable:
    if callable(lesson):
        return lesson
    module, _, name = lesson.partition(":")
    return getattr(importlib.import_module(module), name)


def chosen_strategies(body) -> list[tuple[str, dict]]:
    """The body's strategies as (name, settings), the course's eight when it names none."""
    if body.strategies is None:
        return STRATEGIES
    return [(s.name, s.settings) for s in body.strategies]


def grpo_tasks(body: "GrpoStepBody") -> list[dict]:
    from lmforge.learn.grpo_step import TASKS

    return TASKS if body.tasks is None else [t.model_dump() for t in body.tasks]


@router.post("/beam/start")
async def beam_start(body: BeamBody, request: Request):  # a search kept under a new id
    return await run_lesson(request, lessons_of(request.app).start_search, body.prompt,
                            body.beams, body.max_tokens, body.length_penalty)


@router.post("/beam/step")
async def beam_step(body: BeamStepBody, request: Request):
    return await run_lesson(request, lessons_of(request.app).step_search, body.search,
                            body.steps)


# lesson 1-3: the lessons' Engine
lesson_route("/next", NextBody, next_token, "prompt", "continuation", "top")
lesson_route("/strategies", StrategiesBody, compare_strategies, "prompt", chosen_strategies,
             "samples", "max_tokens", "seed", "top")
lesson_route("/kept", KeptBody, kept_sets, "prompt", chosen_strategies, "top")
lesson_route("/samples", SamplesBody, strategy_samples, "prompt", chosen_strategies,
             "samples", "max_tokens", "seed")
lesson_route("/beam", BeamBody, beam_tree, "prompt", "beams", "max_tokens", "length_penalty")
lesson_route("/greedy", GreedyBody, greedy_path, "prompt", "max_tokens", "length_penalty")
# lessons 4-9: one forward of the served model, its config, or its files loaded anew
lesson_route("/tokens", TokensBody, tokenization.tokenize_texts, "texts", on="model")
lesson_route("/attention", AttentionBody, attention.attention_lesson, "text", "layer",
             on="model")
lesson_route("/positions", PositionsBody, positions.positions_lesson, "n_positions",
             on="config")  # the model's head size and RoPE theta
lesson_route("/objectives", ObjectivesBody, "lmforge.learn.objectives:objectives_lesson",
             "text", "seed", on="model")
lesson_route("/objectives/train", FamiliesBody, "lmforge.learn.tiny_families:family_losses",
             "text", "seed", lambda body: None, "steps", on="alone")  # the lesson's corpus
lesson_route("/finetune", FinetuneBody, "lmforge.learn.finetuning:finetune_costs", "rank",
             "targets", "qlora_group_size", on="config")
lesson_route("/finetune/step", FinetuneStepBody, "lmforge.learn.finetune_step:measure_steps",
             "rank", "targets", "qlora_group_size", "tokens", "batch", on="files")
lesson_route("/quantization", QuantizationBody, quantization.quantization_costs, "text",
             "settings", on="files")
# lesson 10: a group on the lessons' Engine, a live step on the model's files
lesson_route("/grpo", GrpoBody, "lmforge.learn.rlhf:grpo_group", "question", "answer",
             "group_size", "max_tokens", lambda body: 1.0, "seed")  # temperature 1
lesson_route("/grpo/step", GrpoStepBody, "lmforge.learn.grpo_step:grpo_step", grpo_tasks,
             "group_size", "max_tokens", "rank", "lr", lambda body: 0.04, "seed",
             on="files")  # beta 0.04, as `lmforge grpo`
