"""Text helpers of the Markdown reports (:mod:`normsim.report`): numbers, counts, tables, the
scenario file's header comment, and the error of the report."""

from __future__ import annotations

import math

from ._errors import NormsimDataError

VERDICT_MARK = {"holds": "✅ holds", "fails": "❌ fails", "inconclusive": "❔ inconclusive"}


class ReportError(NormsimDataError):
    """Input the report cannot be written from (names the file and what is missing)."""


# -- small formatting helpers ------------------------------------------------------------------
def fmt_num(x, digits: int = 4) -> str:
    """A number for a table: 4 significant digits, '—' for NaN, '∞' for inf."""
    if x is None:
        return "—"
    x = float(x)
    if math.isnan(x):
        return "—"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    if 1e3 <= abs(x) < 1e7:  # 4 significant digits, written out: 20 290 rather than 2.029e+04
        r = round(x, digits - 1 - int(math.floor(math.log10(abs(x)))))
        return f"{r:,.0f}".replace(",", " ").replace("-", "−")
    if abs(x) >= 1e7 or abs(x) < 1e-3:
        return f"{x:.{digits - 1}e}".replace("-", "−")
    return f"{x:.{digits}g}".replace("-", "−")


def fmt_count(x) -> str:
    x = float(x)
    if math.isnan(x):
        return "—"
    if math.isinf(x):
        return "∞ (not decidable)"
    return f"{int(round(x)):,}".replace(",", " ")


def md_escape(text: str) -> str:
    """Text for a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def fmt_seconds(s: float) -> str:
    if not math.isfinite(s):
        return "unknown"
    if s < 90:
        return f"{s:.1f} s"
    return f"{s / 60:.1f} min ({s:.0f} s)"


def table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(md_escape(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


# -- the scenario file's header ----------------------------------------------------------------
def read_header(path: str) -> tuple[str, list[str]]:
    """The scenario file's leading comment: (title = its first paragraph, the other lines)."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as err:
        raise ReportError(f"{path}: cannot read the scenario file ({err.strerror})") from None
    header = []
    for line in lines:
        if line.startswith("#"):
            header.append(line[2:] if line[1:2] == " " else line[1:])
        elif line.strip() == "" and not header:
            continue
        else:
            break
    if not header or not header[0].strip():
        raise ReportError(f"{path}: the scenario file has no header comment (the argument's text)")
    end = next((i for i, l in enumerate(header) if not l.strip()), len(header))
    return " ".join(l.strip() for l in header[:end]), header[end:]


def header_markdown(lines: list[str]) -> str:
    """The header comment as Markdown: prose lines joined into paragraphs; indented lines (lists,
    aligned tables, continued commands) and command lines ("Run:") kept verbatim in text blocks."""
    blocks = []  # (verbatim?, lines)
    for line in lines:
        line = line.rstrip()
        if not line.strip():
            blocks.append((False, []))
            continue
        verbatim = line.startswith("  ") or line.startswith("Run:")
        if blocks and blocks[-1][0] == verbatim and (blocks[-1][1] or verbatim):
            blocks[-1][1].append(line)
        else:
            blocks.append((verbatim, [line]))
    out = []
    for verbatim, block in blocks:
        if not block:
            continue
        if verbatim:
            out.append("```text\n" + "\n".join(block) + "\n```")
        else:
            out.append(" ".join(l.strip() for l in block))
    return "\n\n".join(out)



def json_num(x):
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x



def json_value(x):
    if x is None:
        return float("nan")
    if x == "inf":
        return float("inf")
    if x == "-inf":
        return float("-inf")
    return float(x)

