"""Answers to factual questions about a film the user names or was shown.

"who directed the first one?", "what is Alien about?", "who's in it?", "when did number 3 come
out?", "tell me more about the second one", "why the first one?" (from what the user said and the
film's facts), "is Rope in there?" (whether the catalog has it): the answer is read from the catalog
item, never generated, so it states only the catalog's facts. ``convrec.dialogue`` replies with it instead of
a new list; a question that points at no film (or at several, with "it") is left to the policy. The
sentences about one film are ``convrec.film_facts``'.

    from convrec.answers import answer
    answer("who directed the second one?", catalog, shown=state.last_shown())  # -> Answer | None
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from convrec import polarity
from convrec.attributes import ages_as_kids
from convrec.catalog import Catalog
from convrec.film_facts import IS_A, MISSING, NOT_IN_SCHEMA, describe, join, why
from convrec.genre_words import AUDIENCE_WORDS
from convrec.keywords import LANGUAGES
from convrec.moods import WORD_MOOD
from convrec.state import Preferences

FACTS = {  # fact -> words that ask for it (matched on the lower-cased message)
    "why": r"^\W*(?:but |and |so |ok |okay )?why\b(?! not\b)|\bhow come\b|\bwhat makes (?:it|that|this|the \w+ one)\b|"
           r"\b(?:explain|tell me) why\b|\bwhy (?:did|do) you (?:pick|choose|chose|suggest|recommend)",  # "can you
    # explain why you picked the first one?" had got a new list
    # "is it good?" had got a new list: the catalog holds no reviews, so the answer is why it fits
    "quality": r"\b(?:is|was) (?:it|that|this|that one|this one|the \w+ one|\S+) (?:any |really |actually )?good\b|"
               r"\bworth (?:it|watching|seeing|a watch)\b|\bhow good is\b|\b(?:are|were) (?:they|these|those|the \w+) "
               r"(?:any |really |actually )?good\b|"
               r"\b(?:it|that|this|that one|this one|the \w+ one|number \d)(?: is|'s| was) "
               r"(?:any |really |actually )?good\s*\?|"
               # "what do you think of Titanic?" had got a question back
               r"\bwhat (?:do|did) you think (?:of|about)\b|\b(?:your |any )?thoughts on\b|\byour (?:opinion|take) (?:of|on)\b",
    # "the third one is good?" (read as praise: the film had been marked liked and seen)
    "director": r"\bwho (?:directed|made)\b|\bdirector\b|\bdirected\b",
    # "who wrote the first one?" had got a new list
    "writer": r"\bwho (?:wrote|writes|penned)\b|\bwriters?\b|\bscreenplay\b|\bscreenwriters?\b|\bwritten by\b",
    "cast": r"\bwho(?:'s| is| was| are| were)? (?:in|starring|starred|stars?|acts?|plays?)\b|\bcast\b|"
            r"\bactors?\b|\bactress(?:es)?\b|\bstarring\b|\bthe leads?\b|\bwho (?:voices|voiced)\b|\bvoice (?:cast|actors?)\b|"
            # "is she in the third one?", "is Tom Hanks in it?" (a new list had come)
            r"\b(?:is|was|are|were) (?!it\b|that\b|this\b|there\b|any\w*\b|some\w*\b)(?:\w+ ){1,2}in (?:it|that|this|"
            r"the (?:first|second|third|fourth|fifth|last)|X+)\b|\bdoes (?:he|she) (?:star|appear|play) in\b",
    "plot": r"(?<!what )(?<!how )\babout\b|\bplot\b|\bstory\b|\bsynopsis\b|\bpremise\b",  # not "what about X"
    "year": r"\bwhen (?:was|did|is|does)\b|\bwhat year\b|\bhow old\b|\breleased?\b|\bc[oa]me out\b",
    "genre": r"\bwhat (?:kind|sort|type) of (?:movie|film)\b|\bgenres?\b",
    # "does the second one have a happy ending?" had got a new list: answered from its mood tags
    "ending": r"\b(?:happy|sad|good|bad|tragic|upbeat|depressing)\s+endings?\b|\bhow (?:does )?(?:it|that|this) end\b|"
              r"\bend (?:well|happily|badly|sadly)\b",
    # "has it got a sequel?" had got a list of Toy Story films after Monsters, Inc.
    "sequel": r"\b(?:sequels?|prequels?|follow[- ]ups?|part (?:2|two)|(?:a|the) series|(?:a|the) franchise)\b",
    # "is the first one in english?", "how many oscars did it win?" had each got a new list
    "language": r"\bin (?:english|" + "|".join(sorted(LANGUAGES)) + r")\b|\bwhat languages?\b|\blanguages?\b|"
                r"\bsubtitle[sd]?\b|\bdubbed\b",  # "is the second one in french?" had got a new list too
    "source": r"\bbased on\b|\badapt(?:ed|ation)\b|\bfrom (?:a|the) (?:book|novel|comic)\b",  # "is it based on a book?"
    # "is the second one in black and white?" had got a new list
    "colour": r"\bblack[- ]?(?:and|&|n)[- ]?white\b|\bb ?& ?w\b|\bin colou?r\b|\bmonochrome\b",
    "awards": r"\boscars?\b|\bacademy awards?\b|\bawards?\b|\bnominat\w*",
    "rating": r"\brated\b|\brating\b|\bage (?:limit|restriction)\b|\bpg(?:-13)?\b|\bcertificate\b",
    "runtime": r"\bhow long\b|\brun ?time\b|\brunning time\b|\blength\b|"
               r"^\s*(?:is|was)\b.*\b(?:long|short|lengthy)\b.*\?\s*$",  # "is the second one long?"
    # "is it on netflix?" had been read as a request: a new list came back instead of an answer
    "streaming": r"\b(?:on|in) (?:netflix|hulu|prime(?: video)?|amazon|disney ?\+|disney plus|hbo|max|apple tv|peacock|"
                 r"paramount ?\+?|youtube|tubi)\b|\bwhere (?:can|could|do|should) (?:i|we) (?:watch|stream|see|find|rent|buy)\b|"
                 r"\bstream(?:ing|able)?\b|\bavailable\b",
}


def _is_re(words) -> re.Pattern:
    """"is it <word>?" or "how <word> is it?" ("how scary is it?" had got a new list); the word is ``_word(m)``."""
    alts = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(rf"^(?:[^,?]*,\s*)?\W*(?:(?:and|so|ok|okay|but|also|well|hmm+)\W+)*"  # "and is it good for kids?",
                      # "the third looks fun, is it ok for kids?" (a new list had come)
                      rf"(?:(?:is|was|would|are)\b.*?\b(?P<w>{alts})\b|how (?P<h>{alts}) (?:is|was|are)\b)")


def _word(m: re.Match) -> str:
    return m.group("w") or m.group("h")


_IS_A_RE = _is_re(IS_A)
# "is it sad?": a mood, answered from the film's tags ("the 2nd one. is it sad?" had got a new list)
_MOOD_WORDS = {w: mood for w, mood in WORD_MOOD.items() if w not in IS_A and " " not in w
               and w not in ("odd", "cry", "deep", "grand") and mood not in ("classic", "date-night", "lighter")}
_IS_MOOD_RE = _is_re(_MOOD_WORDS)
_FACT_RES = {fact: re.compile(p) for fact, p in FACTS.items()}
# a question mark, or a question word first, after fillers: "ok and is it on netflix"
_QUESTION_RE = re.compile(r"\?\s*$|^\W*(?:(?:ok(?:ay)?|and|so|but|cool|great|hmm+|well|also|oh)\W+)*"
                          r"(?:who|what|what's|whats|when|which|where|why|how|is|was|does|do you know)\b")
# a statement checked with a tag: "the second one is for kids, right?", "it's scary, isn't it?"
_TAG_QUESTION_RE = re.compile(r"^\W*(?P<who>it|that|this|that one|this one|(?:the )?(?:first|second|third|fourth|fifth|last)"
                              r"(?: one)?)(?:\s+is|'s)\s+(?P<what>[^,?]+?)[,\s]+(?:right|isn'?t it|is it|correct|yes)\s*\?+\s*$")
_TOPIC_RE = re.compile(r"\b(?:movies?|films?|something|anything|stuff|(?:a|an|any|some) (?:\w+ )?ones?)\s+about\b")  # "films about space"
_WANTS_FILMS_RE = re.compile(r"\b(?:anything|something|any (?:\w+ )?(?:movies?|films?)|recommend|suggest|more like|"
                             r"similar)\b")
_SINGULAR_RE = re.compile(r"\b(?:it|its|it's|that one|this one|that movie|this movie|that film|this film|the movie|"
                          r"the film)\b|\b(?:of|about|in|directed|made) (?:that|this)\W*$|"  # "the director of that"
                          r"\b(?:what|who|when|how)(?:'s|s|\s+is|\s+was)\s+(?:that|this)\b")  # "what is that about"
_MORE_RE = re.compile(r"\btell me more\b(?!,? (?:movies?|films?|options?|recommendations?|suggestions?|titles?|like|"
                      r"please,? (?:movies|films)))")  # "the second one sounds good, tell me more"; not "tell me more films"
_PLURAL_RE = re.compile(r"\b(?:them|they|those|these|both|each|all of them|those movies|these movies)\b")
# a bare title after "what about" (titles are blanked to X's by _untitled): not "what about the Batman movies?"
_WHAT_ABOUT_RE = re.compile(r"^\W*(?:(?:and|so|ok|okay|hmm|well|but)\W+)?(?:what|how) about\s+(?:the\s+)?X+\s*\W*$|"
                            # "the second one?" alone asks about it (it had got a new list)
                            r"^\W*(?:(?:and|so|ok|okay|hmm|well|but|what about|how about)\W+)*(?:the (?:first|second|"
                            r"third|fourth|fifth|last) one|number [1-5])\s*\?\s*$|"
                            # a bare title asked: "top gun?" after Tom Cruise films (it had got Star Wars films)
                            r"^\W*(?:(?:and|so|ok|okay|hmm|well|but)\W+)?(?:the\s+)?X+\s*\?+\s*$")
# the order facts are told in
ALL_FACTS = ("why", "quality", "year", "genre", "director", "writer", "cast", "plot", "ending", "sequel", "language", "colour",
             "source", "awards", "rating", "runtime", "streaming")
MORE_FACTS = ("genre", "director", "cast", "plot")  # "tell me more about X": the year is in its label already
COMPARE_FACTS = ("genre", "director", "cast")  # "what's the difference between the first two?"
_COMPARE_TWO_RE = re.compile(r"\bcompare\b|\bdifferences? between\b|\bhow (?:do|does) (?:they|these|those|the \w+ \w+) "
                             r"(?:differ|compare)\b")
# "which one should I watch?" after a list had got another list: the first, and why
_PICK_RE = re.compile(r"^\W*(?:(?:ok(?:ay)?|so|hmm+|well|and)\W+)*(?:which|what)(?: one)?(?: of (?:these|those|them))?"
                      r"(?: one)? (?:should|would|do you (?:think|recommend)|would you (?:pick|choose|watch|recommend))"
                      r"(?: (?:i|we))? ?(?:watch|pick|choose|go (?:for|with)|start with|see)?(?: first| tonight)?\W*$|"
                      r"^\W*(?:just )?(?:pick|choose) (?:one|for me)\b")


@dataclass
class Answer:
    text: str
    item_ids: list[str]  # the films it is about (what "it" means next)


# "is it ok for my kids?", "for the children": the audience words, as "for kids" (a child's age too: ``ages_as_kids``)
_FOR_KIDS_RE = re.compile(r"\bfor (?:an? |my |our |the |young |little |small )?(?:" + "|".join(
    re.escape(w) for w in sorted(AUDIENCE_WORDS | {"child", "little ones"}, key=len, reverse=True)) + r")\b")


def asked_facts(low: str) -> list[str]:
    """The facts a message asks for, in ``ALL_FACTS`` order after an "is it scary?" check (``IS_A``);
    ``MORE_FACTS`` for "tell me more about"."""
    low = _TAG_QUESTION_RE.sub(r"is \g<who> \g<what>?", low)  # "the second one is for kids, right?" had got a list
    low = _FOR_KIDS_RE.sub("for kids", ages_as_kids(low))  # "is it ok for a 6 year old?"
    if polarity.INFO_REQUEST.search(low) or _MORE_RE.search(low):
        return list(MORE_FACTS)
    if _COMPARE_TWO_RE.search(low):  # "compare the first two" had got a new list
        return list(COMPARE_FACTS)
    if _WHAT_ABOUT_RE.match(low):
        return list(MORE_FACTS)  # "what about Sicario?": tell about that one film (it had got a new list without it)
    if not _QUESTION_RE.search(low):
        return []
    found = [f for f in ALL_FACTS if _FACT_RES[f].search(low)]
    is_a = _IS_A_RE.search(low)
    if is_a and "genre" not in found:
        found.insert(0, "is " + _word(is_a))  # "is it scary?": answered from its genres
        if re.search(r"\bgood (?:for|with)\b", low):
            found = [f for f in found if f != "quality"]  # "good for kids" asks who it suits, not how good it is
    elif (mood := _IS_MOOD_RE.search(low)) and not found:
        found.insert(0, "mood " + _MOOD_WORDS[_word(mood)])  # "is it sad?": answered from its tags
    if found == ["plot"] and _TOPIC_RE.search(low):
        return []  # "any films about space?" asks for films, not for a plot
    if found in (["streaming"], ["ending"], ["colour"], ["language"]) and _WANTS_FILMS_RE.search(low):
        return []  # "anything on netflix like Alien?", "any movies with a happy ending?" ask for films
    return found


def referents(text: str, catalog: Catalog, shown: list[str], focus: list[str]) -> list[str] | None:
    """The films a question points at: titles it names, "the second one", "it" (``focus``: what the
    last answer was about, else the one film shown), "them" (everything shown). None: it points at
    several films with a singular word, so which one is unclear."""
    from convrec import preferences, titles

    mentions = [m.item_id for m in titles.link(text, catalog, shown)]
    mentions += [m.item_id for m in preferences.ordinal_mentions(text, shown) if m.item_id not in mentions]
    if mentions:
        return mentions
    low = text.lower()
    if _PLURAL_RE.search(low):
        return list(shown)
    if _SINGULAR_RE.search(low):
        pool = focus or shown
        return list(pool) if len(pool) <= 1 else None
    return []


# "is rope in there?", "do you have The Birds?": whether the catalog holds a film (the question had got a list)
_PRESENCE_RE = re.compile(
    r"^\W*(?:(?:and|so|ok|okay|hmm|also|btw|oh|but)\W+)*(?:(?:is|are)\s+(?P<a>.+?)\s+(?:in (?:there|here|the catalog|"
    r"your catalog|the list|your list|the database|your database|your collection)|included)|(?:do|does) (?:you|the "
    r"catalog) (?:have|carry|include|know)\s+(?P<b>.+?)|(?:have you|you) got\s+(?P<c>.+?))(?:\s+(?:at all|too|as well|"
    r"in there|in the catalog))?\W*$")
_NOT_A_TITLE_RE = re.compile(r"^(?:it|that|this|they|them|those|these|any|anything|something|some|more|other|a|an|"
                             r"films?|movies?|recommendations?|suggestions?|ideas?|favou?rites?|one|ones)\b")


def presence(text: str, catalog: Catalog) -> Answer | None:
    """"is Rope in there?": yes with the film's facts, or no (the name the user gave, as given)."""
    for sentence in _sentences(text):
        asked = _presence_query(sentence, catalog)
        if asked is None:
            continue
        name, ids = asked
        if not ids:
            return Answer(f'No, I couldn\'t find "{name}" in this catalog.', [])
        return Answer("Yes. " + describe(catalog[ids[0]], ["genre", "director"]), ids[:1])
    return None


def _presence_query(sentence: str, catalog: Catalog | None) -> tuple[str, list[str]] | None:
    """(the name, the catalog ids it names) when ``sentence`` asks whether the catalog has a film."""
    name = _presence_name(sentence)
    if name is None or catalog is None:
        return None
    ids = _title_ids(name, catalog)
    if not ids and _names_a_kind(name, catalog):
        return None  # "do you have Tom Hanks?", "do you have Star Wars movies?": a request, not a title
    return name, ids


def _presence_name(sentence: str) -> str | None:
    """The name a sentence asks the catalog for ("is rope in there?" -> "rope"), None for no such question
    (nor for "do you have any comedies?", "do you have anything like Heat?": requests)."""
    low = lowered(sentence)
    m = _PRESENCE_RE.match(low.strip())
    if not m:
        return None
    group = next(g for g in "abc" if m.group(g))
    lead = len(low) - len(low.lstrip())
    name = sentence[lead + m.start(group): lead + m.end(group)].strip(" \"'")
    name = re.sub(r"(?i)^the (?:movie|film)\s+", "", name)
    return name if name and not _NOT_A_TITLE_RE.match(name.lower()) and not _WANTS_FILMS_RE.search(name.lower()) \
        else None


def _names_a_kind(name: str, catalog: Catalog) -> bool:
    """A person, genre or tag, or films in the plural: what a request names."""
    from convrec import attributes

    return bool(re.search(r"\b(?:movies|films|flicks|ones|stuff)\W*$", name.lower())
                or attributes.find_attributes(name, catalog))


def _title_ids(name: str, catalog: Catalog) -> list[str]:
    """Catalog ids for a name the user asked about by itself: its title (any case, a dropped article,
    a year) or one typo away; the best known first."""
    from convrec import titles

    linked = [m.item_id for m in titles.link(name, catalog)  # the whole name, but for a year: not Jaws for "Jaws 2"
              if re.fullmatch(r"[\s(]*(?:\d{4})?[\s).!?]*", name[:m.start] + name[m.end:])]
    if linked:
        return linked
    idx = titles.index_for(catalog)
    key = titles.key_of(name)
    keys = [key] if key in idx.keys else idx.fuzzy_keys(key)
    ids = [i for k in keys for i, _ in idx.keys[k]]
    return sorted(dict.fromkeys(ids), key=lambda i: -catalog.renown(i))


WHICH_ONE = "Which one do you mean?"


def which_one(shown: Sequence[str], catalog: Catalog, named: Sequence[str] = ()) -> str:
    """"Which one do you mean? 1. Alien (1979); 2. ..." over the films just shown (the next message picks one).
    ``named``: films the user named just before the list, offered first by name ("I loved Interstellar", a list,
    "who directed it?" had offered only the five suggestions)."""
    listed = "; ".join(f"{n}. {catalog[i].label}" for n, i in enumerate(shown[:5], 1)) + "."
    named = [i for i in named if i in catalog and i not in shown[:5]][:2]
    if not named:
        return f"{WHICH_ONE} {listed}"
    return f"{WHICH_ONE} {join([catalog[i].label for i in named], 'or')}, which you named, or one of mine: {listed}"


def _excepted(sentence: str, catalog: Catalog, shown: list[str]) -> list[str]:
    """The films a sentence sets apart: "seen them all except the third one" (then "is it good?" asks about the
    third; it had asked which one was meant)."""
    from convrec.mentions import named as named_in
    from convrec.tastes import EXCEPT_RE

    m = EXCEPT_RE.search(sentence.lower())
    return named_in(sentence[m.end():], catalog, shown) if m else []


def answer(text: str, catalog: Catalog, shown: list[str] | tuple = (), focus: list[str] | tuple = (),
           prefs: Preferences | None = None, named_before: Sequence[str] = ()) -> Answer | None:
    """The reply to a factual question about films, or None when the message asks no such question.
    Only its asking sentences choose the films ("I hated Alien. Who directed Heat?" is about Heat);
    titles in the other sentences are what "it" means ("I loved Heat. Who directed it?").
    ``named_before``: films the user named just before ``shown`` was listed, among the choices when "it" is unclear."""
    from convrec.comparisons import compare  # "which of these is the funniest?" (it imports this module's helpers)

    compared = compare(text, catalog, shown) or presence(text, catalog)
    if compared is not None:
        return compared
    if _PICK_RE.search(lowered(text)) and shown and shown[0] in catalog:
        first = catalog[shown[0]]
        return Answer(f"I'd start with {first.label}: it {why(first, prefs or Preferences(), catalog)}.", [first.id])
    asks = [(s, asked_facts(_untitled(s, catalog))) for s in _sentences(text)]
    facts = list(dict.fromkeys(f for _, fs in asks for f in fs))
    if not facts:
        return None
    shown = [i for i in shown if i in catalog]
    named: list[str] = []
    from convrec.mentions import named as named_in  # "ok the first one. is it good?" is about the first one

    for s in (s for s, fs in asks if not fs):  # "it" is the film of the nearest sentence that names one:
        named = _excepted(s, catalog, shown) or named_in(s, catalog, shown) or named  # "seen the first two. the
        # third looks good, what is it about?"; "have not seen the sequels, are they good?"
    asking = " ".join(s for s, fs in asks if fs)
    ids = referents(asking, catalog, shown, named or [i for i in focus if i in catalog])
    if len(named) > 1 and ids == shown and _PLURAL_RE.search(asking.lower()):
        ids = named  # "seen the first two, what are they about?": those two
    if ids is None:
        return Answer(which_one(shown, catalog, named_before), [])
    if not ids and facts == list(MORE_FACTS) and shown:  # a bare "tell me more" is about what was just shown
        pool = [i for i in focus if i in catalog] or shown
        ids = pool if len(pool) == 1 else None
        if ids is None:
            return Answer(which_one(shown, catalog), [])
    if not ids:
        return None
    if len(ids) > 1 and set(facts) <= NOT_IN_SCHEMA:  # "are any of these rated R?" had said it five times
        return Answer(f"The catalog has no {join([MISSING[f] for f in facts], 'or')} for any film, so I cannot tell "
                      f"for these {len(ids[:5])}.", ids[:5])
    return Answer(" ".join(describe(catalog[i], facts, prefs, catalog) for i in ids[:5]), ids[:5])


def statements(text: str, catalog: Catalog | None = None) -> str:
    """The sentences of ``text`` that ask about no film: what the preference tracker should read when
    the rest was answered ("is it scary?" is not a wish for horror)."""
    parts = _sentences(text)
    asked = [bool(asked_facts(_untitled(s, catalog))) or _presence_query(s, catalog) is not None for s in parts]
    return " ".join(s for n, s in enumerate(parts) if not asked[n] and not (
        n + 1 < len(parts) and asked[n + 1] and _SUBJECT_RE.fullmatch(_untitled(s, catalog))))


# a sentence that only names what the next one asks about: "ok the first one. is it good?" (the pick had been
# read as liking it) or "Alien. who is in it?"
_SUBJECT_RE = re.compile(r"\W*(?:(?:ok(?:ay)?|so|and|alright|hmm+|um+|well|what about|how about)\W+)*(?:(?:the\s+)?"
                         r"(?:first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th|other)(?:\s+one)?|"
                         r"(?:that|this)(?:\s+one)?|x+)\W*")


def _untitled(sentence: str, catalog: Catalog | None) -> str:
    """The lower-cased sentence with the titles it names blanked: the "story" of Toy Story or the
    "about" of About Time asks for no plot."""
    from convrec import titles

    low = lowered(sentence)
    for m in reversed(titles.link(sentence, catalog) if catalog is not None else []):
        low = low[:m.start] + "X" * (m.end - m.start) + low[m.end:]
    return low


def _sentences(text: str) -> list[str]:
    """Sentences, and a question after a comma or a "but" on its own: "I never saw Jaws, is it good?" states one
    thing and asks another (the tracker must still read "never saw Jaws"); "the first one, how long is it" and
    "sounds good but is it scary?" (it had got a new list) too."""
    return [p for p in re.split(r"(?<=[.!?])\s+|(?:,\s*|,?\s+but\s+)(?=(?:is|was|are|who|what|when|how|does|did|where)\b"
                                r"[^,]*\?*\s*$)", (text or "").strip()) if p]


def lowered(text: str) -> str:
    return text.lower().replace("\u2019", "'")
