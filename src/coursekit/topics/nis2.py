"""Is an entity essential, important or out of scope under NIS2? A teaching classifier for topic 8.

The classifier applies the two tests the course teaches, and explains each step in plain English:

1. **Sector.** Is the entity in a sector of Annex I (high criticality) or Annex II (other critical sectors)
   of Directive (EU) 2022/2555? The sectors are read from the course table ``nis2_sectors`` so the
   classifier and the data appendix can never disagree.
2. **Size**, by Commission Recommendation 2003/361/EC: an enterprise is *medium-sized or larger* with at
   least 50 employees, or with an annual turnover above EUR 10 million *and* a balance sheet total above
   EUR 10 million; it is *large* with at least 250 employees, or with a turnover above EUR 50 million *and*
   a balance sheet total above EUR 43 million.

Then, following NIS2 Art. 3: large entities in Annex I sectors are **essential**; the other Annex I and
Annex II entities of medium size and above are **important**; smaller entities are **out of scope** unless
one of the size-independent cases applies. Those cases make an entity essential regardless of size:
qualified trust service providers, top-level domain name registries, DNS service providers, public
administration entities of central government, and critical entities identified under the CER Directive
(EU) 2022/2557.

What it leaves out, on purpose: the Recommendation's rules for partner and linked enterprises, the other
size-independent cases of the Directive that the course does not cover, and Member States' own choices
(for example designating further entities). It is a teaching aid, not legal advice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

__all__ = ["SPECIAL_TYPES", "Classification", "classify", "sectors", "size_class", "subsectors"]

Category = Literal["essential", "important", "out of scope"]
SizeClass = Literal["micro or small", "medium", "large"]

#: The size-independent cases the course covers, each with the sentence that explains it (NIS2 Art. 3).
SPECIAL_TYPES: dict[str, str] = {
    "qualified trust service provider": (
        "Under NIS2 Art. 3, qualified trust service providers are essential entities regardless of their size."
    ),
    "top-level domain name registry": (
        "Under NIS2 Art. 3, top-level domain name registries are essential entities regardless of their size."
    ),
    "DNS service provider": (
        "Under NIS2 Art. 3, DNS service providers are essential entities regardless of their size."
    ),
    "central government public administration": (
        "Under NIS2 Art. 3, public administration entities of central government are essential entities "
        "regardless of their size."
    ),
    "CER critical entity": (
        "Entities identified as critical entities under the CER Directive (EU) 2022/2557 are essential entities "
        "under NIS2 Art. 3, regardless of their size."
    ),
}

_ANNEX_NAMES = {"I": "Annex I (sectors of high criticality)", "II": "Annex II (other critical sectors)"}


@dataclass(frozen=True)
class Classification:
    """The outcome and the reasoning behind it.

    ``reasons`` are full sentences, in the order the tests were applied, each naming the NIS2 article or
    annex (or the Recommendation) it rests on, so a participant can check every step.
    """

    category: Category
    reasons: list[str] = field(default_factory=list)
    annex: Literal["I", "II"] | None = None
    size: SizeClass | None = None


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], ...]:
    from ..data import datasets  # standard-library reader: no pandas needed

    return tuple(datasets.rows("nis2_sectors"))


def sectors() -> list[str]:
    """The NIS2 sectors, Annex I first and then Annex II, each in the order of the course table."""
    seen: dict[str, None] = {}
    for row in _table():
        seen.setdefault(row["sector"], None)
    return list(seen)


def subsectors(sector: str) -> list[str]:
    """The subsectors the course lists for ``sector`` (empty for sectors it does not split)."""
    wanted = _norm(sector)
    return [r["subsector"] for r in _table() if _norm(r["sector"]) == wanted and r["subsector"]]


def _sector_rows(sector: str) -> list[dict[str, str]]:
    wanted = _norm(sector)
    found = [r for r in _table() if _norm(r["sector"]) == wanted]
    if not found:
        raise ValueError(f"Unknown NIS2 sector {sector!r}. Known sectors: {'; '.join(sectors())}.")
    return found


def _check_amount(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}.")
    if math.isnan(value) or math.isinf(value) or value < 0:
        raise ValueError(f"{name} must be a finite number of zero or more, not {value!r}.")
    return float(value)


def size_class(employees: int, turnover_eur_m: float, balance_sheet_eur_m: float) -> SizeClass:
    """Size class under Commission Recommendation 2003/361/EC, from headcount and the two financial ceilings.

    Amounts are in millions of euro. "Above" is strict: a turnover of exactly EUR 50 million does not make an
    enterprise large.
    """
    if isinstance(employees, bool) or not isinstance(employees, int):
        raise TypeError(f"employees must be a whole number, not {type(employees).__name__}.")
    if employees < 0:
        raise ValueError(f"employees must be zero or more, not {employees}.")
    turnover = _check_amount("turnover_eur_m", turnover_eur_m)
    balance = _check_amount("balance_sheet_eur_m", balance_sheet_eur_m)
    if employees >= 250 or (turnover > 50 and balance > 43):
        return "large"
    if employees >= 50 or (turnover > 10 and balance > 10):
        return "medium"
    return "micro or small"


def _size_reason(size: SizeClass, employees: int, turnover: float, balance: float) -> str:
    figures = f"{employees} employees, turnover EUR {turnover:g} million, balance sheet EUR {balance:g} million"
    if size == "large":
        return (
            f"With {figures}, the entity is large under Commission Recommendation 2003/361/EC "
            "(at least 250 employees, or turnover above EUR 50 million and balance sheet above EUR 43 million)."
        )
    if size == "medium":
        return (
            f"With {figures}, the entity is medium-sized under Commission Recommendation 2003/361/EC "
            "(at least 50 employees, or turnover and balance sheet both above EUR 10 million, "
            "but below the thresholds for a large enterprise)."
        )
    return (
        f"With {figures}, the entity is micro or small under Commission Recommendation 2003/361/EC "
        "(fewer than 50 employees, and turnover or balance sheet of EUR 10 million or less)."
    )


def classify(
    sector: str,
    subsector: str | None,
    employees: int,
    turnover_eur_m: float,
    balance_sheet_eur_m: float,
    special_type: str | None = None,
) -> Classification:
    """Classify an entity as ``"essential"``, ``"important"`` or ``"out of scope"`` under NIS2.

    ``sector`` is one of :func:`sectors` (case and extra spaces do not matter). ``subsector`` is checked
    against :func:`subsectors` when the course lists subsectors for that sector, and otherwise only repeated
    in the explanation. Amounts are in millions of euro. ``special_type`` is one of :data:`SPECIAL_TYPES` or
    ``None``.

    Raises ``ValueError`` for an unknown sector, subsector or special type (the message lists the known
    ones), for a special type that cannot apply to the sector (central government outside public
    administration, a CER critical entity outside the CER sectors), and for negative sizes.
    """
    rows = _sector_rows(sector)
    annex = rows[0]["annex"]
    sector_name = rows[0]["sector"]

    if subsector is not None and subsector.strip():
        listed = subsectors(sector_name)
        if listed and _norm(subsector) not in {_norm(s) for s in listed}:
            raise ValueError(
                f"Unknown subsector {subsector!r} for the sector {sector_name!r}. Known subsectors: {'; '.join(listed)}."
            )

    special: str | None = None
    if special_type is not None:
        matches = [k for k in SPECIAL_TYPES if _norm(k) == _norm(special_type)]
        if not matches:
            raise ValueError(
                f"Unknown special type {special_type!r}. The size-independent cases the course covers are: "
                f"{'; '.join(SPECIAL_TYPES)}."
            )
        special = matches[0]
        if special == "central government public administration" and sector_name != "public administration":
            raise ValueError(
                "A central government public administration entity belongs to the sector 'public administration'."
            )
        if special == "CER critical entity" and not any(r["in_cer"] == "true" for r in rows):
            cer = [s for s in sectors() if any(r["in_cer"] == "true" for r in _sector_rows(s))]
            raise ValueError(
                f"The sector {sector_name!r} is not one of the CER Directive's sectors, so it has no CER critical "
                f"entities. CER sectors: {'; '.join(cer)}."
            )

    size = size_class(employees, turnover_eur_m, balance_sheet_eur_m)
    where = f"{sector_name} ({subsector.strip()})" if subsector and subsector.strip() else sector_name
    reasons = [
        f"The sector {where} is listed in {_ANNEX_NAMES[annex]} of the NIS2 Directive (EU) 2022/2555.",
        _size_reason(size, employees, float(turnover_eur_m), float(balance_sheet_eur_m)),
    ]

    if special is not None:
        reasons.append(SPECIAL_TYPES[special])
        return Classification("essential", reasons, annex, size)

    if annex == "I" and size == "large":
        reasons.append("Under NIS2 Art. 3, large entities in Annex I sectors are essential entities.")
        return Classification("essential", reasons, annex, size)
    if size in ("medium", "large"):
        if annex == "I":
            reasons.append(
                "Under NIS2 Art. 3, Annex I entities of medium size that are not essential are important entities."
            )
        else:
            reasons.append(
                "Under NIS2 Art. 3, medium-sized and large entities in Annex II sectors are important entities; "
                "Annex II entities are never essential on size alone."
            )
        return Classification("important", reasons, annex, size)

    reasons.append(
        "NIS2 covers entities of its Annex I and Annex II sectors from medium size upwards; a micro or small "
        "entity is out of scope unless one of the size-independent cases of Art. 3 applies, and none was given."
    )
    return Classification("out of scope", reasons, annex, size)
