"""The notes a list carries about what it could not find: every film of the person, genre or theme asked for
shown or ruled out ("Every film of Wes Anderson in this catalog that fits has been shown or ruled out, so here is
what comes closest."), none fitting at all, or the last ones of them heading the list ("Those are the last 3
western films in this catalog that fit; the rest come closest."). ``convrec.dialogue`` adds them to a reply.
"""
from __future__ import annotations

from typing import Sequence

from convrec import keywords, series
from convrec.catalog import Catalog
from convrec.state import Preferences


def gone_note(catalog: Catalog, people: list[str], genres: list[str], items: list[str], tags: list[str] = (),
              shown: list[str] = (), prefs: Preferences | None = None) -> str:
    """'Something else by him', 'I want a western', 'another korean one' when every film of his, of the
    genre or with the keyword was shown or ruled out: say so, not a silent change of subject."""
    listed = [catalog[i] for i in items if i in catalog]
    names = {p.name for item in listed for p in item.people}
    kinds = {g for item in listed for g in item.genres}
    marks = {t.lower() for item in listed for t in item.tags}
    # not one whose films are left for later: "Tom Hanks and Meg Ryan movies" had said every film of Meg Ryan
    # was shown, in a first list of his films
    gone = [p for p in people if p not in names and not _held_back(
        catalog, lambda item, p=p: p in {x.name for x in item.people}, items, list(shown), prefs)]
    if gone:
        return _none_left(catalog, f"film of {' or '.join(gone)}",
                          lambda item: set(gone) & {x.name for x in item.people}, shown)
    if genres and listed and not kinds & set(genres):
        return _none_left(catalog, f"{' or '.join(genres).lower()} film",
                          lambda item: set(genres) & set(item.genres), shown)
    if tags and listed and not marks & {t.lower() for t in tags}:
        kind = " or ".join(t.capitalize() if t in keywords.LANGUAGES else t for t in tags)
        what = f"{kind} film" if all(t in keywords.LANGUAGES for t in tags) else f"film tagged {kind}"
        low = {t.lower() for t in tags}
        return _none_left(catalog, what, lambda item: low & {t.lower() for t in item.tags}, shown)
    return ""


def _none_left(catalog: Catalog, what: str, has, shown: Sequence[str]) -> str:
    """The note for a request no film left fits: 'every ... has been shown or ruled out' when one was shown
    before, else 'no ... fits' ("my kid is 8 and loves dinosaurs" had been told, in a first list, that every
    film tagged dinosaurs had been shown: the two were ruled out as no films for a child)."""
    if any(has(catalog[i]) for i in shown if i in catalog):
        return f"Every {what} in this catalog that fits has been shown or ruled out, so here is what comes closest. "
    return f"No {what} in this catalog fits everything you asked for, so here is what comes closest. "


def last_note(catalog: Catalog, people: list[str], genres: list[str], tags: list[str], items: list[str],
              shown: list[str], prefs: Preferences | None = None, named: list[str] = (),
              boosted: bool = False) -> str:
    """'More from that director', 'not a disney one' after musicals: when fewer films of the one person or
    genre asked for are left than the list is long, retrieval lists them first, so the list says where they
    end (it had gone on from The Boy and the Heron to The Lord of the Rings, from Grease to Her, without a
    word). Only for one person or one genre and nothing else, so that "first" holds."""
    listed = [catalog[i] for i in items if i in catalog]
    if len(tags) == 1 and genres and all(set(genres) <= set(item.genres) for item in catalog
                                         if tags[0].lower() in {t.lower() for t in item.tags}):
        genres = []  # the genre the tag implies: "anime besides Studio Ghibli" asks for anime (Animation too)
    if len(people) == 1 and not genres and not tags:
        one, many = f"film of {people[0]}", f"films of {people[0]}"
    elif len(genres) == 1 and not people and not tags:
        one, many = f"{genres[0].lower()} film", f"{genres[0].lower()} films"
    elif len(tags) == 1 and not people and not genres:  # "not animated" after christmas films: two were left
        kind = tags[0].capitalize() if tags[0] in keywords.LANGUAGES else None
        one, many = (f"{kind} film", f"{kind} films") if kind else (f"film tagged {tags[0]}", f"films tagged {tags[0]}")
    else:
        return ""

    def has(item) -> bool:
        if people:
            return people[0] in {p.name for p in item.people}
        return genres[0] in item.genres if genres else tags[0].lower() in {t.lower() for t in item.tags}

    theirs = [has(item) for item in listed]
    n = theirs.index(False) if False in theirs else len(theirs)
    if not 0 < n < len(listed) or any(theirs[n:]) or (not genres or boosted) and _held_back(
            catalog, has, items, [*shown, *named], prefs):
        return ""
    which = "last" if any(has(catalog[i]) for i in shown if i in catalog) else "only"
    said = f"That is the {which} {one} in this catalog that fits" if n == 1 else \
        f"Those are the {which} {n} {many} in this catalog that fit"
    return f" {said}; the rest come closest."


def _held_back(catalog: Catalog, has, items: list[str], shown: list[str], prefs: Preferences | None) -> bool:
    """Whether a film of the person or tag asked for is left that neither this list nor an earlier one showed
    (the third of a series waits for the next list: "the last 3 films of Tom Hanks" had left out Toy Story 4)."""
    p = prefs or Preferences()
    gone, years = set(items) | set(shown) | p.excluded() | set(p.dropped), p.year_min or p.year_max
    gone |= series.turned_down(p, catalog)  # "not Top Gun": Top Gun: Maverick had kept the note on Tom
    # Cruise's films away
    avoided = {t.lower() for t in p.disliked_keywords}
    return any(has(item) and item.id not in gone and (not years or p.within_years(item.year))
               and not set(item.genres) & set(p.disliked_genres) and not avoided & {t.lower() for t in item.tags}
               for item in catalog)
