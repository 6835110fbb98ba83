"""Chain-of-thought prompting: ask for the working before the answer, then read the answer.

Zero-shot CoT (Kojima et al., 2022, "Large Language Models are Zero-Shot Reasoners") adds
a trigger to the question; the model writes its reasoning and ends with the answer, which
`tasks.parse_answer` reads back ("The answer is 8", a letter, an expression). The trigger
is the evaluation chapter's (`Task.cot_trigger`, "Let's think step by step."), in Chinese
for Chinese questions. Replies get more room than a direct answer (`COT_TOKENS`).

    conversation = cot_conversation(problem)       # question + trigger + how to end
    answer = parse_answer(problem, reply)
Test: `pytest tests/prompting/test_chain_of_thought.py`.
"""

from lmforge.prompting.completer import Conversation
from lmforge.prompting.tasks import Problem

TRIGGER = {"en": "Let's think step by step.", "zh": "让我们一步一步地思考。"}
END = {"en": "Then end with: The answer is X.", "zh": "最后写：答案是X。"}
COT_TOKENS = 96  # room for the working; a direct answer gets DIRECT_TOKENS
DIRECT_TOKENS = 32


def cot_question(problem: Problem) -> str:
    """The question with the trigger (and, where the task does not say how to end, how)."""
    lang = problem.language
    end = "" if problem.kind == "number" else f" {END[lang]}" if problem.kind == "choice" \
        else " Then write the expression on its own line."
    return f"{problem.question}\n{TRIGGER[lang]}{end}"


def cot_conversation(problem: Problem) -> Conversation:
    return [{"role": "user", "content": cot_question(problem)}]
