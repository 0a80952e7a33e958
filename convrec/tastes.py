"""What a clause says about kinds of film: the attribute half of the preference tracker.

``convrec.preferences.update`` finds titles and their polarity; for each clause it then calls
``apply_attributes`` here, which records genres, people, moods, keywords, constraints and years
(liked or avoided; "X was so funny" describes X and wants nothing), and ``retract`` for "forget the
horror". ``middle_year`` and ``is_wish`` help it read a follow-up to a list: "something more recent"
is newer than the list's median year, and "something scary but not too gory" is a wish, no verdict
on the film just shown. Every function edits the ``Preferences`` it is given (the caller copied it).
"""
from __future__ import annotations

import re

from convrec import attributes, keywords, polarity
from convrec.catalog import Catalog
from convrec.state import Preferences
from convrec.years import AVOIDED_DECADE_PREFIX, avoided_decade, avoided_decades


_UNAVOID_RE = re.compile(r"\b(?:don'?t mind|do not mind|(?:is|are|would be) (?:fine|ok|okay|alright)|ok with|okay with|"
                         r"open to)\b")  # "horror is fine actually": no longer avoided
SUB_RE = re.compile(r",|\s+(?:and|while|plus|so|because|since|cause|if)\s+")  # parts of a clause
_WISH_RE = re.compile(r"\b(?:i (?:want|need)|i'd like|i would like|wanna|looking for|look for|something|anything|in the mood|"
                      r"recommend|suggest|show me|give me|i prefer|for tonight|any (?:other|more|good)|"
                      r"(?:any|other|some) (?:\w+ ){0,2}(?:movies|films)|"  # "I loved X, any other foreign films?"
                      # a taste told of films in general: "I like movies with strong female leads, like Alien" (the
                      # wish had been read as words about Alien, and the list ignored it)
                      r"i (?:really )?(?:like|love|enjoy|prefer|am into|'m into) (?:\w+ ){0,2}(?:movies|films) "
                      r"(?:with|about|that|where))\b")


# state edits: each keeps a list free of repeats

def add(lst: list, value) -> None:
    if value not in lst:
        lst.append(value)


def drop(lst: list, value) -> None:
    while value in lst:
        lst.remove(value)


def middle_year(ids: list[str], catalog: Catalog) -> list[int]:
    """The median year of the films just shown, what "something more recent" is newer than when the
    turn names no title (it had been ignored: The Godfather Part II followed a list from the 2000s)."""
    years = sorted(catalog[i].year for i in ids if catalog[i].year)
    return [years[(len(years) - 1) // 2]] if years else []


def is_wish(text: str, low: str, pol: polarity.Polarity, max_year: int | None) -> bool:
    """A clause that qualifies a wish rather than judging the film just shown: "something scary but
    not too gory" (its "not too gory" had marked the film answered about liked and seen, and its decade
    was lost), "anything from the 80s". Turning the film down ("I want something more recent") still
    judges it."""
    # the clause's own sentence: "sounds good. anything more recent?" judges the film (it had been no interest)
    sentence = next((s for s in re.split(r"(?<=[.!?])\s+", text.lower()) if low.strip() and low.strip() in s),
                    text.lower())
    return pol.liked is not False and (bool(attributes.WANTS_A_KIND.search(sentence))
                                       or attributes.year_range(low, max_year) is not None)


# "I have seen all his films", "seen every Nolan movie", "I've watched everything by her"
_SEEN_ALL_RE = re.compile(r"\b(?:seen|watched|saw)\s+(?:(?:pretty much|almost|nearly|basically|just about)\s+)?"
                          r"(?:all|every|everything|each|(?:them|those|these) all)\b")  # "I've seen them all except Coco
# and Soul" after Pixar films had liked Coco and marked both seen
MAX_SEEN_TAGGED = 40  # the most films "I have seen every X movie" marks seen for a tag X
_HIS_RE = re.compile(r"\b(?:his|her|him|he|she|he's|she's)\b")
_THEM_RE = re.compile(r"\b(?:them|those|these|they)\b")


# a noun for films beside a title: the decade is the wish's ("80s comedies like Ghostbusters" had set no years, and
# Men in Black and Shrek came), not the title's ("Alien from 1979")
_KIND_NOUN_RE = re.compile(r"\b(?:movies?|films?|flicks?|stuff|ones|comed(?:y|ies)|thrillers?|dramas?|westerns?|musicals?|"
                           r"cartoons?|classics?|romcoms?|rom-coms?|documentar(?:y|ies)|horrors|slashers?|blockbusters?)\b")


def seen_all_before(text: str, at: int) -> bool:
    """Whether the clause before position ``at`` says the user saw every film of what follows ("I've seen pretty
    much every Pixar movie": Pixar is no wish of this message, though the list leaves its films out)."""
    clause = re.split(r"[.!?;,]|\bbut\b", text[:at].lower())[-1]
    return bool(_SEEN_ALL_RE.search(clause)) and not re.search(r"n't|\b(?:not|never|havent|didnt)\b", clause)


# "I've seen all of his except Jackie Brown": the films after it are the ones not seen
EXCEPT_RE = re.compile(r"\b(?:except(?: for)?|but not|other than|apart from|besides|save for|aside from)\b"
                       r"(?!.*\b(?:and|but)\s+i\b)")


def seen_every(prefs: Preferences, clause: str, low: str, catalog: Catalog, but: list[str] = (),
               shown: list[str] = ()) -> None:
    """"I like Tarantino" then "I have seen all his films": every film of that person is seen (they had come
    next). The person named in the clause, else the one liked last; nothing when the clause negates. ``but``:
    the films excepted ("all of his except Jackie Brown"): not seen (it had been liked and seen, the rest nothing)."""
    cut = EXCEPT_RE.search(low) if but else None  # "seen all but not X": the negation is the exception's
    said = low[:cut.start()] if cut else low
    if not _SEEN_ALL_RE.search(low) or re.search(r"n't|\b(?:not|never|havent|didnt)\b", said):
        return
    for i in but:
        for lst in (prefs.seen, prefs.liked, prefs.disliked):  # "except Tenet" says nothing of liking it
            drop(lst, i)
        add(prefs.not_seen, i)
    found = [a for a in attributes.find_attributes(clause, catalog) if not a.negated]
    people = [a.value for a in found if a.kind == "person"]
    if not people and _HIS_RE.search(low) and prefs.liked_people:
        people = [prefs.liked_people[-1]]
    tags = {a.value.lower() for a in found if a.kind == "keyword"}  # "every Pixar movie", "all the Disney princess
    films = [item for item in catalog if tags <= {t.lower() for t in item.tags}] if tags and not people else []
    if len(films) > MAX_SEEN_TAGGED:  # movies": the films with every tag named (they had been the list that followed)
        films = []  # "seen all the zombie movies" of a catalog with hundreds is a manner of speaking
    if not people and not films and but and _THEM_RE.search(said):  # "seen all of them except Dunkirk" after Nolan
        people = [n for n in prefs.liked_people[::-1]  # his films (it had marked nothing), else the list shown
                  if all(n in {x.name for x in catalog[i].people} for i in but if i in catalog)][:1]
        films = [] if people else [catalog[i] for i in shown if i in catalog]
    for item in catalog if people else films:
        if (films or any(p.name in people for p in item.people)) and item.id not in but:
            add(prefs.seen, item.id)
            drop(prefs.not_seen, item.id)


def retract(prefs: Preferences, ids: list[str], clause: str, catalog: Catalog, low: str) -> None:
    """"forget Alien", "never mind the horror", "forget the decade": remove what is named."""
    for i in ids:
        drop(prefs.liked, i)
        drop(prefs.disliked, i)
        add(prefs.dropped, i)  # "forget Dune": no longer a seed as a title the user named either
    for key in [k for k, alts in prefs.ambiguous.items() if set(alts) & set(ids)]:
        del prefs.ambiguous[key]  # nothing left to ask about
    for attr in attributes.find_attributes(clause, catalog):
        if attr.kind == "genre":
            drop(prefs.liked_genres, attr.value)
            drop(prefs.disliked_genres, attr.value)
        elif attr.kind == "person":
            drop(prefs.liked_people, attr.value)
            drop(prefs.disliked_people, attr.value)
        elif attr.kind == "keyword":
            drop(prefs.liked_keywords, attr.value)
            drop(prefs.disliked_keywords, attr.value)
        elif attr.kind == "mood":
            drop(prefs.moods, attr.value)
    if re.search(r"\b(?:decade|year|years|era|period|date|dates|age)\b", low):
        prefs.year_min = prefs.year_max = None


def avoid(prefs: Preferences, concept: str | None, catalog: Catalog) -> None:
    """Avoid a genre a mood or an audience rules out, unless the user said they like it
    (a stated love of horror wins over "lighter")."""
    genre = attributes.index_for(catalog).genre_name.get(concept or "", "")
    if genre and genre not in prefs.liked_genres:
        add(prefs.disliked_genres, genre)


def clause_attributes(clause: str, low: str, catalog: Catalog, reference: bool) -> list[attributes.Attr]:
    """The clause's attributes. Beside a title an adjective or mood describes the film ("X was so
    funny", "X, so funny"), but a part of the clause that asks for something before it names a
    title is a wish: "I want a funny movie, I loved X" and "something funny like X" want comedy."""
    if not reference:
        return attributes.find_attributes(clause, catalog)
    found, start = [], 0
    for m in [*SUB_RE.finditer(low), None]:
        end = m.start() if m else len(low)
        part = low[start:end]
        wish, title = _WISH_RE.search(part), re.search(r"\bx\b", part)
        wish = wish or (None if title else _UNAVOID_RE.search(part))  # "I loved X, and subtitles are fine"
        found += attributes.find_attributes(clause[start:end], catalog,
                                            reference=not (wish and (not title or wish.start() < title.start())))
        start = m.end() if m else end
    return found


_TOO_MOOD_RE = re.compile(r"(?<!\bnot )\btoo (?:\w+ )?(" + "|".join(sorted(
    (w for w in attributes.MOOD_WORDS if " " not in w), key=len, reverse=True)) + r")\b")
_WAS_MOOD_RE = re.compile(r"\b(?:was|is|felt|seemed|got)\s+(?:(?:so|very|really|pretty|kinda|a bit|just|way)\s+)?(" + "|".join(
    sorted((w for w in attributes.MOOD_WORDS if " " not in w), key=len, reverse=True)) + r")\b")
_RELATIVE_RE = re.compile(r"\b(newer|more recent|more modern|older|less recent|not (?:so|as|that) old|less old)\b")  # than the
# titles the turn names ("like Jaws but not so old" had set no years, and King Kong and Frankenstein came)
_NEWER_RE = re.compile(r"\b(?:newer|more recent)\b")  # the comparison's words, read apart from any stated years
_THAN_YEAR_RE = re.compile(r"\b(?:newer|older|more recent|later|earlier)\s+than\s+(?:the\s+)?['\u2019]?\d")
_YEAR_LIMIT_RE = re.compile(r"\b(?:nothing|none|only|before|after|since|newer than|older than|prior to|between)\b")


_NEGATED_PART_RE = re.compile(r"\s*(?:and |but )?(?:nothing|no|not|none|never)\b")


def _own_negative_parts(low: str, attrs: list) -> list[tuple[int, int]]:
    """The comma parts that hold the clause's negative words, when the rest of it is no complaint:
    "a date night movie, nothing too sad" avoids sadness, not date movies (it had read "not date-night").
    Empty when the negativity is the clause's as a whole ("horror, I can't stand it")."""
    parts, pos = [], 0
    for m in [*re.finditer(r",", low), None]:
        end = m.start() if m else len(low)
        parts.append((pos, end))
        pos = end + 1
    negated = [(s, e) for s, e in parts if _NEGATED_PART_RE.match(low[s:e])
               or any(a.negated and s <= a.start < e for a in attrs)]
    rest = " ".join(low[s:e] for s, e in parts if (s, e) not in negated)
    if negated and len(negated) < len(parts) and polarity.classify(rest).liked is not False:
        return negated
    # "comedies are too silly, I want something dark": a part that asks for something is a wish of its own
    wishes = [(s, e) for s, e in parts if (s, e) not in negated and _WISH_RE.search(low[s:e])
              and polarity.classify(low[s:e]).liked is not False]
    return [(s, e) for s, e in parts if (s, e) not in wishes] if wishes and len(wishes) < len(parts) else []


def _drop_ruled_out_keywords(prefs: Preferences, catalog: Catalog) -> None:
    """A wished theme whose every film is now avoided goes: "something not superhero" after "loves Marvel" had
    been told that every film tagged marvel was shown or ruled out."""
    genres, tags = set(prefs.disliked_genres), set(prefs.disliked_keywords)
    for wished in list(prefs.liked_keywords):
        films = [it for it in catalog if wished in it.tags]
        if films and all(genres.intersection(it.genres) or tags.intersection(it.tags) for it in films):
            drop(prefs.liked_keywords, wished)


_SCARED_EASILY_RE = re.compile(r"\b(?:get|am|'m|are|gets?)\s+(?:scared|spooked|frightened)\s+(?:really\s+)?easily\b|"
                               r"\beasily\s+(?:scared|spooked|frightened)\b|\bscaredy[- ]?cat\b|\bwimp\b")


def _milder_kind(prefs: Preferences, word: str, catalog: Catalog) -> None:
    """A genre wanted milder: no violent film, nor one the catalog tags ``word`` ("scary")."""
    add(prefs.constraints, attributes.AVOIDED_MOOD_PREFIX + "violent")
    if any(word in it.tags for it in catalog):
        add(prefs.disliked_keywords, word)


def _milder(attr, low: str) -> bool:
    """"not too scary" about a genre the user asks for wants it milder, not gone (Horror had been avoided)."""
    return attr.word in attributes.ADJECTIVE_GENRE_WORDS and bool(re.search(r"\btoo\s+$", low[:attr.start]))


def apply_attributes(prefs: Preferences, clause: str, low: str, catalog: Catalog, pol: polarity.Polarity,
                reference: bool, max_year: int | None, than: list[int] = ()) -> None:
    """Genres, people, moods, constraints and years of one clause; ``than``: the years of the titles
    the turn names ("like Superbad but newer" wants films after 2007)."""
    unavoid = bool(_UNAVOID_RE.search(low))
    judged = list(_TOO_MOOD_RE.finditer(low)) if reference else []
    if reference and pol.liked is False:  # "I did not like it, it was confusing": the mood that put the user off
        judged += [m for m in _WAS_MOOD_RE.finditer(low) if polarity.classify(m.group()).liked is not True]  # not
        # "it was funny though"
    for m in judged:  # "the second is too violent for me": beside a film
        mood = attributes.MOOD_WORDS[m.group(1)]  # a mood describes it, but "too" says the user wants less of it
        drop(prefs.moods, mood)  # (Sicario and Se7en had followed)
        add(prefs.constraints, attributes.AVOIDED_MOOD_PREFIX + mood)
    attrs = clause_attributes(clause, low, catalog, reference)
    own = _own_negative_parts(low, attrs) if pol.liked is False and not reference else []
    for attr in attrs:
        negative = attr.negated or (pol.liked is False and not reference
                                    and (not own or any(s <= attr.start < e for s, e in own)))
        if negative and attr.kind == "genre" and attr.value in prefs.liked_genres and _milder(attr, low):
            _milder_kind(prefs, attr.word, catalog)  # "horror, but not too scary"
            continue
        if attr.kind in ("genre", "person"):
            liked, disliked = ((prefs.liked_genres, prefs.disliked_genres) if attr.kind == "genre"
                               else (prefs.liked_people, prefs.disliked_people))
            if unavoid:
                drop(disliked, attr.value)  # "horror is fine actually": no longer avoided
                if attr.kind == "person" and _WISH_RE.search(low):
                    add(liked, attr.value)  # "something with Clint Eastwood is fine" also asks for him
                continue
            add(disliked if negative else liked, attr.value)
            drop(liked if negative else disliked, attr.value)
            if not negative and "Horror" not in prefs.liked_genres and attributes.kids_audience(attr, low):
                # watching with the family is the kids' audience too ("a movie to watch with my family" had got It
                # (2017) on ReDial)
                avoid(prefs, "Horror", catalog)  # with the kids: no horror, nor a violent film (Django
                if "violent" not in prefs.moods:  # Unchained had been offered to "my son is 12" asking for a western)
                    add(prefs.constraints, attributes.AVOIDED_MOOD_PREFIX + "violent")
        elif attr.kind == "mood":
            if negative:
                for mood in (attr.value, *attributes.ALSO_AVOIDED.get(attr.word, ())):
                    drop(prefs.moods, mood)
                    add(prefs.constraints, attributes.AVOIDED_MOOD_PREFIX + mood)
                for tag in attributes.ALSO_AVOIDED_TAGS.get(attr.word, ()):
                    if any(tag in it.tags for it in catalog):
                        add(prefs.disliked_keywords, tag)
            else:
                for other in attributes.MOOD_OPPOSITES.get(attr.value, ()):
                    drop(prefs.moods, other)
                add(prefs.moods, attr.value)
                drop(prefs.constraints, attributes.AVOIDED_MOOD_PREFIX + attr.value)
                avoid(prefs, attributes.MOOD_AVOIDS.get(attr.value), catalog)
        elif attr.kind == "keyword":  # "no princesses", "something with animals"
            liked, avoided = prefs.liked_keywords, prefs.disliked_keywords
            if unavoid:
                drop(avoided, attr.value)
                continue
            add(avoided if negative else liked, attr.value)
            drop(liked if negative else avoided, attr.value)
            wider = keywords.language_family(attr.value, catalog) if not negative else None
            if wider and wider not in avoided:  # "a korean movie": once the four Korean films are shown, other
                add(liked, wider)  # foreign-language films come closest (Disney cartoons had followed Mulan)
        elif attr.kind == "constraint" and not attr.negated:  # "not for kids" had been kept as "for kids"
            add(prefs.constraints, attr.value)
    if any(a.negated or pol.liked is False for a in attrs) and prefs.liked_keywords:
        _drop_ruled_out_keywords(prefs, catalog)
    # beside a title a bare year or decade usually describes that title ("Alien from 1979"); an
    # explicit limit ("I loved Alien, nothing before 1980") is still a constraint
    if _SCARED_EASILY_RE.search(low) and "Horror" in prefs.liked_genres:  # "a scary movie but I get scared
        _milder_kind(prefs, "scary", catalog)  # easily": as "not too scary" (The Exorcist had come)
    relative = _RELATIVE_RE.search(low) if than and not _THAN_YEAR_RE.search(low) else None  # "nothing older than
    # 2000" after Aliens is 2000 on, not also before 1986 (no film had fit)
    # a comparison is no wish for recent films: "more recent ones" after Spielberg's films is newer than them, not the
    # last five years (his films had gone)
    stated = _NEWER_RE.sub(" ", low) if relative else low
    years = None if reference and not (_YEAR_LIMIT_RE.search(low) or _KIND_NOUN_RE.search(low)) \
        else attributes.year_range(stated, max_year)
    if relative:  # merged with a stated limit: "like Superbad but newer, nothing after 2015"
        lo, hi = years or (None, None)
        newer = relative.group(1) in ("newer", "more recent", "more modern") or relative.group(1).endswith(" old")
        if relative.group(1) == "more modern" and lo is not None:  # "more modern" than the list: this century
            lo = max(lo, max(than) + 1)  # at least, and newer than what it is compared with
        if relative.group(1).endswith(" old"):
            lo = None  # "not so old" beside a title is newer than it, not the years after "old" films end
        years = (max(than) + 1 if newer and lo is None else lo, min(than) - 1 if not newer and hi is None else hi)
    if years:
        lo, hi = years
        if lo is not None:
            prefs.year_min = lo
            if prefs.year_max is not None and prefs.year_max < lo and hi is None:
                prefs.year_max = None
        if hi is not None:
            prefs.year_max = hi
            if prefs.year_min is not None and prefs.year_min > hi and lo is None:
                prefs.year_min = None
        for c in [c for c in prefs.constraints if (d := avoided_decade(c)) is not None
                  and (lo or d) <= d + 9 and d <= (hi or d + 9)]:
            drop(prefs.constraints, c)  # "not the 80s" then "ok, the 80s then": asked for again
    _avoid_decades(prefs, low)


def _avoid_decades(prefs: Preferences, low: str) -> None:
    """"a sci-fi that isn't from the 80s": a constraint the filters keep (years cannot say a gap), and a range
    that lay inside that decade goes."""
    for d in avoided_decades(low):
        add(prefs.constraints, f"{AVOIDED_DECADE_PREFIX}{d}s")
        if prefs.year_min is not None and prefs.year_max is not None and d <= prefs.year_min <= prefs.year_max <= d + 9:
            prefs.year_min = prefs.year_max = None


# "something completely different" after a list of sci-fi films had got more sci-fi: the wish asks to leave it
_CHANGE_RE = re.compile(r"\b(?:something|anything|movies?|films?)\s+(?:completely|totally|entirely|really|very)\s+"
                        r"different\b|\bchange of pace\b|\bdifferent (?:genre|kind of (?:movie|film))\b|"
                        r"\bsomething else entirely\b|\b(?:mix|switch) it up\b")
DOMINANT_SHARE = 0.8  # a genre on this share of the films just shown is what the user wants to leave


def change_of_pace(prefs: Preferences, text: str, shown: list[str], catalog: Catalog) -> None:
    """Set aside the genres, moods and themes asked for so far, and avoid the genre the last list was made of,
    when the user asks for something completely different (a genre this message names stays)."""
    if not _CHANGE_RE.search(text.lower()):
        return
    named = {a.value for a in attributes.find_attributes(text, catalog) if a.kind == "genre" and not a.negated}
    prefs.liked_genres[:] = [g for g in prefs.liked_genres if g in named]
    prefs.moods.clear()
    prefs.liked_keywords.clear()
    films = [catalog[i] for i in shown if i in catalog]
    for genre in sorted({g for it in films for g in it.genres}):
        if genre not in named and sum(genre in it.genres for it in films) >= DOMINANT_SHARE * len(films):
            add(prefs.disliked_genres, genre)
