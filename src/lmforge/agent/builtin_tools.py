"""The agent's built-in tools: calculator, Python sandbox, RAG search, files, date and time.

`make_tools("calculator,python,rag,files", db=..., root=...)` builds the named set; the date
and time tool is always included. Each is an ordinary typed, documented function turned into
a `Tool` by `tools.tool`, so user tools and built-ins look the same to the model.

- calculator: `calculator.calculate`, an AST walker, never `eval`.
- python: runs code in `lmforge.verify.sandbox.run_python` (a subprocess with time and memory
  limits and no network), shared with the verifiers.
- rag: hybrid search over an index made by `lmforge rag index`; returns numbered passages.
- files: reads a text file inside ONE allowed folder; paths that resolve outside it (`..`,
  absolute paths, symlinks) are refused.

Test: `pytest tests/agent/test_builtin_tools.py`.
"""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lmforge.agent.calculator import calculate
from lmforge.agent.tools import Tool, tool

TOOL_NAMES = ("calculator", "python", "rag", "files", "datetime")
MAX_FILE_CHARS = 20_000


def calculator_tool() -> Tool:
    def calculator(expression: str) -> str:
        """Evaluate an arithmetic expression exactly, e.g. '(17 + 25) * 3'.

        Args:
            expression: numbers with + - * / // % ** and parentheses
        """
        value = calculate(expression)
        return str(int(value) if isinstance(value, float) and value.is_integer() else value)
    return tool(calculator, timeout_s=5)


def python_tool(timeout_s: float = 10.0, memory_mb: int = 512) -> Tool:
    def python(code: str) -> str:
        """Run a Python program in a sandbox and return what it prints.

        Args:
            code: a complete Python program; print() the values you need
        """
        from lmforge.verify.sandbox import run_python

        result = run_python(code, timeout_s=timeout_s, memory_mb=memory_mb)
        out = result.stdout[-4000:]
        if result.status != "ok":
            return f"{result.status} (exit {result.returncode}): {result.stderr[-2000:]}{out}"
        return out or "(no output)"
    return tool(python, timeout_s=timeout_s + 5)


def rag_tool(db: str | Path, k: int = 3) -> Tool:
    from lmforge.rag.service import open_index

    store, retriever = open_index(db)  # fail now, not at the model's first call

    def search_documents(query: str) -> str:
        """Search the indexed documents and return the most relevant passages with sources.

        Args:
            query: what to look for, in words
        """
        hits = retriever.search(query, k=k)
        return "\n\n".join(f"[{n}] {h.source} · {h.position}\n{h.text[:800]}"
                           for n, h in enumerate(hits, 1)) or "no passages found"
    return tool(search_documents, timeout_s=60)


def files_tool(root: str | Path) -> Tool:
    root = Path(root).resolve()
    if not root.is_dir():
        raise ValueError(f"allowed folder {root} does not exist")

    def read_file(path: str) -> str:
        """Read a text file from the allowed folder.

        Args:
            path: the file's path relative to the allowed folder
        """
        target = (root / path).resolve()
        if not target.is_relative_to(root):
            raise PermissionError(f"{path!r} is outside the allowed folder {root}")
        if not target.is_file():
            raise FileNotFoundError(f"{path!r} is not a file in {root}")
        text = target.read_text(encoding="utf-8", errors="replace")
        return text[:MAX_FILE_CHARS] + ("\n[... truncated]" if len(text) > MAX_FILE_CHARS else "")
    return tool(read_file, timeout_s=10)


def datetime_tool() -> Tool:
    def current_datetime(timezone: str = "UTC") -> str:
        """The current date and time in ISO 8601, with the weekday.

        Args:
            timezone: an IANA time zone such as 'UTC', 'Europe/Paris' or 'Asia/Shanghai'
        """
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f"unknown time zone {timezone!r}") from e
        now = dt.datetime.now(zone)
        return f"{now.isoformat(timespec='seconds')} ({now.strftime('%A')})"
    return tool(current_datetime, timeout_s=5)


def make_tools(names: str | list[str], *, db: str | Path | None = None,
               root: str | Path | None = None) -> list[Tool]:
    """Built-in tools by name (comma-separated or a list), plus the date and time."""
    wanted = [n.strip() for n in (names.split(",") if isinstance(names, str) else names)
              if n.strip()]
    unknown = [n for n in wanted if n not in TOOL_NAMES]
    if unknown:
        raise ValueError(f"unknown tool(s) {', '.join(unknown)}; built-ins: "
                         f"{', '.join(TOOL_NAMES)}")
    tools = []
    for name in dict.fromkeys([*wanted, "datetime"]):
        if name == "calculator":
            tools.append(calculator_tool())
        elif name == "python":
            tools.append(python_tool())
        elif name == "rag":
            if db is None:
                raise ValueError("the rag tool needs an index: --db FILE.sqlite")
            tools.append(rag_tool(db))
        elif name == "files":
            tools.append(files_tool(root or Path.cwd()))
        else:
            tools.append(datetime_tool())
    return tools
