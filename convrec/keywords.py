"""Keywords: the catalog's own tags named in a message, as wishes or as things to avoid.

"no princesses this time", "not Disney please", "something with animals", "a heist movie", "any
time travel films?": each names a tag that items of the catalog carry (``Item.tags``: themes,
studios, creators). The tracker keeps them as ``Preferences.liked_keywords`` /
``disliked_keywords``; retrieval favours items with a liked keyword (and lists them first when the
latest message asks for one) and never offers an item with an avoided one. Tags that are genres,
moods or decades are left to ``convrec.attributes``, and everyday words (``STOP``) are no keyword.
A catalog without tags (ReDial) has no keywords.

    from convrec import keywords
    keywords.find("no princesses this time", catalog)   # [("princess", 3, 13)]
"""
from __future__ import annotations

import re
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from convrec.catalog import Catalog

# tags too generic to be a wish of their own, or words a message uses for other things ("I hope",
# "a classic", "the finale"); genres, moods and decades are excluded by ``_usable`` itself
STOP = frozenset({
    "classic", "classics", "franchise", "sequel", "prequel", "trilogy", "finale", "long", "cool", "seven", "iconic",
    "fun", "family", "kids", "influential", "blockbuster", "quotable", "colorful", "conversation", "con", "journey",
    "bus", "hope", "death", "office", "meta", "genius", "teacher", "battle", "identity", "period", "escape", "justice",
    "wonder", "brothers", "outsider", "candy", "dance", "growing up", "relationships", "music", "songs", "friendship",
    "emotions", "innovative", "charming", "quiet", "thrilling", "americana", "emotional", "moving", "love story",
    "summer blockbuster", "crowd-pleaser", "visionary", "stylish", "iconic score", "iconic soundtrack",
    "practical effects", "low budget", "ensemble", "movie", "movies", "film", "films", "good", "great", "best",
})
ALIASES = {"ghibli": "studio ghibli", "bond": "james bond", "time-travel": "time travel", "superheroes": "superhero",
           # "ideally not in English" wants the foreign-language films (it had become the constraint "in english")
           "not in english": "foreign language", "non-english": "foreign language", "foreign": "foreign language",
           "foreign-language": "foreign language", "subtitled": "foreign language", "with subtitles": "foreign language",
           "subtitles": "foreign language",
           # "any similar but with a female lead?" had been no wish (the demo catalog tags 38 such films)
           "female leads": "female lead", "female protagonist": "female lead", "woman lead": "female lead",
           "strong female lead": "female lead", "strong female character": "female lead", "heroine": "female lead",
           "female hero": "female lead", "female main character": "female lead",
           # languages by other names ("a mandarin film", "an iranian movie", "tollywood"); each foreign-language
           # film of the demo catalog is tagged with its language ("recommend me a korean movie")
           "mandarin": "chinese", "cantonese": "chinese", "iranian": "persian", "farsi": "persian",
           "brazilian": "portuguese", "tollywood": "telugu", "in hindi": "hindi",
           # "something with a great twist" is the mind-bending mood and the tag ("twist ending", 18 demo films)
           "twist": "twist ending", "twists": "twist ending", "plot twist": "twist ending",
           "plot twists": "twist ending", "twist endings": "twist ending",
           # "an old movie from the 40s or 50s, a noir" had been told no film is tagged noir (four are "film noir")
           "noir": "film noir", "noirs": "film noir", "films noirs": "film noir",
           # "I'm really into true crime" had been Crime alone, so a question came back instead of Zodiac
           "true crime": "true story",
           # "a good movie about artificial intelligence?" had been a free constraint only (seven demo films are "ai")
           "artificial intelligence": "ai", "a.i.": "ai",
           # "any about vietnam?" after war films had got three of World War II
           "vietnam": "vietnam war", "ww2": "wwii", "world war 2": "wwii", "world war ii": "wwii",
           "world war two": "wwii", "second world war": "wwii"}
WITH_GENRE = frozenset({"true crime"})  # aliases holding a genre word: the genre (Crime) is wished as well
# tags that name a language: a wish for one is also a wish for foreign-language films (``language_family``)
LANGUAGES = frozenset({"japanese", "korean", "french", "italian", "german", "swedish", "spanish", "chinese",
                       "portuguese", "persian", "hindi", "telugu", "danish", "russian", "polish", "turkish"})
FOREIGN = "foreign language"
MAX_TAGS = 5000  # a catalog with more distinct tags keeps the most used (MovieLens user tags are long-tailed)

_INDEXES: "weakref.WeakKeyDictionary[Catalog, tuple[re.Pattern | None, dict[str, str]]]" = weakref.WeakKeyDictionary()


def _forms(tag: str) -> set[str]:
    """Singular and plural spellings of a tag ("princess" -> "princesses", "zombies" -> "zombie")."""
    out = {tag, tag + "s", tag + "es"}
    if tag.endswith("ies"):
        out |= {tag[:-3] + "y", tag[:-1]}  # "comedies" -> "comedy", "zombies" -> "zombie"
    elif tag.endswith("s") and not tag.endswith("ss"):
        out.add(tag[:-1])
    if tag.endswith("y") and len(tag) > 3 and tag[-2] not in "aeiou":  # "comedy", not "disney"
        out.add(tag[:-1] + "ies")
    return out


def _usable(tag: str, taken: frozenset[str]) -> bool:
    """A tag that can be a keyword: not generic, not a word of a genre the catalog has or of a mood
    (``taken``), not a decade, not a number."""
    from convrec import attributes

    if tag in STOP or len(tag) < 3 or len(tag) > 30 or not re.fullmatch(r"[a-z][a-z' &-]*[a-z]", tag):
        return False
    return tag not in taken and attributes.year_range(tag) is None


def index(catalog: Catalog) -> tuple[re.Pattern | None, dict[str, str]]:
    """One pattern over every spelling of the catalog's usable tags, and spelling -> tag; once per catalog."""
    cached = _INDEXES.get(catalog)
    if cached is not None:
        return cached
    counts: dict[str, int] = {}
    for item in catalog:
        for tag in item.tags:
            tag = " ".join(str(tag).lower().split())
            counts[tag] = counts.get(tag, 0) + 1
    from convrec import attributes

    taken = attributes.genre_and_mood_words(catalog)  # "superhero" is a keyword where no genre is called so
    tags = [t for t in sorted(counts, key=lambda t: -counts[t])[:MAX_TAGS] if _usable(t, taken)]
    spelling: dict[str, str] = {}
    for tag in tags:
        for form in _forms(tag):
            spelling.setdefault(form, tag)
    spelling.update({alias: tag for alias, tag in ALIASES.items() if tag in counts})
    alts = sorted(map(re.escape, spelling), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])") if alts else None
    _INDEXES[catalog] = (pattern, spelling)
    return pattern, spelling


def find(low: str, catalog: Catalog) -> list[tuple[str, int, int]]:
    """(tag, start, end) for every keyword in the lower-cased text, longest spelling first."""
    pattern, spelling = index(catalog)
    if pattern is None:
        return []
    return [(spelling[m.group()], m.start(), m.end()) for m in pattern.finditer(low)]


def lookup(word: str, catalog: Catalog) -> str | None:
    """The tag a word spells ("heists" -> "heist"), if the catalog has it as a keyword."""
    return index(catalog)[1].get(word.lower())


def language_family(tag: str, catalog: Catalog) -> str | None:
    """The catalog's foreign-language tag for a language tag ("korean"), if the catalog has both."""
    return lookup(FOREIGN, catalog) if tag in LANGUAGES else None
