"""The embedded default corpus: the Python standard library's own documentation.

Every Python installation carries a few MB of English prose with no download: the help
topics behind `help("if")` (`pydoc_data.topics`) and the docstrings of the standard
library. That is enough text to train a small tokenizer and a toy language model offline,
which is what the from-scratch quickstart does.

Documents (deterministic order for a given Python version):
  1. one per pydoc help topic, sorted by topic name;
  2. one per module in `STDLIB_MODULES` (sorted): its docstring, then the docstrings of its
     public classes, functions and methods, each headed by its dotted name.

Run: `python -m lmforge.data.corpus out.txt` writes the corpus (documents separated by
blank lines) and prints its size.
"""

import importlib
import inspect
import sys
import warnings
from pathlib import Path
from types import ModuleType

from lmforge.atomic import write_text_atomic

# Modules that import in milliseconds with no side effects (no window, browser or easter
# egg: `antigravity`, `this`, `idlelib`, `tkinter`, `turtle` are left out on purpose).
# A fixed list, not a walk of the filesystem, so the corpus is the same on every machine
# running the same Python version.
_MODULE_NAMES = """
    abc argparse array ast asyncio.base_events asyncio.events asyncio.futures asyncio.locks
    asyncio.queues asyncio.streams asyncio.subprocess asyncio.tasks atexit base64 bdb
    binascii bisect builtins calendar cmath cmd code codecs codeop collections
    collections.abc colorsys compileall concurrent.futures concurrent.futures.process
    concurrent.futures.thread configparser contextlib contextvars copy copyreg csv
    dataclasses datetime decimal difflib dis doctest email email.charset
    email.contentmanager email.encoders email.errors email.feedparser email.generator
    email.header email.headerregistry email.iterators email.message email.parser
    email.policy email.utils enum errno filecmp fileinput fnmatch fractions ftplib
    functools gc getopt gettext glob graphlib gzip hashlib heapq hmac html html.parser
    http http.client http.cookiejar http.cookies http.server imaplib importlib
    importlib.abc importlib.metadata importlib.resources importlib.util inspect io
    ipaddress itertools json json.decoder json.encoder keyword linecache locale logging
    logging.config logging.handlers lzma mailbox marshal math mimetypes modulefinder
    multiprocessing multiprocessing.connection multiprocessing.managers
    multiprocessing.pool multiprocessing.process multiprocessing.queues
    multiprocessing.shared_memory multiprocessing.synchronize netrc numbers operator
    optparse os pathlib pdb pickle pickletools pkgutil platform plistlib poplib
    posixpath pprint profile pstats py_compile pyclbr pydoc queue quopri random re
    reprlib runpy sched secrets selectors shelve shlex shutil signal smtplib socket
    socketserver sqlite3 ssl stat statistics string struct subprocess symtable sys
    sysconfig tabnanny tarfile tempfile textwrap threading time timeit token tokenize
    tomllib trace traceback tracemalloc types typing unicodedata unittest unittest.case
    unittest.loader unittest.mock unittest.result unittest.runner unittest.suite
    urllib.error urllib.parse urllib.request urllib.response urllib.robotparser uuid
    warnings wave weakref wsgiref.handlers wsgiref.headers wsgiref.simple_server
    wsgiref.util wsgiref.validate xml.dom.minidom xml.dom.pulldom xml.etree.ElementTree
    xml.sax xml.sax.handler xml.sax.saxutils xml.sax.xmlreader xmlrpc.client
    xmlrpc.server zipapp zipfile zipimport zlib zoneinfo
"""
STDLIB_MODULES: tuple[str, ...] = tuple(sorted(_MODULE_NAMES.split()))

# Shorter docstrings are mostly "Return self==value." boilerplate, not prose.
MIN_DOCSTRING_CHARS = 40


def stdlib_docs_corpus() -> list[str]:
    """Return the embedded corpus as a list of documents (deterministic order)."""
    documents = _help_topics()
    # A docstring re-exported by several modules (os and posix, say) is kept once.
    seen: set[str] = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # some modules warn on import (deprecations)
        for name in STDLIB_MODULES:
            module = _import_or_none(name)
            text = _module_document(module, seen) if module is not None else ""
            if text:
                documents.append(text)
    return documents


def write_stdlib_corpus(path: str | Path) -> int:
    """Write the corpus to `path` (documents separated by a blank line); return its bytes."""
    text = "\n\n".join(stdlib_docs_corpus()) + "\n"
    write_text_atomic(path, text)
    return len(text.encode("utf-8"))


def _help_topics() -> list[str]:
    from pydoc_data.topics import topics

    return [topics[name].strip() for name in sorted(topics) if topics[name].strip()]


def _import_or_none(name: str) -> ModuleType | None:
    # Some builds lack optional modules (ssl, sqlite3, lzma); the rest of the corpus stands.
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _module_document(module: ModuleType, seen: set[str]) -> str:
    parts: list[str] = []
    _add(parts, seen, "", module.__doc__)
    for name, obj in sorted(vars(module).items()):
        if name.startswith("_") or not (inspect.isroutine(obj) or inspect.isclass(obj)):
            continue
        qualified = f"{module.__name__}.{name}"
        _add(parts, seen, qualified, obj.__doc__)
        if inspect.isclass(obj):
            for member_name, member in sorted(vars(obj).items()):
                if not member_name.startswith("_") and (
                    inspect.isroutine(member) or isinstance(member, property)
                ):
                    _add(parts, seen, f"{qualified}.{member_name}", member.__doc__)
    return "\n\n".join(parts)


def _add(parts: list[str], seen: set[str], title: str, doc: object) -> None:
    if not isinstance(doc, str):
        return
    doc = inspect.cleandoc(doc)
    if len(doc) < MIN_DOCSTRING_CHARS or doc in seen:
        return
    seen.add(doc)
    parts.append(f"{title}\n\n{doc}" if title else doc)


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "stdlib_docs.txt"
    size = write_stdlib_corpus(out)
    print(f"wrote {out}: {size / 1e6:.2f} MB")
