"""Small built-in word lists that keep fuzzy name matching away from ordinary English.

`COMMON_WORDS` are frequent English words (and words of news English) that a capital
at the start of a sentence must not turn into a candidate name, and that a glossary
variant should not be. `FUNCTION_WORDS` never begin or end a name. `KNOWN_NAMES` are
well-known names that look like near-spellings of other names (Hamas beside Hama, the
channel Al Jazeera beside the Jazira region) and are never taken for one, nor is a listed
variant inside one (the State Duma is not the town Douma, listed variant "Duma").
"""

from __future__ import annotations


def _wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text`."""
    return frozenset(text.split())


FUNCTION_WORDS = _wordset(
    """
    a an the and or but nor so yet if then than as of in on at to from by for with
    into onto upon over under about after before since until while during between
    among against through across towards toward near without within off out up down
    is are was were be been being has have had do does did will would can could may
    might must shall should not no this that these those it its he she they we you i
    his her their our your my him them us me who whom whose which what when where why
    how all any both each every some such only also even still just very
    """
)

COMMON_WORDS = FUNCTION_WORDS | _wordset(
    """
    one two three four five six seven eight nine ten first second third last next new
    old other another many much more most few less least same own several half
    said says say saying told tells added according reported reports report announced
    stated explained pointed noted confirmed denied accused warned called demanded
    killed wounded injured displaced fled arrived left went came took made gave
    however meanwhile therefore because although though whether again already never
    now today yesterday tomorrow morning evening night day days week weeks month
    months year years time times hour hours monday tuesday wednesday thursday friday
    saturday sunday january february march april may june july august september october
    november december spring summer autumn winter
    north south east west northern southern eastern western central northeast
    northwest southeast southwest countryside city town village villages area region
    camp camps border road river mountain mountains valley plain desert coast sea lake
    hospital school station market street square bridge airport base crossing
    government regime army forces force state states party front council committee
    ministry minister president prime general commander leader leaders spokesman
    official officials source sources activist activists residents people family
    families children women men man woman child civilian civilians fighter fighters
    group groups faction factions militia militias opposition rebels troops police
    security office agency network observatory organisation organization union
    national international local regional military political humanitarian civil
    defence defense human rights aid water food fuel power electricity bread
    attack attacks strike strikes raid raids shelling bombing battle battles clashes
    fire war peace truce ceasefire deal talks agreement offensive siege control
    news media channel press statement video photo picture
    syrian syria arab arabs arabic kurdish kurds turkish turkey russian russia iranian
    iran iraqi iraq american united nations european union western islamic
    good bad great small large big long short high low full empty right left
    here there home house houses world country countries land way part parts side
    sides number numbers life death dead help work water support case cases
    his hers mr mrs ms dr eng gen col sheikh saint st
    well back only just even ever once twice around almost nearly about
    """
)

KNOWN_NAMES = frozenset(
    name.lower()
    for name in (
        "Al Jazeera",
        "Al Arabiya",
        "Al Mayadeen",
        "Hamas",
        "Homs",
        "Hezbollah",
        "Aleppo",
        "Damascus",
        "Beirut",
        "Amman",
        "Ankara",
        "Moscow",
        "Tehran",
        "Baghdad",
        "Geneva",
        "Astana",
        "Sochi",
        "Washington",
        # The Russian parliament, not the town of Douma (listed variant "Duma").
        "State Duma",
    )
)
