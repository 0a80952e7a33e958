"""Ask-or-recommend policy: each system turn asks one clarifying question or recommends.

Rules, in order:
  1. the user asked for suggestions outright ("recommend something", "surprise me") -> recommend;
  2. the state supports a recommendation (a liked title or person, two other signals, or one
     signal in a request for a kind of film: "something funny") -> recommend;
  3. this would be the third system turn (two already happened), or suggestions were already
     shown (a follow-up refines them) -> recommend anyway;
  4. otherwise ask about the attribute that best splits the current candidates and was not
     asked before (``DialogueState.asked``): genre, actor, director, decade, or a liked title.

"Best splits" = Gini impurity of the attribute's values over the candidates (the catalog
minus excluded items, filtered by known genres/years) times how answerable the question is
(``ANSWERABILITY``): a person splits finely but few users can name one.

    decision = decide(state, catalog, text)
    decision.ask -> "genre" | "actor" | "director" | "decade" | "title" | None
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from convrec import attributes, wants
from convrec.catalog import Catalog, Item
from convrec.state import SYSTEM, DialogueState, Preferences

MAX_QUESTIONS = 2  # the third system turn always recommends
ANSWERABILITY = {"title": 1.0, "genre": 0.9, "decade": 0.6, "actor": 0.5, "director": 0.4}  # weight per question
QUESTIONS = {  # attribute -> question text ({examples} filled from the candidates)
    "title": "What's a film you loved recently? I'll find more like it.",
    "genre": "What kind of film are you in the mood for, for example {examples}?",
    "decade": "Any period you prefer, for example {examples}, or newer or older films?",
    "actor": "Is there an actor you'd like to see, for example {examples}?",
    "director": "Is there a director whose films you enjoy, for example {examples}?",
}
_ASK_FOR_RECS = re.compile(r"\b(?:rec+om+[ae]nd(?:ations?)?|sugg?est(?:ions?)?|surprise (?:me|us)|show (?:me|us)|give (?:me|us)|"  # and
                           # their typos: "recomend me a good scifi movei" had got a question back
                           r"anything(?: is fine| works)?|whatever|don'?t (?:know|care|mind)|idk|dunno|no idea|"
                           # a taste of films told outright: "I like movies that make me cry" had got a question
                           r"i (?:really )?(?:like|love|enjoy|prefer) (?:\w+ )?(?:movies|films) (?:that|with|where|about)|"
                           r"no preference|"
                           # "any movies where the bad guy wins?", "I'd like a movie with a strong soundtrack" (questions)
                           r"any (?:good )?(?:movies?|films?) (?:where|with|about|in which)|"
                           r"(?:what|which|any) (?:good )?(?:movies|films) (?:came out|were released|released|are from)|"
                           r"(?:everyone|everybody) (?:loves|likes|has seen)|"  # "a movie everyone loves but I ..."
                           # a film described, its name forgotten: "what's the name of that movie where the guy ..."
                           r"(?:name of|what'?s|what is|remember|looking for|trying to find) (?:that|the|this|a) "
                           r"(?:movie|film) (?:where|with|about|in which|that)|"
                           r"(?:i'?d like|i would like|i want|i need) (?:an? |some )?(?:\w+ )?(?:movies?|films?) "
                           r"(?:that|with|where|about|in which)|"
                           r"just pick|you (?:choose|pick|decide)|what should i watch|what do you have|"
                           # "what's a good movie for a rainy sunday afternoon?" had got a question back
                           r"what(?:'?s| is| are)(?: a| some)? (?:good|great|fun|nice)(?: \w+)? (?:movies?|films?)|"
                           r"what (?:movie|film) should (?:i|we) (?:watch|see)|what (?:movies|films) do you have|"
                           # "what are the best movies of all time?" had got a question back
                           r"(?:best|greatest|top|most popular|highest rated|must[- ]see)(?: \w+)? (?:movies?|films?)"
                           r"(?! (?:i|i'?ve|we|we'?ve) )|"  # "best movie of 2019?" (not "the best movie i've seen is ...")
                           # "what's the scariest movie you have?", "what's the most recent movie you have?"
                           r"what(?:'?s| is| are) (?:the|your) (?:\w+est|most \w+)\b|"
                           r"what(?:'?s| is| are) (?:popular|trending|hot)\b|"  # "what's popular right now?"
                           r"(?:movies|films) (?:of all time|everyone should see)|"
                           # "a classic I should have seen by now" had got a question back
                           r"(?:classics?|movies?|films?|one) (?:that )?(?:i|we|everyone|everybody) (?:should|must|needs? to|"
                           r"ought to|has to|have to) (?:have )?(?:seen|see|watch(?:ed)?)|must[- ]watch|"
                           r"(?:what|which)(?:'?s| is| are)? (?:your|ur) (?:favou?rites?|fav|faves?)|do you (?:like|love))\b")


_CLOSING = re.compile(r"^\W*(?:(?:ok(?:ay)?|great|perfect|awesome|cool|nice|good|sounds good|got it|will do)\W+)*"
                      r"(?:thanks?(?: you)?(?: so much| a lot| very much)?|thx|ty|cheers|that'?s (?:all|it|great|perfect)|"
                      r"(?:good ?-?)?bye|good ?night|see you)\W*(?:(?:for|that'?s|this|the|your|help|suggestions?|"
                      r"recommendations?|all|it|great|perfect|helpful|very|so|much|a lot|thanks?|thank you|bye|good ?-?bye)\W*)*$")
CLOSING_REPLY = "You're welcome, enjoy the film! Tell me whenever you'd like more suggestions."
CHOSEN_REPLY = "Great choice, enjoy it! Tell me whenever you'd like more suggestions."

# a bare reaction to a list: "lol", "hmm", "cool", "ok" (each had got a new list of five); not "yes" or "sure",
# which can answer something, nor a word that asks ("more", "others")
_REACTION = re.compile(r"^\W*(?:(?:lol|lmao|rofl|ha(?:ha)+|he(?:he)+|ha|hm+|huh|oh+|ah+|wow|whoa|cool|nice|neat|ok(?:ay)?|"
                       r"k|kk|alright|all right|i see|interesting|fair enough|fun|oh well)\W*)+$")
REACTION_REPLY = ("Want more like these, or something different? You can also ask me about any of them, or tell me "
                  "which ones you've seen.")


_CHOOSING = re.compile(r"\b(?:i'?ll|i will|i'?m going to|gonna|going to|we'?ll|we will|let'?s) (?:watch|go with|take|see|try|pick) "
                       r"(?:it|that|that one|this one|this|the (?:first|second|third|fourth|fifth|last)(?: one)?|(?:number |#)[1-5])\b"
                       r"(?! (?:later|again))"  # "I'll go with the third. thanks" (it had got a new list)
                       r"(?!.*\b(?:but|more|else|another|other|also)\b)")


_SAVING = re.compile(r"\b(?:add|put|save|keep)\b.{0,40}\b(?:to|on|in|for)\s+(?:my|the)\s+(?:watch ?list|list|queue)\b|"
                     r"\b(?:save|keep)\b.{0,30}\bfor later\b")


def saved(text: str) -> bool:
    """"add it to my list", "save that one for later": the user keeps a film to watch, and asks for nothing more."""
    low = (text or "").lower().replace("\u2019", "'")
    return bool(_SAVING.search(low)) and not re.search(r"\b(?:but|more|else|another|other|also)\b", low)


def saved_reply(labels: list[str]) -> str:
    films = " and ".join(labels) if labels else "It"
    return (f"Noted: {films} {'are' if len(labels) > 1 else 'is'} on your list of films to see, under \"Not seen "
            "yet\". Tell me whenever you'd like more suggestions.")


# "start over", "forget everything": a new search (typed, it had been read as a wish and kept every old taste)
_RESTART = re.compile(r"^\W*(?:(?:ok(?:ay)?|hmm+|actually|so|please|can we|could we|let'?s|i want to|i'd like to)\W+)*"
                      r"(?:start (?:over|again|fresh|from scratch)|reset|restart|forget (?:everything|all (?:of )?that|"
                      r"all of it|what i said)(?: (?:i|we) (?:said|told you|mentioned))?|"
                      r"new (?:search|conversation|chat)|"
                      r"clear (?:everything|my preferences|all))"
                      r"(?:\W+(?:please|pls|thanks))?\b[\s,.!:;-]*")
RESTART_REPLY = "Starting over: I've set aside everything from before. What are you in the mood for?"


def restart(text: str) -> str | None:
    """The rest of a message that starts a new search ("start over, something funny" -> "something funny"),
    None for a message that does not."""
    m = _RESTART.match((text or "").lower().replace("\u2019", "'"))
    return text[m.end():].strip() if m else None


# "what can you do?", "how does this work?": a help reply (it had got "What's a film you loved recently?")
_HELP = re.compile(r"^\W*(?:(?:hi|hello|hey|ok(?:ay)?|so|and)\W+)*(?:what (?:can|do) you do|how does (?:this|it) work|"
                   r"what (?:are|is) (?:you|this)|who are you|how do i use (?:this|you|it)|help(?: me)?)\W*$")


def asks_help(text: str) -> bool:
    """The message asks what the recommender is or does, and nothing else."""
    return bool(_HELP.match((text or "").lower().replace("\u2019", "'")))


def help_reply(n_films: int) -> str:
    return (f"I recommend films from a catalog of {n_films:,} and say why each fits. Tell me a film you loved, a "
            "genre, a mood, an actor or a period (\"something funny from the 90s, no horror\"); ask about any film "
            "I show (\"who directed the second one?\"); say \"more like the first one\", \"seen it\" or \"not for "
            "me\"; and \"start over\" begins a new search.")


# "the third one sounds good, thanks!" as the whole message (it had got a new list built on that film)
_PICKED = re.compile(r"\W*(?:(?:ok(?:ay)?|oh|ooh|great|nice)\W+)?(?:the (?:first|second|third|fourth|fifth|last)(?: one)?|"
                     r"that one|this one|that|it)\s+(?:sounds?|looks?|seems?)\s+(?:really\s+|very\s+|so\s+)?"
                     r"(?:good|great|perfect|interesting|fun|awesome|cool|nice|intriguing)"
                     r"(?:\W+(?:thanks?(?: you)?(?: so much)?|thx|ty|i'?ll (?:watch|check|try) (?:it|that)(?: out)?))+\W*")
# (without the thanks, "the second one sounds great" asks for more like it: a new list)


# "perfect, the third one it is", "number 2 it is!"
_IT_IS = re.compile(r"\b(?:(?:the )?(?:first|second|third|fourth|fifth|last)(?: one)?|number [1-9]|that one|this one)\s+"
                    r"it is\b(?!.*\b(?:but|more|else|another|other|also)\b)")


# "ok I'll watch Coco", "we're going to see Up": a film the message names is the pick (it had got a new list)
_CHOOSING_NAMED = re.compile(r"\b(?:i'?ll|i will|i'?m going to|i am going to|gonna|going to|we'?ll|we will|we'?re going to|"
                             r"let'?s) (?:watch|go with|take|see|try|pick|check out|start with)\b"
                             r"(?!.*\b(?:but|more|else|another|other|also|like|similar|any|anything|something)\b)")


def chose_named(text: str) -> bool:
    """"I'll watch Coco": the user picked the film the message names (the caller checks that it names one)."""
    return bool(_CHOOSING_NAMED.search((text or "").lower().replace("\u2019", "'")))


def chose(text: str) -> bool:
    """"sounds good, I'll watch it", "the third one sounds great, thanks!": the user picked a film and asks for
    nothing more."""
    low = (text or "").lower().replace("\u2019", "'")
    return bool(_CHOOSING.search(low) or _PICKED.fullmatch(low) or _IT_IS.search(low))


_GREETING_RE = re.compile(r"\W*(?:hi+|hello+|hey+|hiya|howdy|yo|good (?:morning|afternoon|evening)|greetings)"
                          r"(?:\s+(?:there|again|convrec|bot))?(?:\W+(?:how are you|how's it going|what's up|sup)"
                          r"(?: doing)?(?: today)?)?\W*")


def greeting(text: str) -> str:
    """"Hi! " before the first question when the message is only a greeting ("hi" had got the question alone)."""
    return "Hi! " if _GREETING_RE.fullmatch((text or "").lower().replace("\u2019", "'")) else ""


def reaction(text: str) -> bool:
    """"lol", "hmm", "cool", "ok": a reaction to the list just shown that asks for nothing."""
    return bool(_REACTION.match((text or "").lower().replace("\u2019", "'")))


def nothing_left(prefs: Preferences) -> str:
    """The reply when no film is left that fits: what rules the catalog out, and what to change ("I've seen The
    Matrix and Fight Club" after every 1999 film was shown had only been asked to "loosen a constraint")."""
    lo, hi = prefs.year_min, prefs.year_max
    limits = [("from " + str(lo) if lo == hi else f"from {lo} to {hi}") if lo and hi else
              f"from {lo} on" if lo else f"up to {hi}" if hi else ""]
    limits += [f"no {g.lower()}" for g in prefs.disliked_genres[:3]]
    limits += [f"nothing {k}" for k in prefs.disliked_keywords[:2]]
    said = ", ".join(x for x in limits if x)
    return ("Every film in this catalog that fits what you asked for" + (f" ({said})" if said else "") +
            " has been shown or ruled out. Tell me another " + ("year, " if lo or hi else "") +
            "kind of film or a film you liked, and I'll look again.")


def closing(text: str) -> bool:
    """"thanks!", "ok great, thank you for the suggestions", "bye": the user is done, not asking for more."""
    return bool(_CLOSING.match((text or "").lower().replace("\u2019", "'")))


MAX_LIST = 10  # the longest list a message may ask for ("give me 20 films" gets 10)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10}


def list_length(text: str) -> int | None:
    """How many films the message asks for ("give me 3 more", "show me ten movies"), at most ``MAX_LIST``;
    None when it names no number (a number in a film's description is no request)."""
    m = wants.COUNT_RE.search((text or "").lower())
    if not m:
        return None
    word = m.group(1) or m.group(2)
    n = _NUMBER_WORDS.get(word) or int(word)
    return min(n, MAX_LIST) if n > 0 else None


ENGLISH_ONLY_REPLY = ("Sorry, I only understand English so far. Tell me in English a film you liked, "
                      "a genre or a mood, and I'll suggest something.")
# words that mark a message as written in another language (none of them is an English word;
# "film", "a", "me", "con" are left out on purpose)
_FOREIGN_WORDS = frozenset("""
je veux voudrais une des avec pas merci bonjour salut aime j'aime quelque chose mais pour très voir drôle peur
regarder suis moi vous tu c'est quelqu'un les le un j'adore d'horreur horreur comédie comédies drôles science-fiction
quiero quisiera película películas pelicula peliculas pero gracias hola algo como miedo divertida divertido gusta
gustan estoy favor una qué
ich möchte einen eine mit nicht danke hallo etwas aber gerne sehen lustig bitte und mag gruselig
voglio vorrei grazie ciao qualcosa divertente paura piace
quero obrigado obrigada olá filme filmes engraçado medo gosto você
""".split())
_ENGLISH_WORDS = frozenset("the and i i'm want movie movies something with not is it you what like love please".split())


def english_only(text: str) -> bool:
    """True for a message that is plainly in another language ("je veux un film drôle", "quiero una
    película de miedo"): two or more of its words are marked foreign and none is common English."""
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", (text or "").lower().replace("\u2019", "'"))
    foreign = sum(w in _FOREIGN_WORDS for w in words)
    return foreign >= 2 and foreign * 3 >= len(words) and not any(w in _ENGLISH_WORDS for w in words)


@dataclass
class Decision:
    ask: str | None  # the attribute asked about, None = recommend
    text: str = ""  # the question to show when asking
    scores: dict[str, float] | None = None  # attribute -> split score (for tests and debugging)




def supports_recommendation(prefs: Preferences, text: str = "") -> bool:
    """Enough signal to recommend: a liked title, person or series, two other signals, or one signal in
    a request for a kind of film ("something funny", "in the mood for a thriller")."""
    if prefs.liked or prefs.liked_people or prefs.series:
        return True
    signals = len(prefs.liked_genres) + len(prefs.moods) + len(prefs.constraints) + len(prefs.disliked_genres) // 2
    signals += len(prefs.liked_keywords)  # "I like dry British humour": comedy and british, enough to go on
    signals += prefs.year_min is not None or prefs.year_max is not None
    low = text.lower()
    loved = bool(prefs.liked_keywords and _LOVES_RE.search(low))  # a theme, studio or creator loved is narrow enough
    # to go on ("I love Studio Ghibli films" had got "What's a film you loved recently?")
    return signals >= 2 or (signals >= 1 and bool(attributes.WANTS_A_KIND.search(low) or _BARE_ASK_RE.match(low) or loved
                                                  or (_A_KIND_RE.search(low) and not _TOLD_RE.search(low))))


# "a romantic movie that's not a comedy": a kind of film, asked for unless the message tells of one watched
_A_KIND_RE = re.compile(r"^\W*(?:an?|some)\s+(?:[\w'-]+\s+){1,2}(?:movies?|films?|flicks?)\b")
_TOLD_RE = re.compile(r"\b(?:watched|saw|seen|went|was|were|had|did)\b")
_LOVES_RE = re.compile(r"\b(?:i|we)\s+(?:really\s+|just\s+)?(?:love|like|adore|enjoy|am into|'?m into)\b|\bfan of\b")


# a message that is only the kind of film wanted: "a french film please" (it had got a question back)
_BARE_ASK_RE = re.compile(r"\W*(?:(?:fine|ok(?:ay)?|alright|well|so|hmm+|just|maybe|then|how about|what about|i guess)"
                          r"\W+)*(?:(?:an?|some|any)\s+(?:(?:[\w'-]+\s+){1,3}(?:movies?|films?|flicks?)|"
                          # "any good horror?", "a good comedy" (a question had come back)
                          r"(?:good|great|decent|fun|nice|new)\s+[\w'-]+(?:\s+[\w'-]+)?|"
                          r"[\w'-]+(?:\s+[\w'-]+)?)|"  # "a western please" (a question had come back)
                          r"(?:[\w'-]+\s+){1,2}(?:movies?|films?|flicks?))"  # "Christmas movie please" (a question)
                          # an occasion after it: "a feel-good movie for a bad day" (a question had come back)
                          r"(?:\s+(?:for|on|after)\s+(?:an?|the|my|our|this|tonight|today)\b(?:\s+[\w'-]+){0,3})?"
                          r"(?:\s+about(?:\s+[\w'-]+){1,3})?"  # "a documentary about nature" on ReDial's catalog
                          r"(?:\s+(?:please|pls|tonight|maybe|then))?\W*$")


WITHDRAWN_QUESTION = "Noted, that one wasn't for you. What's a film you did enjoy? I'll find more like it."


def _any_wish(prefs: Preferences) -> bool:
    """Anything said about what to watch besides the films named (a genre, mood, person, period, avoidance)."""
    return bool(prefs.liked or prefs.liked_people or prefs.series or prefs.liked_genres or prefs.disliked_genres or
                prefs.moods or prefs.constraints or prefs.liked_keywords) or (prefs.year_min, prefs.year_max) != (None, None)


def system_turns(state: DialogueState) -> int:
    return sum(t.speaker == SYSTEM for t in state.turns)


def candidates(prefs: Preferences, catalog: Catalog) -> list[Item]:
    """Catalog items still possible under the hard parts of the state."""
    out = []
    excluded = prefs.excluded()
    for item in catalog:
        if item.id in excluded or any(g in prefs.disliked_genres for g in item.genres):
            continue
        if prefs.liked_genres and not any(g in prefs.liked_genres for g in item.genres):
            continue
        if item.year and ((prefs.year_min and item.year < prefs.year_min) or (prefs.year_max and item.year > prefs.year_max)):
            continue
        out.append(item)
    return out or list(catalog)


def _values(item: Item, attribute: str) -> list[str]:
    if attribute == "genre":
        return item.genres[:1]
    if attribute == "decade":
        return [f"{item.year // 10 * 10}s"] if item.year else []
    if attribute in ("actor", "director"):
        return item.names(attribute)[:1]
    return [item.id]  # "title": every liked film points somewhere different


def split_scores(prefs: Preferences, catalog: Catalog, asked: list[str]) -> dict[str, float]:
    """Gini impurity x answerability for every attribute not asked yet and not already known."""
    known = {"genre": bool(prefs.liked_genres), "decade": prefs.year_min is not None or prefs.year_max is not None,
             "actor": bool(prefs.liked_people), "director": bool(prefs.liked_people), "title": bool(prefs.liked)}
    items = candidates(prefs, catalog)
    scores = {}
    for attribute, weight in ANSWERABILITY.items():
        if attribute in asked or known[attribute]:
            continue
        counts = Counter(v for it in items for v in _values(it, attribute))
        total = sum(counts.values())
        if total == 0:
            continue
        gini = 1.0 - sum((c / total) ** 2 for c in counts.values())
        coverage = total / len(items)  # items that even have a value for it
        scores[attribute] = round(gini * coverage * weight, 4)
    return scores


def examples(prefs: Preferences, catalog: Catalog, attribute: str, n: int = 3) -> str:
    counts = Counter(v for it in candidates(prefs, catalog) for v in _values(it, attribute))
    names = [v for v, _ in counts.most_common(n)]
    if len(names) <= 1:
        return names[0] if names else "anything"
    return ", ".join(names[:-1]) + " or " + names[-1]


def decide(state: DialogueState, catalog: Catalog, text: str = "") -> Decision:
    """Ask one question or recommend, for the state *after* the user's latest turn."""
    prefs = state.preferences
    if _ASK_FOR_RECS.search((text or "").lower()) or supports_recommendation(prefs, text or ""):
        return Decision(None)
    if wants.more_like_items(state):
        return Decision(None)  # "ok, something like it" after an answer about Jaws: the film is the signal
    if state.shown and "title" not in state.asked and wants.basis_withdrawn(state) and not _any_wish(prefs):
        return Decision("title", WITHDRAWN_QUESTION)  # "it was mid" about the only film named: a list built on
        # nothing had followed (popular films the user had given no reason to want)
    if system_turns(state) >= MAX_QUESTIONS or state.shown:
        return Decision(None)  # after a first list, every message refines it: answer with a new list
    scores = split_scores(prefs, catalog, state.asked)
    if not scores:
        return Decision(None)
    best = max(scores, key=lambda a: (scores[a], a))
    question = QUESTIONS[best].format(examples=examples(prefs, catalog, best)) if "{examples}" in QUESTIONS[best] \
        else QUESTIONS[best]
    return Decision(best, question, scores)
