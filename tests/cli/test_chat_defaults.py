"""The READMEs' honesty about the bundled English model (issue 13, item 6); the chat loop
guard's own test is in tests/infer/test_chat_session.py."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_readmes_say_the_bundled_model_is_english():
    english = (REPO / "README.md").read_text(encoding="utf-8")
    chinese = (REPO / "README.zh-CN.md").read_text(encoding="utf-8")
    assert "**English** model" in english
    assert "SmolLM2-135M-Instruct 是英文模型" in chinese
    assert "concepts.zh-CN.md" in chinese and (REPO / "docs" / "concepts.zh-CN.md").is_file()


def test_no_chinese_prompts_for_the_english_model():
    """A Chinese prompt to the bundled SmolLM2 repeated the question or gave U+FFFD; Chinese
    stays only where it shows something true (tokenize, a model trained on Chinese text)."""
    for readme in ("README.md", "README.zh-CN.md"):
        text = (REPO / readme).read_text(encoding="utf-8")
        for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
            for line in block.splitlines():
                command = line.split("  #")[0]
                if re.search(r"lmforge (chat|generate)", command) and CJK.search(command):
                    assert "--model runs/" in command, f"{readme}: {line}"
