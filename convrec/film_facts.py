"""What the catalog says about one film, as sentences: its facts ("was directed by ..."), why it fits what
the user said, whether it is scary (its genres) or sad (its tags), its sequels and its language, and which
asked facts the catalog lacks. ``convrec.answers`` decides what a message asks and about which film.

    describe(catalog["alien"], ["director", "is scary"])  # "Alien (1979) was directed by Ridley Scott. It is ..."
"""
from __future__ import annotations

import weakref

from convrec.catalog import Catalog, Item
from convrec.moods import mood_tags
from convrec.state import Preferences

IS_A = {  # "is it scary?": the word -> the genres that make the answer yes
    "scary": ("Horror",), "horror": ("Horror",), "creepy": ("Horror",), "funny": ("Comedy",), "a comedy": ("Comedy",),
    "romantic": ("Romance",), "animated": ("Animation",), "a cartoon": ("Animation",), "violent": ("Action", "Crime", "War"),
    "for kids": ("Family", "Animation"), "kid friendly": ("Family", "Animation"), "family friendly": ("Family", "Animation"),
    "a musical": ("Musical",), "a documentary": ("Documentary",), "a true story": ("Biography", "History"),
}


def fact(item: Item, name: str, prefs: Preferences | None = None, catalog: Catalog | None = None) -> str | None:
    """One fact about ``item`` as a predicate ("was directed by ..."), None when the catalog lacks it."""
    if name == "why":
        return why(item, prefs or Preferences(), catalog)
    if name == "quality":  # what it has of what the user asked for; a film nobody picked is just described
        return "; ".join(reasons(item, prefs or Preferences(), catalog)[:3]) or fact(item, "genre")
    if name == "year":
        return f"came out in {item.year}" if item.year else None
    if name == "genre":
        return f"is {_article(item.genres[0])} {join([g.lower() for g in item.genres])} film" if item.genres else None
    if name.startswith("is ") and item.genres:  # "is it scary?": its genres, and whether one of them says yes
        tagged = tagged_as(item, name[3:], catalog)
        if tagged:  # "is it violent?": Reservoir Dogs is tagged violent (it had got "listed as crime" alone)
            return f"{fact(item, 'genre')}, tagged {join(tagged)}"
        if tagged is not None:  # Ocean's Eleven: a crime film, not a violent one
            return f"{fact(item, 'genre')}, not tagged {name[3:]}"
        yes = [g for g in IS_A[name[3:]] if g in item.genres]  # the first word that says yes: "family" for kids
        listed = f"listed as {yes[0].lower()}" if yes else "not listed as " + " or ".join(g.lower() for g in IS_A[name[3:]])
        return f"{fact(item, 'genre')}, {listed}"
    if name.startswith("mood "):
        return _mood_fact(item, name[5:], catalog)
    if name == "ending":
        return _ending_fact(item)
    if name in ("director", "cast", "writer"):
        names = item.names({"director": "director", "cast": "actor", "writer": "writer"}[name])[:4]
        verb = {"director": "was directed by", "cast": "stars", "writer": "was written by"}[name]
        return f"{verb} {join(names)}" if names else None
    if name == "plot":
        return item.description.strip() or None  # the catalog's own description, as written
    if name == "sequel" and catalog is not None:
        return _series_fact(item, catalog)
    if name == "language" and catalog is not None:
        return _language_fact(item, catalog)
    if name == "colour" and catalog is not None:
        return _colour_fact(item, catalog)
    if name == "source":  # the one source the tags tell ("based on a true story"); no book or comic is recorded
        return "is tagged true story" if any(t.lower() in ("true story", "based on a true story") for t in item.tags) else None
    return None  # NOT_IN_SCHEMA, or a fact this film lacks


def tagged_as(item: Item, word: str, catalog: Catalog | None = None) -> list[str] | None:
    """The tags of ``item`` that say it is ``word`` ("violent": violent, gory, shootout...); [] when the catalog
    tags that quality and this film lacks it (only for "violent": a crime film is not violent by its genre), None
    when only its genres can tell (``IS_A``)."""
    marks = set(mood_tags(word))
    tagged = [t for t in item.tags if t.lower() in marks]
    if tagged or word != "violent" or not item.tags or catalog is None:
        return tagged or None
    return [] if marks & catalog_tags(catalog) else None


def catalog_tags(catalog: Catalog) -> frozenset[str]:
    """Every tag of the catalog, lower case, gathered once per catalog (a question must not scan it each time)."""
    if catalog not in _TAGS:
        _TAGS[catalog] = frozenset(t.lower() for it in catalog for t in it.tags)
    return _TAGS[catalog]


# per catalog: its tags (weak: a catalog that goes takes its entry with it)
_TAGS: "weakref.WeakKeyDictionary[Catalog, frozenset[str]]" = weakref.WeakKeyDictionary()


NOT_IN_SCHEMA = frozenset({"rating", "runtime", "streaming"})  # facts the catalog schema has no field for


def why(item: Item, prefs: Preferences, catalog: Catalog | None = None) -> str:
    """Why ``item`` fits, from what the user said and the item's facts only ("is an adventure film,
    as you asked; stars Harrison Ford, whom you like")."""
    found = reasons(item, prefs, catalog)
    if not found:
        return f"{fact(item, 'genre') or 'is a film'} that matched what you said best among the films in the catalog"
    return "; ".join(found[:3])


def reasons(item: Item, prefs: Preferences, catalog: Catalog | None = None) -> list[str]:
    """What ``item`` has of what the user said: genres, people, a liked film's genres, the years."""
    reasons = []
    genres = [g for g in item.genres if g in prefs.liked_genres]
    if genres:
        reasons.append(f"is {_article(genres[0])} {join([g.lower() for g in genres])} film, as you asked")
    asked = {k.lower() for k in prefs.liked_keywords}
    wished = [t for t in item.tags if t.lower() in asked]
    if wished:  # "why the first one?" after "I love Studio Ghibli films" had said only "matched what you said best"
        reasons.append(f"is tagged {join(wished)}, as you asked")
    for mood in prefs.moods:
        marks = set(mood_tags(mood))
        carried = [t for t in item.tags if t.lower() in marks and t not in wished]
        if carried:
            reasons.append(f"is tagged {join(carried)}, for " + ("a date night" if mood == "date-night" else
                                                                 f"something {mood}"))
    for role, verb in (("director", "was directed by"), ("actor", "stars")):
        people = [n for n in item.names(role) if n in prefs.liked_people]
        if people:
            reasons.append(f"{verb} {join(people)}, whom you like")
    liked = [catalog[i] for i in prefs.liked if catalog is not None and i in catalog]
    close = next((it for it in reversed(liked) if set(it.genres) & set(item.genres)), None)
    if close is not None and not genres:
        shared = [g.lower() for g in item.genres if g in close.genres]
        reasons.append(f"is {_article(shared[0])} {join(shared)} film like {close.label}, which you liked")
    if prefs.within_years(item.year):
        reasons.append(f"came out in {item.year}, within the years you asked for")
    return reasons


def _mood_fact(item: Item, mood: str, catalog: Catalog | None = None) -> str | None:
    """"is tagged tearjerker", or its genres and tags with "not tagged sad"; None without tags, or in a catalog
    whose tags never give that mood (ReDial's TMDB themes: "not tagged sad" would say nothing about Titanic)."""
    if not item.tags:
        return None
    marks = set(mood_tags(mood))
    if catalog is not None and not marks & catalog_tags(catalog):
        return None
    yes = [t for t in item.tags if t.lower() in marks]
    if yes:
        return f"{fact(item, 'genre') or 'is a film'}, tagged {join(yes)}"
    return f"{fact(item, 'genre') or 'is a film'}, tagged {join(item.tags[:4])}: not tagged {mood}"


def _ending_fact(item: Item) -> str | None:
    """"is tagged bittersweet; the catalog does not say how it ends": the tags of a sad or a feel-good mood, the
    nearest the catalog comes to an ending; None without such tags."""
    marks = set(mood_tags("sad")) | set(mood_tags("feel-good"))
    yes = [t for t in item.tags if t.lower() in marks]
    return f"is tagged {join(yes)}; the catalog does not say how it ends" if yes else None


def _language_fact(item: Item, catalog: Catalog) -> str | None:
    """"is in Japanese, not English": from the language tags of a catalog that tags every film in another
    language (the demo); where only some films are tagged (ReDial with TMDB) only for those; None without
    language tags (MovieLens)."""
    from convrec import keywords

    if keywords.lookup(keywords.FOREIGN, catalog) is None:
        return None
    spoken = [t.capitalize() for t in item.tags if t in keywords.LANGUAGES]
    if spoken:
        return f"is in {' and '.join(spoken)}, not English"
    if keywords.FOREIGN in item.tags:
        return "is in a language other than English"
    if not catalog.languages_complete:
        return None  # a ReDial film TMDB does not cover may be in any language
    return "is in English (the catalog tags every film in another language)"


BLACK_AND_WHITE = ("black and white", "black-and-white", "b&w")


def _colour_fact(item: Item, catalog: Catalog) -> str | None:
    """"is tagged black and white", or, in a catalog that tags some films so, that this one is not (and that the
    tags may not be complete); None in a catalog without such tags."""
    if any(t.lower() in BLACK_AND_WHITE for t in item.tags):
        return "is tagged black and white"
    n = sum(any(t.lower() in BLACK_AND_WHITE for t in it.tags) for it in catalog)
    if not n:
        return None
    return f"is not tagged black and white (the catalog tags {n} film{'s' * (n != 1)} so, and may not tag them all)"


def _series_fact(item: Item, catalog: Catalog) -> str:
    """"has a sequel in this catalog: Toy Story 2 (1999)", or that the catalog has no other film of its series."""
    from convrec import series

    earlier, later = series.relatives(item.id, catalog)
    parts = [f"{'has sequels' if len(later) > 1 else 'has a sequel'} in this catalog: "
             f"{join([catalog[i].label for i in later])}"] if later else []
    parts += [f"follows {join([catalog[i].label for i in earlier])}"] if earlier else []
    return ". It ".join(parts) or "has no sequel or other film of its series in this catalog"


MISSING = {"mood": "tags to tell its mood", "source": "record of a book or other work it is based on", "ending": "account of how it ends", "language": "language", "colour": "colour information",
           "awards": "awards", "year": "year", "genre": "genre",
           "director": "director", "writer": "writer", "cast": "cast", "plot": "plot summary", "rating": "age rating or review score", "runtime": "running time", "streaming": "streaming or rental information"}


def join(names: list[str], last: str = "and") -> str:
    return f"{', '.join(names[:-1])} {last} {names[-1]}" if len(names) > 1 else "".join(names)


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def describe(item: Item, facts: list[str], prefs: Preferences | None = None, catalog: Catalog | None = None) -> str:
    """Sentences about ``item`` with exactly the asked facts the catalog has (and which it lacks):
    the first names the film, the rest say "It"; "why" is answered from ``prefs``."""
    sentences = []
    for name in facts:
        said = fact(item, name, prefs, catalog)
        if said and name == "plot":
            sentences.append(said if sentences else f"{item.label}: {said}")
        elif said:
            sentences.append(f"{'It' if sentences else item.label} {said}")
    missing = [MISSING.get(f.split()[0], "genre") for f in facts if fact(item, f, prefs, catalog) is None]
    if "quality" in facts:  # the reasons it fits are all the catalog can say about whether it is good
        missing.insert(0, "reviews")
    if missing:
        sentences.append(f"The catalog has no {join(missing, 'or')} for {'it' if sentences else item.label}")
    return " ".join(s if s.endswith((".", "!", "?")) else s + "." for s in sentences)
