"""What the latest user message wants now, beside the tastes the tracker keeps for the whole chat.

Preferences accumulate; a message can also ask for something in this very list: genres named with
"more" / "only" / "what about" (``genres_asked_now``: retrieval keeps only items of them), the people
and keywords it names (``asked_now``: their films lead the list, ``convrec.arrange``), or more like one
film (``focus_items``: "more like the third one"). A follow-up that only narrows ("something newer")
keeps what the message before it asked for.
"""
from __future__ import annotations

import re

from convrec import polarity
from convrec.attributes import MOOD_FILTERS, MOOD_GENRES, Attr, find_attributes, kids_audience, year_range
from convrec.catalog import Catalog
from convrec.state import USER
from convrec.tastes import seen_all_before

_ONLY_RE = re.compile(r"\b(?:more|only|just|another|other|nothing but|what about|how about)\b|"  # "more animated films",
                      # "what about a good anime?" (Star Wars followed it among animated films); "something funnier"
                      # after heist films (Inception and Pulp Fiction had stayed among the comedies), but not a verdict:
                      r"\b(?:funnier|scarier)\b(?!\s+than)")  # "it was much funnier than I expected"


# "I want a funny movie", "looking for a comedy": a request for a kind of film
_REQUEST_RE = re.compile(r"\b(?:i (?:want|need)|i'd like|i would like|wanna|looking for|look for|in the mood for|"
                         r"give me|show me|recommend(?:ations?)?|suggest(?:ions?)?|(?:^|\W)about an?)\b")  # "any
# suggestions for a family movie night?" after a liked film (Black Panther had led, the film's neighbours outranking
# the genre); "about a musician" after biopics: the music films (Goodfellas had led them)
# a follow-up that only narrows the last request: "something newer", "after 2010", "another one"
_REFINE_RE = re.compile(r"\b(?:newer|older|more recent|recent|another|others?|else|different|after|before|since|"
                        r"from the|shorter|longer|more|next|keep going)\b")


def genres_asked_now(state, catalog: Catalog) -> list[str]:
    """Genres the user's latest message asks for outright, a request to honour now (retrieval keeps
    only items of them): liked genres named with "more" / "only" ("more animated films", "only
    comedies") or, once films have been named, in a request ("I want a romantic comedy": Batman & Robin
    and The Matrix had followed it after The Dark Knight; an opening request only boosts, which on ReDial
    test keeps dedup R@10 0.195 where filtering it too gave 0.194, R@100 0.455 against 0.459), and the
    genres of a light mood it names ("something lighter": ``MOOD_FILTERS``). A message that is a genre and
    nothing else ("comedy please") asks for it as a request does.
    A follow-up that only narrows ("something newer, after 2010") keeps the genres the message before
    it requested ("I want a funny movie": Coco and Jurassic World had followed it). Otherwise genres
    only boost: on ReDial, filtering by every liked genre cost 2 points of dedup Recall@50."""
    return genre_request(state, catalog)[0]


def genres_required_now(state, catalog: Catalog) -> list[str]:
    """Of ``genres_asked_now``, those the asking message names together, each a kind the film must be of
    ("a romantic comedy": comedies that are romances; ``genres_together``)."""
    return genre_request(state, catalog)[1]


def genre_request(state, catalog: Catalog) -> tuple[list[str], list[str]]:
    """(``genres_asked_now``, ``genres_required_now``), reading the messages once (retrieval wants both)."""
    asked, text = _request(state, catalog)
    together = genres_together(text, catalog) if len(asked) > 1 else []
    return asked, together if len(together) > 1 and set(together) <= set(asked) else []


def _request(state, catalog: Catalog) -> tuple[list[str], str]:
    """(genres asked for now, the message that asked for them)."""
    users = [t.text for t in state.turns if t.speaker == USER]
    prefs = state.preferences
    if not users or not (prefs.liked_genres or set(prefs.moods) & set(MOOD_FILTERS)):
        return [], ""
    out = _asked(users[-1], prefs, catalog, _ONLY_RE)
    if not out:  # a request; films before it pull elsewhere ("I want a horror movie"), and in an opening only a kind
        # no other film stands in for counts ("I want a documentary": on ReDial Saving Private Ryan had come second)
        out = _asked(users[-1], prefs, catalog, _ANY_RE if _genre_alone(users[-1], catalog) else _REQUEST_RE)
        kids = kids_genre(users[-1], catalog)  # a kids' audience is a request, even in an opening ("a good kids movie
        out += [kids] if kids in prefs.liked_genres and kids not in out else []  # for my 5 year old" had got Black
        # Panther and Jumanji (2017) on ReDial)
        out = out if any(t.items for t in state.turns[:-1]) else [g for g in out if g in WHOLE_KINDS or g == kids]
    if out:
        return out, users[-1]
    if len(users) > 1 and (_narrows_only(users[-1], catalog, _set_aside(prefs)) or _topic_only(users[-1], catalog)):
        out = _asked(users[-2], prefs, catalog, _REQUEST_RE) or _asked(users[-2], prefs, catalog, _ONLY_RE) or \
            (_asked(users[-2], prefs, catalog, _ANY_RE) if _genre_alone(users[-2], catalog) else [])
        return out, users[-2]
    return [], ""


# how many films a message asks for: "give me 3 more", "show me ten movies" (``policy.list_length``)
_NUMBER = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)"
COUNT_RE = re.compile(rf"\b(?:give|show|recommend|suggest|list|want|need|get|send|pick|name|offer|top)\b(?:\s+\w+){{0,2}}?\s+"
                      rf"{_NUMBER}\s+(?:[\w-]+\s+){{0,2}}?(?:movies|films|suggestions|recommendations|options|titles|"
                      rf"picks|ones|more|comedies|thrillers|dramas|westerns|documentaries|musicals|cartoons)\b|"
                      rf"^\W*(?:\w+\W+)?{_NUMBER}\s+more\b")


def without_count(text: str) -> str:
    """``text`` without the number of films it asks for: "give me 3 comedies" had matched 3 Idiots."""
    m = COUNT_RE.search(text.lower())
    g = (1 if m.group(1) else 2) if m else 0
    return text[:m.start(g)] + text[m.end(g):] if m else text


_ANY_RE = re.compile(r"")


WHOLE_KINDS = frozenset({"Documentary"})
_FILLER = frozenset("a an some any good great nice movie movies film films please pls maybe one ones".split())


def kids_genre(text: str, catalog: Catalog) -> str | None:
    """The catalog's Family genre when ``text`` names a kids' audience ("for my 5 year old", "with my kids", "with
    the whole family"), else None."""
    low = text.lower()
    return next((a.value for a in find_attributes(text, catalog) if kids_audience(a, low)), None)


def _genre_alone(text: str, catalog: Catalog) -> bool:
    """A message that is a genre and nothing else, "a western", "comedies please": a request all the same ("a
    modern one" after "a western" had got Inglourious Basterds and La La Land)."""
    found = [a for a in find_attributes(text, catalog) if a.kind == "genre" and not a.negated]
    rest = text.lower()
    for a in sorted(found, key=lambda a: a.start, reverse=True):
        rest = rest[:a.start] + " " + rest[a.end:]
    return bool(found) and set(re.findall(r"[a-z]+", rest)) <= _FILLER


def _topic_only(text: str, catalog: Catalog) -> bool:
    """True for a message that names only themes ("something about nature" after "a good documentary": animated
    films had come, the documentaries forgotten)."""
    from convrec import titles

    named = [a for a in find_attributes(text, catalog) if not a.negated]
    return any(a.kind == "keyword" for a in named) and all(a.kind in ("keyword", "constraint") for a in named) \
        and not titles.link(text, catalog)


def genres_together(text: str, catalog: Catalog) -> list[str]:
    """Genres one phrase of ``text`` names together, each a kind the film must be of: "a romantic comedy",
    "a sci-fi horror", "an animated comedy" (not "a comedy or a romance"): the longest such run."""
    found = sorted((a for a in find_attributes(text, catalog) if a.kind == "genre" and not a.negated),
                   key=lambda a: a.start)
    runs: list[list] = []
    for a in found:
        last = runs[-1][-1] if runs else None
        if last is not None and (a.start == last.start or re.fullmatch(r"[\s-]*", text[last.end:a.start])):
            runs[-1].append(a)
        else:
            runs.append([a])
    best = max(runs, key=len, default=[])
    return list(dict.fromkeys(a.value for a in best)) if len(best) > 1 else []


def _wished(text: str, liked: dict[str, set[str]], catalog: Catalog) -> list[Attr]:
    """The liked people and keywords ``text`` names as a wish: not negated, not "I've seen all the Pixar movies"."""
    return [a for a in find_attributes(text, catalog) if not a.negated and a.value in liked.get(a.kind, ())
            and not (a.kind == "keyword" and seen_all_before(text, a.start))]


def asked_now(state, catalog: Catalog) -> list[Attr]:
    """Liked people and keywords the latest user message names (not negated): retrieval lists their
    films first ("what about something with Leonardo DiCaprio?" after crime films had got one DiCaprio
    film of five; "something with animals" had got Toy Story 3 and Willy Wonka)."""
    users = [t.text for t in state.turns if t.speaker == USER]
    p = state.preferences
    if not users or not (p.liked_people or p.liked_keywords):
        return []
    liked = {"person": set(p.liked_people), "keyword": set(p.liked_keywords)}
    found = _wished(users[-1], liked, catalog)
    narrows = not found and len(users) > 1 and _narrows_only(users[-1], catalog, _set_aside(p))
    if narrows or (not found and len(users) > 1 and MORE_LIKE_RE.search(users[-1])):
        asked = _request_before(state, catalog, _set_aside(p) | set(p.seen)) if narrows else last_request(state)
        earlier = _wished(asked, liked, catalog)  # not "he's seen all the Marvel ones" ("something older" had been
        # told that every Marvel film was shown)
        # "recommend me a korean movie" then "another one" (it had got Disney cartoons, seeded by the fifth film
        # shown); "a heist movie" then "something like Ocean's Eleven but newer": the wish the named film carries
        # goes on (Prisoners, Sicario had come first)
        user = next(t for t in reversed(state.turns) if t.speaker == USER)
        tags = set() if narrows else {tag for i in user.items if i in catalog for tag in catalog[i].tags}
        found = earlier if narrows else [a for a in earlier if a.kind == "keyword" and a.value in tags]
    him = HIS_WORK_RE.search(users[-1].lower()) or SAME_DIRECTOR_RE.search(users[-1].lower())
    if him and NOT_HIS_RE.search(users[-1].lower()):
        him = None  # "like that but not by him": no wish for him (``preferences.update`` avoids him)
    if him and p.liked_people and not any(a.kind == "person" for a in found):  # "something else by him"
        found.append(Attr("person", p.liked_people[-1], him.start(), him.end()))
    return found


# a person named before: "something else by him", "her other films", "what else did he make?" (the latest person
# the user likes, or the one the answer just before named: ``preferences.update``'s ``people_before``)
HIS_WORK_RE = re.compile(r"\b(?:by|with|from|starring|directed by) (?:him|her)\b|\b(?:his|her) (?:other |next |"
                         r"older |newer |best )?(?:films|movies|work|stuff)\b|"
                         r"\b(?:his|her) (?:newest|latest|last|most recent|first|oldest|best|next)(?: ones?| films?| movies?)?\b|"
                         r"\b(?:has|did|does|have) (?:he|she) (?:made|make|directed|direct|done|do|been in|starred in|"
                         r"acted in) (?:(?:anything|something) else|any other (?:films?|movies?))\b|"  # "has he made anything else?"
                         r"\bwhat else (?:did|has|does|have|is) "
                         r"(?:he|she)(?: been)? (?:make|made|direct|directed|do|done|star|starred|act|acted|in)\b")


# the director of the film talked about: "something by the same director?" (``preferences.update`` adds them)
SAME_DIRECTOR_RE = re.compile(r"\bsame (?:director|filmmaker)\b|\b(?:by|from) the same (?:guy|person|people|team)\b|"
                              r"\b(?:by|from) (?:that|this) (?:guy|dude|man|woman|person)\b|"  # "more from that guy?"
                              r"\b(?:by|from) (?:that|this|the|its) (?:director|filmmaker)\b|"  # "more from that director"
                              r"\b(?:that|this|the|its) director'?s? (?:other |next |best )?(?:films|movies|work)\b")


# the person talked about, avoided: "what else is like that but not by him" (Hitchcock's The Birds had come first)
NOT_HIS_RE = re.compile(r"\b(?:not|nothing|none|no more|anything but|but not)\s+(?:by|from|with|starring)\s+(?:him|her)\b|"
                        r"\bnot (?:his|her)\s+(?:films|movies|stuff|work)\b")
# the director of the films talked about, avoided: "something by a different director" (``preferences.update``)
OTHER_DIRECTOR_RE = re.compile(r"\b(?:different|other|another|new) (?:director|filmmaker)s?\b|"
                               r"\bnot (?:by |from )?the same (?:director|filmmaker)\b")


def _asked(text: str, prefs, catalog: Catalog, cue: re.Pattern) -> list[str]:
    """Liked genres ``text`` names after ``cue`` ("more ...", "I want ..."), and its light moods' genres."""
    named = [a for a in find_attributes(text, catalog) if not a.negated]
    genres = {a.value for a in named if a.kind == "genre"}
    moods = {a.value for a in named if a.kind == "mood"}
    light = [g for m in prefs.moods if m in moods and m in MOOD_FILTERS for g in MOOD_GENRES[m]]
    out = [g for g in prefs.liked_genres if g in genres] if cue.search(text.lower()) or light else []
    return out + [g for g in light if g not in out]  # a genre named beside a light mood is asked too ("a feel good
    # sports movie" had kept comedies and family films only: Rocky, a sports drama tagged feel-good, was left out)


def unseen_of_liked(prefs, catalog: Catalog) -> set[str]:
    """Films the user has not seen, by a person they like or with a keyword they like: named, yet just what to
    suggest ("I've seen all his movies except Dunkirk" after Nolan films had left Dunkirk out, "I've seen them all
    except Coco and Soul" after Pixar films Coco)."""
    fans = {p.lower() for p in prefs.liked_people}
    marks = {k.lower() for k in prefs.liked_keywords}
    if not fans and not marks:
        return set()
    return {i for i in prefs.not_seen if i in catalog and i not in prefs.disliked and i not in prefs.seen
            and (fans & {x.name.lower() for x in catalog[i].people} or marks & {t.lower() for t in catalog[i].tags})}


def _request_before(state, catalog: Catalog, turned_down: set[str], depth: int = 3) -> str:
    """The latest earlier message that got a list and asks for something, passing over those that only narrow or
    set films aside: "something with Leonardo DiCaprio", "seen Inception and The Departed too", then "any others?"
    (his films were gone, and no note had said so). ``last_request`` when none does."""
    turns = state.turns
    listed = [t.text for n, t in enumerate(turns[:-2]) if t.speaker == USER and turns[n + 1].speaker != USER
              and turns[n + 1].items]
    for text in listed[::-1][:depth]:
        if not _narrows_only(text, catalog, turned_down):
            return text
    return last_request(state)


def last_request(state) -> str:
    """The latest user message before this one that got a list, passing over questions answered in between
    ("something with a female lead", "who is in the second one?", then "I saw it already. next" had lost the
    female lead); the message just before when none got a list."""
    turns = state.turns
    users = [n for n, t in enumerate(turns[:-1]) if t.speaker == USER]
    for n in reversed(users):
        if n + 1 < len(turns) - 1 and turns[n + 1].speaker != USER and turns[n + 1].items:
            return turns[n].text
    return turns[users[-1]].text if users else ""


def _set_aside(prefs) -> set[str]:
    """Films turned down or only seen: naming them wants nothing new ("seen Ocean's Eleven" after a heist list
    had dropped the heists for Pulp Fiction and Se7en)."""
    return set(prefs.disliked) | (set(prefs.seen) - set(prefs.liked))


def _narrows_only(text: str, catalog: Catalog, turned_down: set[str] = frozenset()) -> bool:
    """True for a message that narrows without naming a genre, person, mood or title to want ("something
    newer") or only says what to avoid ("not a spaghetti western though": the westerns asked for had gone;
    "not Dune please" after Denis Villeneuve's films: ``turned_down`` holds the ids set aside, ``_set_aside``)."""
    from convrec import titles

    low = text.lower()
    links = titles.link(text, catalog)
    named = [a for a in find_attributes(text, catalog)  # not a word of a title: "ocean" in "seen Ocean's Eleven"
             if not any(m.start <= a.start < m.end for m in links)]
    linked = {m.item_id for m in links}
    if any(not a.negated for a in named) or linked - set(turned_down):
        return False
    if linked:  # only films turned down: "not Dune please"
        return True
    return bool(_REFINE_RE.search(low) or year_range(low) or named)


# "more like the third one", "others like Alien", "more similar to that one", and after other titles
# "something like Groundhog Day" (it had got Avatar and Interstellar after Alien and The Thing); an opening
# "something like Alien" has no other title to weigh against (``focus_items``), and the fitted reranker serves it
# "anything similar?" with nothing after it: like the film just talked about (The Hangover, asked about, had been
# followed by The Lord of the Rings)
_BARE_SIMILAR = r"\b(?:anything|something|more|others?|ones?|movies?|films?)\s+(?:\w+\s+)?similar\b(?!\s+to\b)"
MORE_LIKE_RE = re.compile(r"(?i)\b(?:more|others?|ones?|something|anything|stuff|things|(?:a )?(?:movies?|films?))\s+"
                          r"(?:just\s+|a bit\s+|kind of\s+)?(?:like|similar to)\b|"
                          # a message that starts with it: "like Parasite" after other titles had stayed like Amelie
                          r"^\W*(?:(?:just|more|sort of|kind of|maybe|ok(?:ay)?|now)\s+)?(?:like|similar to)\s+(?=\w)|"
                          + _BARE_SIMILAR)


_IT_RE = re.compile(r"(?i)\b(?:like|similar to)\s+(?:it|that|this|that one|this one|that film|that movie)\b")


_BARE_SIMILAR_RE = re.compile("(?i)" + _BARE_SIMILAR)


def more_like_it(text: str) -> bool:
    """"more like that", "anything similar to it", "anything similar?": more like the film just talked about."""
    return bool(MORE_LIKE_RE.search(text or "") and (_IT_RE.search(text or "") or _BARE_SIMILAR_RE.search(text or "")))


def more_like_items(state) -> list[str]:
    """The titles the latest message asks for more of ("more like the third one", "something like it"):
    the items of that USER turn when it asks that way, else none."""
    last = state.turns[-1] if state.turns else None
    if last is None or last.speaker != USER or not MORE_LIKE_RE.search(last.text):
        return []
    return list(last.items)


def focus_items(state) -> list[str]:
    """``more_like_items`` when the conversation had other titles (they then step back for this one)."""
    items = more_like_items(state)
    earlier = set(state.shown).union(*(t.items for t in state.turns[:-1])) if items else set()
    return items if earlier - set(items) else []


# "something else", "none of those", "show me different ones": the list just shown missed
_ELSE_RE = re.compile(r"(?i)\b(?:something|anything|others?|show me|give me|any)\s+(?:else|different)\b|"
                      r"\bnone of (?:these|those|them)\b|\bnot (?:these|those|them)\b|\bdifferent ones\b|"
                      r"\bother (?:options|suggestions|ones)\b|"
                      # a verdict on the whole list as the message's first word: "boring. something lighter please"
                      r"^\W*(?:boring|meh|nah|nope|yawn|no thanks|not (?:really|interested))\b")
# a bare "no" after a list (the next list had been "similar to" the films refused); not after a question: ReDial's
# "have you seen X, Y or Z?" "no" is an answer (counted as a refusal, it cost ReDial test dedup R@10 one sample)
_BARE_NO_RE = re.compile(r"(?i)^\W*no\W*$")
LIST_MIN = 3  # a chat list (five films); a ReDial recommender turn names one or two, and stays evidence


def rejected_list(state) -> list[str]:
    """The films of every list the next message turned down as a whole ("something else"): no evidence of
    taste for the lists after it (after "surprise me" then "something else", Jurassic Park came "similar
    to Jurassic World which I suggested")."""
    out: list[str] = []
    for k, (before, after) in enumerate(zip(state.turns, state.turns[1:])):
        if before.speaker != USER and after.speaker == USER and len(before.items) >= LIST_MIN \
                and (_ELSE_RE.search(after.text) or (_BARE_NO_RE.match(after.text) and "?" not in before.text)
                     or _basis_withdrawn(state, k, after.text)):
            out += before.items
    return out


_CORRECTING_RE = re.compile(r"(?i)\b(?:actually|wait|i was wrong|my bad|my mistake|to be honest|tbh)\b")


def basis_withdrawn(state) -> bool:
    """The latest message took back the only taste the list just shown was built on ("it was mid")."""
    turns = state.turns
    return len(turns) >= 2 and turns[-1].speaker == USER and len(turns[-2].items) >= LIST_MIN and \
        _basis_withdrawn(state, len(turns) - 2, turns[-1].text)


def _basis_withdrawn(state, k: int, text: str) -> bool:
    """"actually I did not like it" after a list for "I loved Inception": the films the list was built on are
    disliked now, so it is no evidence either (the next lists had all been "similar to ... which I suggested")."""
    if not (_CORRECTING_RE.search(text) or verdict_on_own_film(state.turns[:k], text)):
        return False
    named = last_named(state.turns[:k])
    return bool(named) and all(i in state.preferences.disliked for i in named)


_PAST_VERDICT_RE = re.compile(r"(?i)^\W*(?:(?:but|well|honestly|tbh|hmm+|meh|eh)\W+)*(?:it|that|that one) was\b|"
                              r"\bi (?:hated|loved|liked|enjoyed|did ?n[o']t (?:like|love|enjoy)) (?:it|that one)\b")


def verdict_on_own_film(turns, text: str) -> bool:
    """"it was mid" right after a list for "I watched Get Out": a past verdict on "it" is about the one film the
    user's previous message named (none of the five just shown was watched in between; Get Out had stayed liked)."""
    prev = next((t for t in reversed(turns) if t.speaker == USER), None)
    return bool(_PAST_VERDICT_RE.search(text)) and prev is not None and len(prev.items) == 1


def just_named(turns) -> list[str]:
    """The titles the user's previous message named (none when it named none)."""
    return next((t.items for t in reversed(turns) if t.speaker == USER), [])


def last_named(turns) -> list[str]:
    """The titles of the latest user turn that named any."""
    return next((t.items for t in reversed(turns) if t.speaker == USER and t.items), [])


_GOES_ON_RE = re.compile(r"\W*(?:oh\s+)?(?:and(?:\s+also)?|also|plus|as well as)\b", re.IGNORECASE)


def continued(turns, text: str) -> str:
    """The text the tracker reads for ``text``: after a question, "and The Notebook" goes on with the user's
    last message ("I hated Titanic"), so it is read after it (The Notebook had been liked, as the answer to
    "What's a film you loved?"). Any other message is itself."""
    last = turns[-1] if turns else None
    if last is None or last.speaker == USER or last.items or not _GOES_ON_RE.match(text) or \
            not polarity.classify(text.lower()).empty:
        return text
    before = next((t.text for t in reversed(turns) if t.speaker == USER), None)
    return f"{before} {text}" if before else text
