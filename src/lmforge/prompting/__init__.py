"""Prompting, measured: templates, few-shot, chain of thought, self-consistency, tree of
thoughts, each one module, all through one counted model interface (completer.py).

    from lmforge.prompting import EngineCompleter, Settings, evaluate
    report = evaluate(EngineCompleter(engine), "word_problems", Settings("cot"), limit=50)

ReAct runs through the agent (agent/loop.py; `lmforge prompt ask --technique react`).
Measured on the bundled model in docs/prompting.md (benchmarks/bench_prompting.py).
"""

from lmforge.prompting.completer import EngineCompleter, Sampling, ScriptedCompleter
from lmforge.prompting.evaluate import TECHNIQUES, Settings, bootstrap_ci, evaluate, solve
from lmforge.prompting.templates import PromptTemplate, load_template

__all__ = ["TECHNIQUES", "EngineCompleter", "PromptTemplate", "Sampling", "ScriptedCompleter",
           "Settings", "bootstrap_ci", "evaluate", "load_template", "solve"]
