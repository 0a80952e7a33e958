"""Attributes in free text: genres (with synonyms), people, decades and year ranges, moods, constraints.

Pure functions; the per-catalog tables (its genre spellings, its people) are built once and cached.

    find_attributes("no horror, something funny with Tom Hanks", catalog)
    -> [Attr("genre", "Horror", negated=True), Attr("genre", "Comedy"), Attr("person", "Tom Hanks")]
    year_range("nothing before 2000", max_year=2024) -> (2000, None)
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, replace

from convrec import keywords, people, polarity
from convrec.catalog import Catalog
from convrec.genre_words import (ADJECTIVE_GENRE_WORDS, AUDIENCE_WORDS, GENRES, NARROW_GENRE_WORDS,  # noqa: F401
                                 WITH_FAMILY_RE)
from convrec.moods import (AVOIDED_MOOD_PREFIX, MOOD_AVOIDS, MOOD_FILTERS, MOOD_GENRES, MOOD_WORDS,  # noqa: F401
                           ALSO_AVOIDED, ALSO_AVOIDED_TAGS, JUMP_SCARES, MOOD_KIND_TAGS, MOOD_OPPOSITES, MOODS,
                           avoided_moods, mood_tags)
from convrec.titles import COMMON
from convrec.years import (DECADE_WORDS, OLD_HOLLYWOOD_RE, OLD_MAX_YEAR, RECENT_SPAN,  # noqa: F401 (re-exported)
                           year_range)

WANTS_A_KIND = re.compile(r"\b(?:something|anything|a (?:good |great |fun )?(?:movie|film|flick)|"
                          r"in the mood for|looking for|(?:i'?m|i am|we'?re|we are) after|want(?:ing)? to (?:watch|see)|"
                          r"i want|i need|i'?d like|"
                          r"up for|fancy|what(?:'s|s| is) a (?:good )?|recommend|suggest|"
                          r"(?:best|top|any(?: good| great)?|some(?: good)?)\s+(?:[\w-]+\s+){0,2}(?:movies|films|flicks|"
                          r"thrillers|comedies|dramas|westerns|musicals|documentaries|cartoons|romcoms|"
                          r"rom-coms))\b")  # a request
# for a kind of film ("something funny, not too long", "what's a good date movie?", "the best movies of 2019")
NEG_WORDS = {"no", "not", "nothing", "without", "except", "avoid", "hate", "hates", "dislike", "never", "nor", "skip",
             "none", "tired", "sick", "less", "dont", "don't", "isn't", "aren't", "isnt", "arent", "wasnt", "doesnt"}


@dataclass(frozen=True)
class Attr:
    kind: str  # "genre", "person", "mood", "keyword" (a catalog tag: convrec.keywords) or "constraint"
    value: str  # catalog genre spelling, person name, mood label, tag or constraint text
    start: int  # character span in the clause
    end: int
    negated: bool = False  # "no horror", "nothing with Adam Sandler"
    role: str = ""  # for people: "actor" / "director"
    word: str = ""  # for genres and moods: the words that named it ("kids" for Family, "depressing" for sad)


class AttributeIndex:
    """Per-catalog tables: genre spellings and people (full names, unambiguous surnames)."""

    def __init__(self, catalog: Catalog):
        self.size = len(catalog)
        spellings = {g.lower(): g for g in catalog.genres()}
        self.genre_name: dict[str, str] = {}
        for concept, (names, _) in GENRES.items():
            self.genre_name[concept] = next((spellings[n] for n in names if n in spellings), concept)
        self.present = {c for c, (names, _) in GENRES.items() if any(n in spellings for n in names)}  # in the catalog
        self.people, self.max_name_tokens = people.table(catalog)  # lower name, surname or nickname -> (name, role)


_INDEXES: "weakref.WeakKeyDictionary[Catalog, AttributeIndex]" = weakref.WeakKeyDictionary()


def index_for(catalog: Catalog) -> AttributeIndex:
    idx = _INDEXES.get(catalog)
    if idx is None or idx.size != len(catalog):
        idx = AttributeIndex(catalog)
        _INDEXES[catalog] = idx
    return idx


# a list of capitalised names before a person ("nothing with Adam Sandler or Jim Carrey"): the
# negation before the list covers each name ("and" is left out: "I didn't like Heat and Tom Hanks is great")
_NAME_LIST_TAIL_RE = re.compile(r"[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)*\s*(?:,\s*(?:or\s+|nor\s+)?|\s(?:or|nor)\s+)$")


# a list of words joined by "or" before it: "nothing too heavy or violent" (violent had been wished for, the
# negation three words back)
_WORD_LIST_TAIL_RE = re.compile(r"\b(?:(?:too|very|so|overly|really)\s+)?[a-z][\w'-]*\s*(?:,\s*)?\s(?:or|nor)\s+$")
# after a comma, a hedge or a wish starts a clause of its own: "not stupid, maybe british?" (british had been avoided)
_FRESH_CLAUSE_RE = re.compile(r"[,;]\s*(?:(?:and|or|but)\s+)?(?:maybe|perhaps|possibly|ideally|preferably|probably|"
                              r"something|i'?d like|i want|i like|i love)\b[^,;]*$", re.IGNORECASE)


def _negated_before(text: str, start: int) -> bool:
    head = text[:start]
    fresh = _FRESH_CLAUSE_RE.search(head)
    if fresh:
        head = head[fresh.start() + 1:]
    for _ in range(4):
        m = _NAME_LIST_TAIL_RE.search(head) or _WORD_LIST_TAIL_RE.search(head)
        if not m:
            break
        head = head[:m.start()]
    before = re.findall(r"[\w']+", head.lower())[-3:]
    if "but" in before and before[-1] != "but":
        before = before[before.index("but") + 1:]  # "anything but horror" negates; "no X but Y" does not reach Y
    if before[-2:] == ["anything", "but"] or before[-2:] in (["other", "than"], ["apart", "from"], ["aside", "from"]):
        return True
    if "besides" in before and re.search(r"\w\W+besides\b", head.lower()):  # "any anime besides Studio Ghibli?"
        return True  # (it had listed five Ghibli films); "Besides comedy, I like horror" adds one
    if "why" in before and "not" in before and before.index("not") == before.index("why") + 1:
        before = before[before.index("not") + 1:]  # "why not something funny?" suggests it
    before = [w for n, w in enumerate(before) if w not in ("tired", "sick") or before[n + 1:n + 2] == ["of"]]  # "I'm
    # tired and want something easy" wants it ("tired of horror" does not)
    if any(w in NEG_WORDS or w.endswith("n't") for w in before):
        return True
    # "I don't want anything too long or too sad": the wish verb's negation reaches to the end of its part
    scope = _SCOPE_END_RE.split(head.lower())[-1]
    return bool(_NOT_WANT_RE.search(scope)) and len(scope.split()) <= 10


_NOT_WANT_RE = re.compile(r"\b(?:don'?t|do not|dont|didn'?t) (?:want|need|feel like)\b|\bnot in the mood for\b|"
                          r"\bno more\b|\bwithout\b|\bavoid\b")
_SCOPE_END_RE = re.compile(r"[,;.!?]|\b(?:but|just|instead|rather|prefer|want)\b(?!\s+(?:anything|something|any|more)\b)")


def _phrase_re(phrases) -> re.Pattern:
    alts = sorted({re.escape(p) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])")


_GENRE_RES = {concept: _phrase_re(words) for concept, (_, words) in GENRES.items()}
_MOOD_RES = {mood: _phrase_re(words) for mood, words in MOODS.items()}
_OCCASION_RE = re.compile(r"\b(?:after|getting over|going through|get over|got over)\s+(?:an?|my|the|our|this)\s+$")
_GRAPHIC_NOVEL_RE = re.compile(r"graphic novels?\b")
_LIVE_ACTION_RE = re.compile(r"\blive[- ]action\b")
_GROWN_UP_RE = re.compile(r"\b(?:more\s+)?grown[- ]?up\b(?!\s+(?:kids?|children|son|daughter))|\bfor (?:the )?"
                          r"(?:adults|grown[- ]?ups)\b|\bmore (?:adult|mature)\b")
_BREAKUP_RE = re.compile(r"\b(?:(?:just |recently )?(?:broke|broken|breaking) up|(?:went|going) through a (?:bad |rough )?"
                         r"break[- ]?up|after (?:a|my) (?:bad |rough )?break[- ]?up|(?:got|been|was) dumped)\b")
# "a movie with a dog that doesn't die" had listed Marley & Me and Hachi: no death to cry over is no sad film
_NO_DEATH_RE = re.compile(r"\b(?:doesn'?t|does not|don'?t|do not|won'?t|will not|never) (?:\w+ )?die\b(?! hard)|"
                          r"\b(?:no|without (?:a|the|any)) (?:\w+ )?(?:dies|dying|death)\b|\b(?:nobody|no one) dies\b")
_CHEESY_RE = re.compile(r"(?:cheesy|corny)\b")
_CHEESY_COMPLAINT_RE = re.compile(polarity.CHEESY_COMPLAINT)  # else "a cheesy 80s action movie" wishes for campy
# fun, not the sentimental mood (which had brought romances)
_CONSTRAINT_RES = [re.compile(p) for p in (
    r"\b(?:movies?|films?|something|anything|one)\s+about\s+[\w' -]{3,40}",
    r"\bset in\s+[\w' -]{3,30}", r"\bbased on (?:a |the )?(?:true story|book|novel|comic|video game|real events)",
    r"\bfor (?:a |my |the )?(?:date(?: night)?|kids|children|family night|girls night|movie night|halloween|christmas|"
    r"valentine'?s(?: day)?|the holidays|a party)\b",
    r"(?<!broke up )(?<!break up )(?<!split up )(?<!breaking up )"  # "I broke up with my girlfriend" is no audience
    r"\bwith (?:my )?(?:kids|children|family|wife|husband|girlfriend|boyfriend|friends|parents)\b",
    r"\b(?:short|shorter|not too long|under (?:two|2|an?|three|3|\d+) (?:hours?|minutes?|mins?)|long)\b(?= (?:movie|film|one))",
    r"\bunder (?:two|2|an?|three|3|\d+) (?:hours?|minutes?|mins?)\b",
    r"\b(?:with subtitles|subtitled|foreign|in (?:french|spanish|korean|japanese|german|italian|hindi|chinese|english))\b",
    r"\bstrong (?:female|woman) (?:lead|character)s?\b", r"\bno (?:sex|nudity|swearing)\b",
)]


_AGES = {w: n for n, w in enumerate("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                                    "fifteen sixteen seventeen eighteen nineteen".split(), 1)}
# "my 8 year old", "for a six-year-old", "my son is 7" (not "a 10 year old movie": the film's age)
_CHILD_AGE_RE = re.compile(r"\b(?:my|our|an?|with|for|some)\s+(?:(\d{1,2})|(" + "|".join(_AGES) + r"))[- ]?(?:years?|yrs?)"
                           r"[- ]?olds?\b"  # "a sleepover with 12 year olds" (a question had come back)
                           r"(?!\s+(?:movies?|films?|flicks?|ones?)\b)|"
                           r"\b(?:son|daughter|kid|boy|girl|nephew|niece|grandson|granddaughter|little one)s?"
                           r"\s+(?:is|are|who is|who are|who's|aged)\s+(?:(\d{1,2})|(" + "|".join(_AGES) + r"))\b")
# "for a teenager", "my teenage son", "my 14 year old": the audience, not the catalog's teenager theme (Inside
# Out 2 had led "something scary but not gory, for a teenager"); kept as a constraint for the semantic query
_TEEN_RE = re.compile(r"\b(?:for|with)\s+(?:a\s+|my\s+|our\s+|the\s+)?teen(?:ager)?s?\b|"
                      r"\b(?:my|our|a|with)\s+teen(?:age|aged)?\s+(?:son|daughter|kids?|boys?|girls?|nephew|niece|"
                      r"children)\b|\b(?:my|our)\s+teen(?:ager)?s?\b")
_FRIENDLY = frozenset(w for w in AUDIENCE_WORDS if "friendly" in w)  # the audience, wherever the word stands
_ADULTS_RE = re.compile(r"\b(?:for|aimed at) (?:adults|grown[- ]?ups|grownups)\b|\b(?:more )?(?:grown[- ]up|adult|mature) "
                        r"(?:version|take|movies?|films?|ones?|stuff|animation|animated \w+)\b|"
                        # "something a bit more grown up?" after a list of family films (it had got Toy Story 2)
                        r"\bmore (?:grown[- ]?up|adult|mature)\b|\bless (?:childish|kiddy|kiddie|kid-?friendly|family)\b|"
                        # "an animated movie that adults would enjoy, not too childish" had got Shrek and Ice Age
                        r"\b(?:adults|grown[- ]?ups) (?:would|will|can|could) (?:enjoy|like|love|watch)\b|"
                        r"\bnot (?:too |so |very )?(?:childish|kiddy|kiddie)\b|\bnothing (?:too )?(?:childish|kiddy)\b")
_KIND_OF_RE = re.compile(r"\s+(?:about|where|in which|set in|based on)\b")  # after a genre word: a narrower kind
# English-language films only: the catalog's "foreign language" tag is avoided ("not in English" wants it)
_ENGLISH_RE = re.compile(r"\b(?:in english|english[- ]language|english[- ]speaking|no subtitles|without subtitles)\b")
_ROMCOM_RE = re.compile(r"\bromantic[- ]comed(?:y|ies)\b|\brom[- ]?coms?\b")


TYPO_MIN_CHARS = 5  # shorter words are never read as a genre word with a typo (too many near-words)
TYPO_MAX_WORDS = 200  # a hostile 20k-character message is not searched word by word
_TYPO_TARGETS = {w: c for c, (_, words) in GENRES.items() for w in words if w.isalpha() and len(w) >= TYPO_MIN_CHARS}


def _genre_typos(low: str, taken: list[tuple[int, int]]) -> list[tuple[str, int, int, str]]:
    """(concept, start, end, genre word) for words one edit from exactly one genre's word ("comdey",
    "horor", "thriler") that are no English word of the local vocabulary ("prime" is not "crime")."""
    from convrec import titles

    vocab = titles.word_ranks()
    if not vocab:  # without the vocabulary a typo cannot be told from a rare word
        return []
    out = []
    for m in list(re.finditer(r"[a-z]{%d,}" % TYPO_MIN_CHARS, low))[:TYPO_MAX_WORDS]:
        w = m.group()
        if w in _TYPO_TARGETS or w in vocab or w in COMMON or any(a <= m.start() < b for a, b in taken):
            continue
        near = {(c, t) for t, c in _TYPO_TARGETS.items()
                if abs(len(t) - len(w)) <= 1 and t[0] == w[0] and titles.edit_distance(w, t) == 1}
        if len({c for c, _ in near}) == 1:
            concept, word = min(near)
            out.append((concept, m.start(), m.end(), word))
    return out


def genre_tags(genre: str, catalog: Catalog) -> tuple[str, ...]:
    """Tags that mean the catalog genre ``genre``: its names and words. A film tagged "musical" or "songs"
    is a musical to someone who wants none, though the catalog files Aladdin under Adventure."""
    low = genre.lower()
    for concept, name in index_for(catalog).genre_name.items():
        if name.lower() == low:
            return (low, concept.lower(), *GENRES[concept][0], *GENRES[concept][1])
    return (low,)


def genre_and_mood_words(catalog: Catalog) -> frozenset[str]:
    """Words that name a mood or a genre the catalog has: no keyword of their own (``convrec.keywords``);
    a narrow kind ("heist", "anime") is one as well as its genre."""
    present = index_for(catalog).present
    genre_words = {w for concept, (_, words) in GENRES.items() if concept in present for w in (*words, concept.lower())}
    return frozenset(genre_words | {w for words in MOODS.values() for w in words} | set(MOODS)) - NARROW_GENRE_WORDS


# a capitalised word after a tag word, across small words: "Murder on the Orient Express" (a title the catalog lacks)
_NAME_TAIL_RE = re.compile(r"(?:\s+(?i:on|of|the|in|at|and|a|an|to|from)\b)*\s+([A-Z][\w']+)")
_NOT_NAME_WORDS = frozenset("movie movies film films flick flicks one ones please i it me my you on of the in at and a an to "
                             "from".split())


def _starts_a_name(text: str, start: int, end: int, taken: list[tuple[int, int]], catalog: Catalog) -> bool:
    """A capitalised tag word that begins a longer capitalised name is part of that name, no theme: "we've seen
    Murder on the Orient Express" had wished for the murder tag (and the note said no murder film fit). Not when
    the next capitalised word is itself a tag, genre or person ("Disney Pixar films", "Christmas Comedy")."""
    m = _NAME_TAIL_RE.match(text, end) if text[start:start + 1].isupper() else None
    if m is None or m.group(1).lower() in _NOT_NAME_WORDS or any(a <= m.start(1) < b for a, b in taken):
        return False
    word = m.group(1).lower()
    return keywords.lookup(word, catalog) is None and not any(p.fullmatch(word) for p in _GENRE_RES.values())


def find_attributes(text: str, catalog: Catalog, reference: bool = False) -> list[Attr]:
    """Genres, people, moods and constraints in one clause (``reference``: it talks about a title)."""
    idx = index_for(catalog)
    low = text.lower()
    found: list[Attr] = []
    english: list[Attr] = []  # "in English": the foreign-language tag avoided, though no word negates it
    taken: list[tuple[int, int]] = []
    for person in _find_people(text, idx):
        found.append(person)
        taken.append((person.start, person.end))
    for m in _MOOD_RES[JUMP_SCARES].finditer(low):  # before the genres: "scares" alone is Horror
        if not any(a <= m.start() < b for a, b in taken):
            found.append(Attr("mood", JUMP_SCARES, m.start(), m.end(), _negated_before(low, m.start())))
            taken.append((m.start(), m.end()))
    # a genre ruled out without being named: "live action" (no cartoon, and no action wish: "live action family
    # films" had wished for Action), a breakup (a romance is the last thing then: "I just broke up ..., something to
    # take my mind off it" had listed It Happened One Night first), "something more grown up" (after Pixar films it
    # had listed Barbie and Isle of Dogs)
    for rx, concept, word in ((_LIVE_ACTION_RE, "Animation", "animated"), (_BREAKUP_RE, "Romance", "romance"),
                              (_GROWN_UP_RE, "Family", "family")):
        for m in rx.finditer(low) if concept in idx.genre_name else ():
            if not any(a <= m.start() < b for a, b in taken):
                found.append(Attr("genre", idx.genre_name[concept], m.start(), m.end(), True, word=word))
                taken.append((m.start(), m.end()))
    for m in _ROMCOM_RE.finditer(low):
        if any(a <= m.start() < b for a, b in taken):
            continue
        negated = _negated_before(low, m.start())
        # "no rom-coms" avoids the romance, not every comedy; "a romantic comedy" wants both
        for concept in ("Romance",) if negated else ("Romance", "Comedy"):
            found.append(Attr("genre", idx.genre_name[concept], m.start(), m.end(), negated))
        taken.append((m.start(), m.end()))
    for concept, pattern in _GENRE_RES.items():
        for m in pattern.finditer(low):
            if any(a <= m.start() < b for a, b in taken):
                continue
            word = m.group()
            if word in ADJECTIVE_GENRE_WORDS and reference:
                continue  # "Superbad was funny" describes the film, not a wish
            after = low[m.end():m.end() + 12]  # "kids movies", "the kids ones": the genre
            if concept == "Family" and word not in _FRIENDLY \
                    and not re.search(r"\b(?:movie|film|flick|friendly|night|one|stuff)s?\b", after) \
                    and not re.search(r"\b(?:for|with)\s+(?:the\s+|my\s+|our\s+)?(?:whole\s+|entire\s+)?$",
                                      low[:m.start()]) \
                    and not (word in AUDIENCE_WORDS and re.search(r"\b(?:my|our)\s+$", low[:m.start()])):
                continue  # "my family and I" is not the genre; "my kids are 6 and 9" is the audience, as is
                # "for the whole family" (Die Hard had followed "a good Christmas movie for the whole family")
            negated = _negated_before(low, m.start())
            kind_of = negated and _KIND_OF_RE.match(low, m.end())  # "no more dramas about cancer": not every drama
            if not (negated and word in NARROW_GENRE_WORDS) and not kind_of:
                found.append(Attr("genre", idx.genre_name[concept], m.start(), m.end(), negated, word=word))
            narrow = word in NARROW_GENRE_WORDS or concept not in idx.present
            tag = keywords.lookup(word, catalog) if narrow and not reference else None
            if tag:  # "heist movies": the catalog's heist tag says more than Crime (or Superhero, no genre in it)
                found.append(Attr("keyword", tag, m.start(), m.end(), negated))
            taken.append((m.start(), m.end()))
    for m in _CHILD_AGE_RE.finditer(low):  # "with my 8 year old": the kids' audience, as "with my kids"
        years = _age(m)
        if any(a <= m.start() < b for a, b in taken) or years > 19:
            continue
        if years <= 12:
            found.append(Attr("genre", idx.genre_name["Family"], m.start(), m.end(), _negated_before(low, m.start()),
                              word="kids"))
        else:  # "my son is 15": a teenager, no kids' audience
            found.append(Attr("constraint", "for a teenager", m.start(), m.end(), False))
        taken.append((m.start(), m.end()))
    for m in _TEEN_RE.finditer(low):  # an audience is never negated by what came before ("not gory, for a teen")
        if not any(a <= m.start() < b for a, b in taken):
            found.append(Attr("constraint", "for a teenager", m.start(), m.end(), False))
            taken.append((m.start(), m.end()))
    for m in _ADULTS_RE.finditer(low) if "Family" in idx.genre_name else ():  # "like Toy Story but for adults"
        if not any(a <= m.start() < b for a, b in taken):  # is the kids' audience ruled out (as "not for kids")
            found.append(Attr("genre", idx.genre_name["Family"], m.start(), m.end(), True, word="kids"))
            taken.append((m.start(), m.end()))
    for concept, start, end, word in _genre_typos(low, taken):  # "a romantic comdey", "any good horor films?"
        found.append(Attr("genre", idx.genre_name[concept], start, end, _negated_before(low, start), word=word))
        taken.append((start, end))
    if not reference:
        for mood, pattern in _MOOD_RES.items():
            for m in pattern.finditer(low):
                if any(a <= m.start() < b for a, b in taken) or _GRAPHIC_NOVEL_RE.match(low, m.start()) or (
                        _CHEESY_RE.match(low, m.start()) and not _CHEESY_COMPLAINT_RE.match(low, m.start())):
                    continue
                found.append(Attr("mood", mood, m.start(), m.end(), _negated_before(low, m.start()), word=m.group()))
                tag = keywords.lookup(m.group(), catalog)  # "a great twist": the mood and the "twist ending" tag
                if tag:
                    found.append(Attr("keyword", tag, m.start(), m.end(), found[-1].negated))
                taken.append((m.start(), m.end()))
        for m in _NO_DEATH_RE.finditer(low):
            if not any(a <= m.start() < b for a, b in taken):
                found.append(Attr("mood", "sad", m.start(), m.end(), True, word="die"))
                taken.append((m.start(), m.end()))
        for tag, start, end in keywords.find(low, catalog):  # "no princesses", "something with animals"
            if _OCCASION_RE.search(low, 0, start):
                continue  # what the user lives through, no theme wished: "to cheer me up after a breakup" (only
                # Midsommar is tagged breakup)
            if low[start:end] == "hollywood" and any(m.end() == end for m in OLD_HOLLYWOOD_RE.finditer(low)):
                continue  # "old Hollywood musicals" is an era (convrec.years), no film about Hollywood
            if _starts_a_name(text, start, end, taken, catalog):
                continue
            if not any(a <= start < b or start <= a < end for a, b in taken) or low[start:end] in keywords.WITH_GENRE:
                found.append(Attr("keyword", tag, start, end, _negated_before(low, start)))
                if found[-1].negated:  # "no true crime please" rules out the tag, not every crime film
                    found[:] = [a for a in found if not (a.kind == "genre" and start <= a.start < end)]
                taken.append((start, end))
        foreign = keywords.lookup(keywords.FOREIGN, catalog)
        for m in _ENGLISH_RE.finditer(low) if foreign else ():  # "like Parasite but in English" had got Oldboy
            if not any(a <= m.start() < b for a, b in taken) and not _negated_before(low, m.start()):
                english.append(Attr("keyword", foreign, m.start(), m.end(), negated=True))  # no negated list
                taken.append((m.start(), m.end()))
        for pattern in _CONSTRAINT_RES:
            for m in pattern.finditer(low):
                if not any(a <= m.start() < b for a, b in taken):
                    found.append(Attr("constraint", " ".join(m.group().split()).strip(" -'"), m.start(), m.end(),
                                      _negated_before(low, m.start())))  # "anything not for kids?"
    return sorted(_negated_lists(sorted(found, key=lambda a: a.start), low) + english, key=lambda a: a.start)


_LIST_JOIN_RE = re.compile(r"\s*(?:,\s*(?:or\s+|nor\s+)?|\s(?:or|nor)\s+)")


def _negated_lists(found: list[Attr], low: str) -> list[Attr]:
    """A negation covers a list: "nothing with zombies or vampires" avoids both (vampires had been liked)."""
    out: list[Attr] = []
    for attr in found:
        prev = out[-1] if out else None
        if prev is not None and prev.negated and not attr.negated and attr.kind in ("genre", "keyword", "mood") \
                and _LIST_JOIN_RE.fullmatch(low[prev.end:attr.start]):
            attr = replace(attr, negated=True)
        out.append(attr)
    return out


def _age(m: re.Match) -> int:
    """The age a ``_CHILD_AGE_RE`` match gives, in figures (99 when unreadable)."""
    age = next(g for g in m.groups() if g)
    return _AGES.get(age, int(age) if age.isdigit() else 99)


def ages_as_kids(low: str) -> str:
    """``low`` with a child's age said as "kids" ("is it ok for a 6 year old?" -> "is it ok for kids?"); a
    teenager's age stays."""
    return _CHILD_AGE_RE.sub(lambda m: "kids" if _age(m) <= 12 else m.group(0), low)


def kids_audience(attr: Attr, low: str) -> bool:
    """``attr`` (found in the lower-cased ``low``) names a kids' audience: "for my 5 year old", "with my kids", "with
    the whole family" (a plain "family movie" is the genre only)."""
    return attr.kind == "genre" and not attr.negated and (
        attr.word in AUDIENCE_WORDS or (attr.word == "family" and bool(WITH_FAMILY_RE.search(low))))


def find_people(text: str, catalog: Catalog) -> list[Attr]:
    """People named in the text (full names, or unambiguous capitalised surnames)."""
    return _find_people(text, index_for(catalog))


def _find_people(text: str, idx: AttributeIndex) -> list[Attr]:
    return [Attr("person", name, start, end, _negated_before(text, start), role)
            for name, start, end, role in people.find(text, idx.people, idx.max_name_tokens)]
