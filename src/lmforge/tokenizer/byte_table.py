"""GPT-2's byte <-> printable-character table, used by byte-level BPE vocabularies.

Byte-level BPE stores each byte as a printable character (space 0x20 -> 'Ġ', newline ->
'Ċ', other unprintable bytes shifted past 255), so the vocabulary is plain text; reversing
the table gives each token's raw bytes (Radford et al., 2019, the GPT-2 encoder).
"""

from functools import lru_cache


@lru_cache(maxsize=1)
def byte_to_unicode() -> dict[int, str]:
    printable = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
                 + list(range(ord("®"), ord("ÿ") + 1)))
    table, extra = {}, 0
    for b in range(256):
        if b in printable:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


@lru_cache(maxsize=1)
def unicode_to_byte() -> dict[str, int]:
    return {ch: b for b, ch in byte_to_unicode().items()}
