"""Links to the official text of the course's references, and further resources for practitioners.

Why: readers of the book should reach the primary source in one click, and the address of an official
document follows from its reference: a UN document from its symbol (undocs.org), an EU act or a
Commission/joint communication from its CELEX number (EUR-Lex), a Council document from its number (the
Council's register), a Council of Europe treaty from its ETS/CETS number (the treaty office), an IETF RFC
from its number. :func:`official_url` applies these rules to an entry's key, title and note; entries that
match none (speeches, declarations, reports) carry no URL rather than a guessed one.
"""

from __future__ import annotations

import re
from typing import Callable

EURLEX = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{}"
_ACT_TYPE = {"Directive": "L", "Regulation": "R", "Decision": "D", "Recommendation": "H"}

#: Shown at the end of every topic page of the book: where practitioners go next (official sites).
FURTHER_RESOURCES: tuple[tuple[str, str, str], ...] = (
    (
        "Cyber Law Toolkit",
        "https://cyberlaw.ccdcoe.org",
        "hypothetical scenarios and how international law applies to them",
    ),
    (
        "UNIDIR Cyber Policy Portal",
        "https://cyberpolicyportal.org",
        "the cyber policies, strategies and institutions of States and organisations",
    ),
    (
        "Cybil Portal of the Global Forum on Cyber Expertise",
        "https://cybilportal.org",
        "capacity-building projects, tools and publications",
    ),
    (
        "EU Cyber Direct",
        "https://eucyberdirect.eu",
        "research and resources on EU cyber diplomacy and international cyber policy",
    ),
)


def _year(two_digits: str) -> int:
    year = int(two_digits)
    return 2000 + year if year < 50 else 1900 + year


#: How each kind of EU reference names its CELEX number: (pattern, CELEX from the match and the title).
_CELEX_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], str], str]], ...] = (
    (
        re.compile(
            r"\b(Directive|Regulation|Decision|Recommendation)\b[^()0-9]*\((?:EU|CFSP)\)\s*(?:No\s*)?(\d{4})/(\d+)"
        ),
        lambda m, _: f"3{m.group(2)}{_ACT_TYPE[m.group(1)]}{int(m.group(3)):04d}",
    ),
    (re.compile(r"\bDirective (\d{4})/(\d+)/EC\b"), lambda m, _: f"3{m.group(1)}L{int(m.group(2)):04d}"),
    (re.compile(r"\bRegulation \(EC\) No (\d+)/(\d{4})\b"), lambda m, _: f"3{m.group(2)}R{int(m.group(1)):04d}"),
    (re.compile(r"\bJOIN\((\d{4})\) (\d+)"), lambda m, _: f"5{m.group(1)}JC{int(m.group(2)):04d}"),
    (
        re.compile(r"\bCOM\((\d{4})\) (\d+)"),
        lambda m, title: f"5{m.group(1)}{'PC' if title.startswith('Proposal') else 'DC'}{int(m.group(2)):04d}",
    ),
    (re.compile(r"\bCase C-(\d+)/(\d{2})\b"), lambda m, _: f"6{_year(m.group(2))}CJ{int(m.group(1)):04d}"),
    (re.compile(r"\bCase T-(\d+)/(\d{2})\b"), lambda m, _: f"6{_year(m.group(2))}TJ{int(m.group(1)):04d}"),
)


def _celex(text: str, title: str) -> str | None:
    """The CELEX number of the EU act, communication or judgment a reference names, if it names one."""
    for pattern, celex in _CELEX_RULES:
        if m := pattern.search(text):
            return celex(m, title)
    return None


def official_url(key: str, title: str, note: str) -> str | None:
    """The address of a reference's official text, derived from its reference, or None."""
    text = f"{title} {note}"
    if key == "UN-Charter":
        return "https://www.un.org/en/about-us/un-charter/full-text"
    if key.startswith("UN-") and (m := re.search(r"\b((?:A|S|E)(?:/[A-Z]+)*/\d+/\d+)\b", note)):
        return f"https://undocs.org/{m.group(1)}"
    if celex := _celex(text, title):
        return EURLEX.format(celex)
    if m := re.search(r"\bCouncil document (\d+)/(\d{2})\b", note):
        return f"https://data.consilium.europa.eu/doc/document/ST-{m.group(1)}-20{m.group(2)}-INIT/en/pdf"
    if m := re.search(r"\b(?:CETS|ETS) No\. (\d+)", note):
        return f"https://www.coe.int/en/web/conventions/full-list?module=treaty-detail&treatynum={m.group(1)}"
    if m := re.search(r"\bRFC (\d+)\b", note):
        return f"https://www.rfc-editor.org/rfc/rfc{m.group(1)}"
    if m := re.search(r"https://[^\s,;]+", note):
        return m.group(0)
    return None


def bib_fields(entry: str) -> dict[str, str]:
    """The fields of one BibTeX entry (one level of braces inside a value is kept)."""
    return {k.lower(): v for k, v in re.findall(r"^\s*(\w+)\s*=\s*\{((?:[^{}]|\{[^{}]*\})*)\}", entry, re.MULTILINE)}


def further_resources_markdown() -> str:
    """The closing section of every topic page in the book."""
    items = "\n".join(f"- [{name}]({url}): {what}." for name, url, what in FURTHER_RESOURCES)
    return "## Further resources for practitioners\n\n" + items + "\n"
