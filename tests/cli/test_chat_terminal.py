"""`lmforge chat` at a terminal (issue 24, item 4): after Ctrl-C no further token is printed,
and Ctrl-D at the prompt ends the prompt's line."""

import sys

from lmforge.cli import infer as cli_infer
from lmforge.infer import SamplingParams, StreamEvent
from lmforge.infer.chat_session import CANCELLED, ChatSession


class CtrlCDuringAStep:
    """Streams tokens <0>, <1>, ...; Ctrl-C comes while the model computes token 3, so the
    handler has set the flag before that token reaches the chat."""

    def __init__(self, pressed: list) -> None:
        self.pressed, self.tokenizer, self.max_seq_len = pressed, None, 64

    def stream(self, prompts, params):
        for token in range(10):
            if token == 3:
                self.pressed.append("SIGINT")
            yield StreamEvent("r0", token, f"<{token}>", None, False, None)


def test_no_token_is_printed_after_ctrl_c(capsys):
    pressed: list = []
    session = ChatSession(CtrlCDuringAStep(pressed), SamplingParams())
    reply = session.stream([0], cli_infer._write_until(lambda: bool(pressed)),
                           cancelled=lambda: bool(pressed))
    assert reply.stopped == CANCELLED
    assert capsys.readouterr().out == "<0><1><2>"


def test_ctrl_d_at_the_prompt_ends_its_line(monkeypatch, capsys):
    def end_of_input(prompt: str) -> str:
        sys.stdout.write(prompt)  # as input() does, then the terminal sends end-of-file
        raise EOFError

    monkeypatch.setattr("builtins.input", end_of_input)
    assert cli_infer._read_turn(interactive=True) is None
    assert capsys.readouterr().out == ">>> \n"
