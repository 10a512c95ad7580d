"""Write `variants.tsv`: one English sentence for every listed variant of the house glossary.

Deterministic: the same glossary gives the same file, byte for byte. Run it after the
glossary's variants change, and review the diff like any other data change:

    .venv/bin/python -m tests.glossary_accuracy.make_cases

Each variant goes into a short news sentence chosen by the entry's kind, cycling through
three positions: inside a sentence, at its start, and before a possessive 's. A variant
written in lower case ("al-Hawl", "el-Hol") is capitalised at a sentence start, as a
draft writes it ("Al-Hawl", "El-Hol"). The sentences name nothing else from the glossary,
so the one expected finding is the variant, replaced by the canonical spelling as it is
written at that place ("Al-" at a sentence start, "al-" inside one).

Entries scoped with `only_with_arabic` apply only when the Arabic has one of those forms,
so their cases carry a short Arabic sentence with the first of them.

The expected suggestion is worked out here, from the position, without desk's own
casing code, so that the test compares enforcement with an independent answer.
"""

from __future__ import annotations

from pathlib import Path

from desk.core.glossary.model import Entry, Kind, load_folder

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = HERE / "variants.tsv"
HEADER = ("id", "group", "tags", "arabic", "english", "expected", "note")

POSITIONS = ("mid", "start", "poss")
TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "place": {
        "mid": (
            "Shelling hit the outskirts of {v} on Tuesday, local sources said.",
            "Families displaced from {v} reached the camps near the border overnight.",
            "A convoy of aid trucks arrived in {v} on Sunday afternoon.",
        ),
        "start": (
            "{v} was quiet on Wednesday after a night of heavy shelling.",
            "{v} has been without electricity for three days, residents said.",
        ),
        "poss": (
            "Residents said {v}'s main bakery had reopened on Monday.",
            "Water returned to {v}'s eastern districts on Thursday evening.",
        ),
    },
    "person": {
        "mid": (
            "In a statement on Monday, {v} said the talks had stalled.",
            "Local media quoted {v} as saying that the road would reopen soon.",
        ),
        "start": (
            "{v} told reporters that the convoy had been delayed at the checkpoint.",
            "{v} said on Saturday that the negotiations would resume next month.",
        ),
        "poss": (
            "A spokesman said {v}'s remarks had been taken out of context.",
            "Activists circulated a recording of {v}'s speech on Friday.",
        ),
    },
    "organisation": {
        "mid": (
            "Fighters of {the}{v} attacked the position overnight, activists said.",
            "A statement from {the}{v} denied any role in the attack.",
        ),
        "start": (
            "{The}{v} said in a statement that the crossing would stay open.",
            "{The}{v} announced on Thursday that it had opened two new offices.",
        ),
        "poss": (
            "Local sources said {the}{v}'s offices in the town were closed on Monday.",
            "Activists doubted {the}{v}'s figures for the wounded.",
        ),
    },
    "other": {
        "mid": ("Turkish forces said Operation {v} had reached its goals.",),
        "start": ("{v} began in the early hours of the morning, the Turkish army said.",),
        "poss": ("Operation {v}'s first phase lasted three weeks.",),
    },
}
# Organisations named by an English common noun take "the" ("the Free Syrian Army").
_ARTICLE_WORDS = frozenset(
    [
        "front",
        "army",
        "forces",
        "units",
        "party",
        "council",
        "coalition",
        "government",
        "commission",
        "committee",
        "observatory",
        "network",
        "association",
        "crescent",
        "society",
        "programme",
        "organization",
        "organisation",
        "bank",
        "directorate",
        "university",
        "division",
        "centre",
        "administration",
        "syndicate",
        "team",
        "coordinators",
        "helmets",
        "defence",
    ]
)
_ARABIC_TEMPLATE = "وقال ناشطون إن القصف طال {form} صباح اليوم."


def takes_article(entry: Entry) -> bool:
    """Whether an organisation's name reads with "the" in running text."""
    return entry.kind is Kind.ORGANISATION and any(
        word.lower() in _ARTICLE_WORDS for word in entry.canonical.split()
    )


def capitalised(text: str) -> str:
    """`text` with its first letter upper-case."""
    return text[:1].upper() + text[1:]


def written_as(canonical: str, start: bool) -> str:
    """The canonical as the desk writes it at this place (independent of desk's code)."""
    if not start:
        return canonical
    if canonical.startswith("al-"):
        return "Al-" + canonical[3:]
    return capitalised(canonical)


def cases() -> list[tuple[str, ...]]:
    """One row per listed variant of the shipped glossary, in glossary order."""
    glossary = load_folder(ROOT / "glossaries")
    rows: list[tuple[str, ...]] = []
    number = 0
    for entry in glossary.entries:
        kind = entry.kind.value
        for variant in entry.variants:
            position = POSITIONS[number % 3]
            choices = TEMPLATES[kind][position]
            template = choices[(number // 3) % len(choices)]
            the = "the " if takes_article(entry) else ""
            start = template.startswith("{v}") or (template.startswith("{The}") and not the)
            shown = capitalised(variant) if start else variant
            if entry.kind is Kind.ORGANISATION and variant.endswith("s"):
                # "the Syrian Democratic Forces' statement", not "Forces's".
                template = template.replace("{v}'s", "{v}'")
            english = template.format(v=shown, the=the, The=capitalised(the))
            suggestion = written_as(entry.canonical, start)
            tags = [position if start or position != "start" else "mid", kind]
            if shown != variant:
                tags.append("start-cap")
            if " " in variant.strip():
                tags.append("multi-word")
            if "’" in variant:
                tags.append("curly")
            if shown == suggestion:
                expected = ""
                note = "reads as the house spelling here: no finding"
            else:
                expected = f"variant:{shown}>{suggestion}"
                note = f"{entry.id}: listed variant {variant!r}"
            arabic = ""
            if entry.only_with_arabic:
                arabic = _ARABIC_TEMPLATE.format(form=entry.only_with_arabic[0])
                tags.append("scoped")
            number += 1
            rows.append(
                (f"v{number:04d}", "listed", ",".join(tags), arabic, english, expected, note)
            )
    return rows


def main() -> None:
    """Write variants.tsv."""
    lines = ["\t".join(HEADER)] + ["\t".join(row) for row in cases()]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(lines) - 1} cases")


if __name__ == "__main__":
    main()
