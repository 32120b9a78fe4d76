"""The surface of an option's wording: the cues a test-wise reader sees without understanding a word.

Why it exists: a participant who knows nothing of cyber diplomacy can still pass a quiz whose keys are
"the measured, collective middle way" and whose distractors say "at once", "never" or "whatever their
effects". The tone markers below name those cues so that :mod:`coursekit.analysis.cue_picker` can try to
win on them and :mod:`coursekit.analysis.clones` can compare texts by their content words. The same
lexicon is applied to keys and distractors alike, so a marker counts as a cue only when it is spread
unevenly between them.

Matching is on lower-cased text with word boundaries; the stemmer is a small suffix stripper (enough to
make "agreed"/"agree" or "centres"/"centre" one word), kept here so that the measure needs no extra
dependency and gives the same result everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: Absolute words and deadlines: what a test-wise reader learns to avoid.
ABSOLUTE: tuple[str, ...] = (
    r"never",
    r"always",
    r"at once",
    r"immediate(ly)?",
    r"automatic(ally)?",
    r"within \d+ (hours?|days?)",
    r"within (a|one) (day|week)",
    r"whatever",
    r"however \w+",
    r"all",
    r"only",
    r"any",
    r"every(one|thing)?",
    r"entirely",
    r"fully",
    r"straight away",
    r"right away",
    r"today",
    r"cannot",
    r"must",
    r"on (its|your|their|our) own",
    r"unilateral(ly)?",
    r"from day one",
    r"no (one|state|weapon)",
    r"quickly",
    r"already",
    r"whole",
    r"completely",
)
#: Escalatory verbs and acts: loud, unilateral or coercive courses of action.
EXTREME: tuple[str, ...] = (
    r"demand(s|ed)?",
    r"condemn(s|ed|ing)?",
    r"accus(e|es|ed|ing)",
    r"ban(s|ned)?",
    r"forbid(s|ding)?",
    r"retaliat\w*",
    r"hack(ing)? back",
    r"countermeasures?",
    r"sanctions?",
    r"restrictive measures",
    r"expel\w*",
    r"suspend\w*",
    r"armed attack",
    r"use of force",
    r"collective defence",
    r"publicly",
    r"public(ly)? (attribut\w*|nam\w*)",
    r"name (state|country) \w+",
    r"table \w* ?(a|an) \w* ?resolution",
    r"enter(s|ing)? \w+",
    r"guarantee",
    r"insist\w*",
    r"reject\w*",
    r"threat(en)?\w*",
    r"punish\w*",
    r"deter\w*",
)
#: Doing nothing or waiting: the passive extreme opposite the loud one.
PASSIVE: tuple[str, ...] = (
    r"nothing",
    r"say nothing",
    r"no (public )?(step|action|statement|text|comment)",
    r"take no",
    r"wait(ing)? (until|for)",
    r"leave it to",
    r"no \w+ yet",
    r"rarely",
    r"until (the facts|every)",
    r"close the",
    r"not (to )?(comment|act|respond)",
)
#: The cautious, collective, private-first and sequenced middle way, as its wording shows it.
CAUTIOUS: tuple[str, ...] = (
    r"with (the )?(partners?|allies|others?|other governments|the two partners)",
    r"partners?",
    r"allies",
    r"together",
    r"joint(ly)?",
    r"collective(ly)?",
    r"shared?",
    r"(through|via|in) (the )?(agreed|diplomatic|existing|established|official) (channels?|points? of contact|dialogue)",
    r"agreed",
    r"channels?",
    r"points? of contact",
    r"dialogue",
    r"consult\w*",
    r"consensus",
    r"cooperat\w*",
    r"coordinat\w*",
    r"private(ly)?",
    r"quiet(ly)?",
    r"first",
    r"then",
    r"meanwhile",
    r"before",
    r"step by step",
    r"proportionate",
    r"evidence",
    r"facts?",
    r"case by case",
    r"weigh\w*",
    r"assess\w*",
    r"explain\w*",
    r"offer\w*",
    r"invite\w*",
    r"keep (watching|informed|talking)",
    r"agree\w*",
    r"talk\w*",
    r"meet\w*",
    r"hear\w*",
    r"listen\w*",
    r"concerns",
    r"raise (it|the matter)",
    r"urg(e|es|ing)",
    r"solidarity",
    r"in line with",
    r"support\w*",
)
#: Hedges: qualified, modest claims.
HEDGE: tuple[str, ...] = (
    r"may",
    r"might",
    r"could",
    r"can",
    r"usually",
    r"often",
    r"some",
    r"likely",
    r"in general",
    r"partly",
    r"mainly",
    r"largely",
    r"where",
    r"if",
)

MARKERS: dict[str, tuple[str, ...]] = {
    "absolute": ABSOLUTE,
    "extreme": EXTREME,
    "passive": PASSIVE,
    "cautious": CAUTIOUS,
    "hedge": HEDGE,
}
_PATTERNS = {name: [re.compile(rf"\b(?:{p})\b") for p in pats] for name, pats in MARKERS.items()}

_WORD = re.compile(r"[a-z0-9][a-z0-9'’-]*")
STOPWORDS: frozenset[str] = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers him his how i if in into is it its itself just me more most my no nor not now of off on
    once only or other our ours out over own same she should so some such than that the their theirs them
    then there these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours one two three also may might must shall upon whose
    s d which it's b c x y z q""".split()
)
_SUFFIXES = (
    "ational",
    "ations",
    "ation",
    "ments",
    "ment",
    "ness",
    "ings",
    "ing",
    "edly",
    "ies",
    "ied",
    "ed",
    "es",
    "ly",
    "s",
)


def marker_counts(text: str) -> dict[str, int]:
    """How many patterns of each marker class occur in ``text`` (each pattern counts once)."""
    low = " ".join(text.lower().replace("’", "'").split())
    return {name: sum(1 for p in pats if p.search(low)) for name, pats in _PATTERNS.items()}


@dataclass(frozen=True)
class Tone:
    """The markers of one option, and whether it reads as the cautious middle way."""

    counts: dict[str, int]

    @property
    def loud(self) -> int:
        return self.counts["absolute"] + self.counts["extreme"]

    @property
    def measured(self) -> int:
        """Cautious markers minus absolute, escalatory and passive ones: how measured the wording reads."""
        return self.counts["cautious"] - self.loud - self.counts["passive"]

    @property
    def cautious(self) -> bool:
        """Measured, collective, private-first or sequenced wording, with no absolute or escalatory marker."""
        return self.counts["cautious"] > 0 and self.loud == 0 and self.counts["passive"] == 0


def tone(text: str) -> Tone:
    """The :class:`Tone` of ``text``."""
    return Tone(marker_counts(text))


def stem(word: str) -> str:
    """A crude stem: one common English suffix, or else a final "e", removed, so that inflections meet
    ("agreed" and "agree", "centres" and "centre", "hosting" and "hosted")."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def words(text: str) -> list[str]:
    """The lower-cased words of ``text`` (letters, digits, inner apostrophes and hyphens)."""
    return _WORD.findall(text.lower().replace("’", "'"))


def content_stems(text: str) -> list[str]:
    """The stems of ``text``'s content words, in order (stop words and possessive endings dropped)."""
    found = []
    for w in words(text):
        w = w.removesuffix("'s").strip("'-")
        if w and w not in STOPWORDS and not w.isdigit():
            found.append(stem(w))
    return found


def overlap(a: Iterable[str], b: Iterable[str]) -> float:
    """Jaccard overlap of two collections of stems (0 when both are empty)."""
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0
