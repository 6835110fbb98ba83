"""Chat and Alpaca records -> token ids + a loss mask that is True on assistant tokens only.

The text comes from the model's own chat template (tokenizer.render_chat), so fine-tuning
sees exactly the markers generation will use. For each assistant turn k we render

    prompt_k = template(messages[:k], add_generation_prompt=True)   ... <|im_start|>assistant\\n
    full_k   = template(messages[:k+1])                              ... reply<|im_end|>\\n

and the reply is full_k minus prompt_k. The conversation is tokenized piece by piece at these
boundaries: the prompt pieces exactly as `encode_chat` makes a generation prompt, the reply
pieces as the model will produce them after it. The loss mask covers the reply and its
end-of-turn marker (the model must learn to stop), not the whitespace the template adds
after it, nor any system/user text.

    ids    <|im_start|>user\\nHi<|im_end|>\\n<|im_start|>assistant\\n Hello !<|im_end|> \\n
    mask   0           0    0  0         0  0                     1 1     1 1         0  0

Alpaca {"instruction", "input", "output"} becomes a user turn (instruction, then the input
after a blank line) and an assistant turn.

Test: `pytest tests/data/test_finetune_data.py -k chat`.
"""

from lmforge.errors import ConfigError, DataError

ROLES = ("system", "user", "assistant", "tool")


def alpaca_to_messages(record: dict) -> list[dict]:
    user = record["instruction"]
    if record.get("input"):
        user = f"{user}\n\n{record['input']}"
    return [{"role": "user", "content": user}, {"role": "assistant", "content": record["output"]}]


def record_messages(record: dict, kind: str) -> list[dict]:
    return alpaca_to_messages(record) if kind == "alpaca" else record["messages"]


def check_messages(messages: list, where: str) -> None:
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            raise DataError(f"{where}: message {i} needs a role in {ROLES}")
        if not isinstance(message.get("content"), str):
            raise DataError(f"{where}: message {i} ({message['role']}) needs string 'content'")
    if not any(m["role"] == "assistant" for m in messages):
        raise DataError(f"{where}: messages have no assistant turn (nothing to learn from)")


def render_with_mask(tokenizer, messages: list[dict], where: str = "") -> tuple[list[int],
                                                                                list[bool]]:
    """(ids, mask): the conversation tokenized with the chat template; mask marks reply tokens."""
    check_messages(messages, where)
    pieces: list[tuple[str, bool]] = []  # (text, is_reply) in order
    done = ""  # text already emitted
    for k, message in enumerate(messages):
        if message["role"] != "assistant":
            continue
        prompt = _render(tokenizer, messages[:k], True, where)
        full = _render(tokenizer, messages[: k + 1], False, where)
        if not prompt.startswith(done) or not full.startswith(prompt):
            raise ConfigError(f"{where}: the chat template does not render conversations "
                              "as growing prefixes, so assistant turns cannot be located")
        reply = full[len(prompt):]
        kept = reply.rstrip()  # the end-of-turn marker is learned, trailing newlines are not
        pieces += [(prompt[len(done):], False), (kept, True), (reply[len(kept):], False)]
        done = full
    ids: list[int] = []
    mask: list[bool] = []
    for text, is_reply in pieces:
        if not text:
            continue
        piece = tokenizer.encode(text)  # special-token strings in the template become ids
        ids += piece
        mask += [is_reply] * len(piece)
    if tokenizer.add_bos and tokenizer.bos_id is not None and ids[:1] != [tokenizer.bos_id]:
        ids, mask = [tokenizer.bos_id, *ids], [False, *mask]
    return ids, mask


def _render(tokenizer, messages: list[dict], generation_prompt: bool, where: str) -> str:
    if not messages:  # some templates insist on at least one message
        return ""
    try:
        return tokenizer.render_chat(messages, add_generation_prompt=generation_prompt)
    except ConfigError as e:
        raise DataError(f"{where}: {e}") from None


def prompt_messages(prompt) -> list[dict]:
    """A preference/RL prompt: a string (one user turn) or a list of messages."""
    if isinstance(prompt, str):
        return [{"role": "user", "content": prompt}]
    return list(prompt)
