"""Word lists and context cues for the title linker (``convrec.titles``).

Everyday words, function words, and the cues that mark an everyday-looking phrase as a
title when the user writes in lower case: a list with other titles ("@123 or frozen"), the
whole message ("like taken"), a verb of taste before it ("i loved the matrix") or a verdict
after it ("the shining is one of my favorites"), a question about it ("what is split about?") or an actor
after it ("seven with Brad Pitt"). Each list was written from ReDial *training*
dialogues. And how common a title's words are (``word_ranks``, from the local MiniLM vocabulary), which
decides how strong a cue a title needs (``cue_needed``).
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

ARTICLES = {"the", "a", "an"}
ROMAN = {"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9"}  # "v"/"x" are words too
ACRONYMS = {"lol", "lmao", "omg", "btw", "idk", "tbh", "imo", "imho", "ok", "yes", "no", "wow", "ya", "rofl", "haha",
            "tv", "dvd", "usa", "uk", "us", "hi", "asap", "fyi", "thx", "ty", "np", "jk", "smh", "ikr", "gl", "hbo"}
TITLE_CONTEXT = {"seen", "saw", "watched", "watching", "loved", "liked", "enjoyed", "hated", "love", "recommend",
                 "try", "rewatch", "movie", "film"}  # before two ordinary words ("seen gone girl") they are a title
WATCH_CONTEXT = {"seen", "saw", "see", "seeing", "watched", "watch", "watching", "rewatch", "rewatched",
                 "rewatching"}  # "seen frozen": a common word after these is a title
LIKE_PREPOSITION_CONTEXT = {"movie", "movies", "film", "films", "flick", "flicks", "something", "anything", "one",
                            "ones", "stuff", "more", "similar", "things", "kind", "type", "others"}  # "movies like frozen"
NEWEST_CUES = {"new", "newer", "newest", "latest", "recent", "remake", "modern", "reboot"}
OLDEST_CUES = {"old", "older", "original", "classic"}

# Words so common in chat that a title made only of them needs a cue (capitals, quotes, a year).
COMMON = set("""
a about above after again against all almost alone along already also always am among an and another any anything
are around as at away back bad be beautiful because been before being below best better between big black blue
both boy boys but by call came can cant car cars case change child children city clear close cold come coming
could couldnt crazy dad dark day days dead death did didnt different do does doesnt dog dont done door down dream
during each early easy end enough even ever every everyone everything evil eye eyes face fact fall family far
fast father favorite favourite few fight film films final find fine fire first five for forever found four free friend
friends from fun funny game get girl girls give go god going gone good got great green hard has have havent he
head heart heat hell hello help her here hero hey hi high him his hit home honey hope horror hot hour house how
i if ill im in inside into is isnt it its ive just keep kid kids kill kind king know lady land last late later
left less let life light like liked little live long look looking lost lot love loved lucky made make man many
may maybe me mean men might mind miss money more morning most mother movie movies much must my myself name
never new next nice night nine no not nothing now of off oh ok okay old on once one only open or other our out
over own part people perfect place play please pretty probably put queen rather real really red right road run
said same saw say scary school see seen seven she short should show side since six so some something sometimes
soon sorry sound sounds still stop story sure take taken talk tell ten than thank thanks that thats the their them
then there these they thing things think this those three through time to today together told tonight too top
true try trying two under until up us very wait want wanted war was watch watched water way we well went were
what whats when where which while white who why wild will wish with without woman women wonderful world would
wow yeah year years yes yet you youll young your yours youre action comedy drama thriller romance sci fi animated
cartoon cartoons classic classics documentary musical western mystery fantasy adventure crime family animation
recommend recommendation recommendations suggestion suggestions genre genres actor actors enjoy enjoyed hate hated
awesome amazing cool sweet alright bye goodbye glad happy sad lol haha seems seem check heard hear chat day
""".split())

# Function words: a title made only of these (plus a few light verbs) always needs a cue.
FUNCTION = set("""
a about after again all also am an and any are as at be because been but by can cant could did didnt do does
doesnt dont for from get go got had has have he her here him his how i if im in into is isnt it its ive just know
let like love me more my no not now of off oh ok okay on one only or our out over say see she so some than that
thats the their them then there these they this those to too up us very want was we were what when where which
who why will with would yes you your
""".split())


_LIST_BEFORE = re.compile(r"@\d+\s*(?:,|\band\b|\bor\b|&(?:amp;)?|/)\s*(?:also\s+|even\s+|maybe\s+)?$")
_LIST_AFTER = re.compile(r"^\s*(?:,|\band\b|\bor\b|&(?:amp;)?|/)\s*(?:also\s+|even\s+|maybe\s+)?@\d+")
_ALONE_BEFORE = re.compile(r"^\W*(?:(?:and|or|also|maybe|probably|perhaps|yes|yeah|oh|ok|okay)\W+)*"
                           r"(?:(?:something|movies?|films?|one|stuff|anything|just|maybe|more|kind of)\s+)?"
                           r"(?:like|how about|what about)?\W*$")
_ALONE_AFTER = re.compile(r"^\s*(?:too|also|maybe|perhaps|then)?\W*$")
_ACTOR_AFTER = re.compile(r"^\s*(?:with|starring)\s+(?:actor\s+)?[A-Z][a-z]+\s+[A-Z][a-z]+")  # "with Brad Pitt"
_STOP_AFTER = re.compile(r"^\s*(?:$|[.!?,;:)]|(?:too|also|either|though|lol|haha)\b)")  # the sentence closes
_IS_AFTER = re.compile(r"^\s*(?:is|was)\s+(?:(?:a|an|so|way|much|really|very|pretty|even|also)\s+)?"
                       r"(?:better|worse|good|great|awesome|amazing|scary|scarier|bad|ok|okay|fine|the best|funny|terrible|boring)\b")
# "the original it" (not "the first 2", "the first choice": an ordinal before a word is no remake)
_ERA_BEFORE = re.compile(r"\bthe (?:new|newer|newest|original|old|older|oldest)\s+$")
_WHAT_IS = re.compile(r"\bwhat(?:'?s| is| was)\s+$")  # "what is split about?"
_TELL_ABOUT = re.compile(r"\btell me (?:a (?:little|bit) |more )?about\s+$")  # "tell me about logan?"
_SAYS_AFTER = re.compile(r"^\s*(?:is|was|are|were|isn'?t|wasn'?t|has|had|and|or|series|trilogy|sounds?|looks?|seems?)\b")
_CLAUSE_END = re.compile(r"^\s*(?:$|[.!?,;:)]|(?:and|or|but|too|yet|before|already|again|lol|it|its|it's|which|though|"
                         r"because|recently|yesterday|twice|once)\b)")
_VERDICT_AFTER = re.compile(r"^\s*(?:is|was|'s)\s+(?:a|an|one|another|my|really|so|very|pretty|such|great|good|awesome|"
                            r"amazing|the best|funny|scary|excellent|fantastic|hilarious|terrible|boring|meh|mid|"
                            r"overrated|underrated|mediocre|awful|horrible|dull|brilliant|incredible|solid|decent|"
                            r"okay|ok|alright|confusing|not (?:good|great|bad|that|very|my|for))\b")  # "heat was meh"
_NOT_TITLE = {"more", "something", "anything", "everything", "nothing", "some", "again", "later", "soon", "today",
              "tonight", "now", "one", "ones", "both", "all", "together", "others", "another", "much", "lot", "sure",
              "thanks", "please", "everyone", "anyone", "someone", "stuff", "things", "that", "this"}
_KIND_AFTER = re.compile(r"^\s*(?:movies?|films?|flicks?|ones?|stuff|genre|type|kind|fans?|actors?|stories)\b")
_JUDGE_BEFORE = {"like", "liked", "love", "loved", "enjoyed", "enjoy", "adore", "hated", "seen", "saw", "watched",
                 "rewatched", "recommend", "watching", "watch", "disliked", "faves", "favs", "called", "titled",
                 "named", "than",  # "i loved frozen", "seen arrival", "a movie called laura"
                 "loves", "likes", "adores", "adored", "enjoys", "hates", "dislikes", "watches"}  # "my kid loves frozen
# and moana" had linked Moana alone, and Frozen came back in the list
_JUDGE_PHRASE = re.compile(r"(?:\b(?:favou?rites?|fav|mine)(?: \w+)? (?:is|are|was|would be)|\b(?:check|try) out|"
                           r"\b(?:lines|same) as|\b(?:similar|compared|close) to|\bi mean|\b(?:lines|vein) of|"
                           r"\bsuch as|\b(?:what|how) (?:is|was|about)|\bthe (?:movie|film)|\bheard of|\bfan of|"
                           r"\b(?:heard|things|talking|thinking) about)\s*$")  # "my favorite is step brothers"
_OPENERS = {"and", "but", "so", "also", "that", "think", "thought", "guess", "because", "plus", "yes", "yeah", "no",
            "maybe", "probably", "oh", "well"}
_PERSON_IN = re.compile(r"(?:\b[A-Z][a-z]+|\bhim|\bher|\bthem) in\s*$")  # "Mel Gibson in signs"
CHAT_PHRASES = {"anything else", "sure thing", "good luck", "thank you", "no problem", "me too", "of course",
                 "good night", "not really", "all good", "you too", "good morning", "nice talking", "same here",
                 "good one", "hollywood", "the end", "the sequel", "the original", "the first", "the last",
                 "something new", "the others", "the other", "the rest", "the actors", "the stuff", "the same",
                 "the bomb", "awesome", "super", "release", "time", "take", "fan", "stuff", "holidays", "the holidays",
                 "the time", "the movie", "old school", "about time", "the film", "others", "the one", "the ones", "the game", "american"}
# Words that make an everyday phrase of a well-known title ("a scary movie", "old school", "the other guys")
CHAT_WORDS = {"movie", "film", "scary", "old", "new", "other", "another", "same", "next", "last", "first", "good",
              "best", "great", "time", "school", "night", "day", "thing", "things", "way", "people", "guys", "kind"}
GENRE_WORDS = {"comedy", "comedies", "drama", "dramas", "horror", "action", "romance", "thriller", "thrillers",
               "fantasy", "mystery", "western", "westerns", "musical", "musicals", "documentary", "animation",
               "crime", "adventure", "family", "war", "cartoon", "cartoons", "classic", "classics", "superhero",
               "sci", "fi", "scifi", "romantic", "rom", "com", "coms", "anime", "indie", "foreign", "disney", "marvel",
               "animated", "kids", "christmas", "music", "suspense", "mysteries", "sports", "history", "movies", "films"}


def lower_case_cue(text: str, start: int, end: int, window: str, level: int, prev: str, alias: bool,
                   listed: bool = False) -> bool:
    """Cues that mark an un-capitalised title: a list with @ids, the whole message, a verb of taste before it.

    ``level`` 1 ("frozen", "the matrix", "die hard") takes any of them; ``level`` 2 ("taken",
    "seven", "get out") needs a "strong" phrase (not "it", "red", "more") and, after a list or a
    verb, the end of the clause ("i loved taken."), or "like X" as the whole message, or a verdict
    ("seven was a really good movie"). Never a genre ("comedy"), a chat phrase or an alias.
    """
    before, after = text[:start], text[end:]
    low_before, low_after = before.lower(), after.lower()
    words = [w for w in window.split() if w not in ARTICLES]
    if re.search(r"@\d+\s*$", before):
        prev = "@"  # "saw @123 once": the word before is a title, not "saw"
    if alias or before.endswith(("@", "#", "/")) or window.split()[0] in ("and", "or") or \
            window in CHAT_PHRASES or not words or set(words) & GENRE_WORDS:
        return False
    if _KIND_AFTER.search(low_after) and not (window.startswith("the ") or low_before.rstrip().endswith(" the")):
        return False  # "alien movies" is a kind, "the batman movies" a series
    strong = not any(w.isdigit() for w in words) and (len(words) > 1 or (
        words[0] not in FUNCTION and words[0] not in _NOT_TITLE and words[0] not in _JUDGE_BEFORE and
        len(words[0]) >= 3 and (len(words[0]) >= 4 or words[0] not in COMMON)))
    # strong: "get out", "elf", "taken"; not "it", "red", "300", "more"
    # "i love seven with Brad Pitt": a named actor after the words ends the title as a clause end does
    ends = bool(_CLAUSE_END.search(after)) or bool(_ACTOR_AFTER.search(after))
    # a weak word ("it", "up", "300") that the sentence closes on after a ReDial @id in a list, or after "the
    # new"/"the original", is a title: "i like @123 and it.", "the new it was awesome"; a pronoun would go on
    # ("@123 and it was great") or have nothing to be the new one of. Not before a list ("seen it or @123?"): a
    # pronoun can stand there
    weak_title = len(words) == 1 and words[0] not in _NOT_TITLE and (not words[0].isdigit() or len(words[0]) <= 3)
    if weak_title and _STOP_AFTER.search(after) and _LIST_BEFORE.search(before):
        return True
    if weak_title and not words[0].isdigit() and _ERA_BEFORE.search(low_before) and (
            _STOP_AFTER.search(after) or _IS_AFTER.search(low_after)):
        return True
    if strong and ((_WHAT_IS.search(low_before) and re.match(r"\s*about\b", low_after)) or
                   (_TELL_ABOUT.search(low_before) and _STOP_AFTER.search(after))):
        return True  # "what is split about?", "can you tell me about logan?"
    if strong and prev == "check" and re.match(r"\s*out\b", low_after):
        return True  # "i will check seven out"
    if listed or _LIST_BEFORE.search(before) or _LIST_AFTER.search(after):  # listed: after a linked title
        return level == 1 or (strong and ends)  # ("seen the conjuring and get out" as "@123 and get out")
    if _ALONE_BEFORE.search(low_before) and _ALONE_AFTER.search(after):  # "like taken", "or the fighter"
        return level == 1 or (strong and (bool(re.search(r"\b(?:like|or|and)\W*$", low_before)) or (
            not low_before.strip() and (len(words) > 1 or words[0] not in COMMON))))
    if prev in _JUDGE_BEFORE or _JUDGE_PHRASE.search(low_before) or _PERSON_IN.search(before) or \
            re.search(r"\bthe (?:new|newer|newest|latest|original|old|older) $", low_before):
        return level == 1 or (strong and ends)  # "i loved taken.", "similar to get out"; never "seen it"
    start_like = not before.strip() or before.rstrip()[-1] in ".!?\n," or prev in _OPENERS
    if level != 1:
        return strong and start_like and bool(_VERDICT_AFTER.search(low_after))  # "seven was a really good movie"
    return start_like and bool(_SAYS_AFTER.search(low_after))  # "the shining is one of my favorites"


def in_name(text: str, toks: list, i: int) -> bool:
    """A capitalised word next to another capitalised word mid-sentence: part of a name."""
    def cap(k: int) -> bool:
        return 0 <= k < len(toks) and text[toks[k][1]:toks[k][1] + 1].isupper() and toks[k][0] not in FUNCTION

    def starts(k: int) -> bool:
        return text[:toks[k][1]].rstrip()[-1:] in ("", ".", "!", "?", "\n", ":", ";")

    verbs = TITLE_CONTEXT | WATCH_CONTEXT | _JUDGE_BEFORE
    after_name = not starts(i) and cap(i - 1) and not starts(i - 1) and toks[i - 1][0] not in verbs
    return cap(i) and ((cap(i + 1) and not starts(i + 1)) or after_name)  # "Russel Crowe", "Brat Pit"


def spelled_out(acronym: str, rest: str) -> bool:
    """True when the rest of the title only explains its opening acronym: "E.T. the Extra-Terrestrial",
    "A.I. Artificial Intelligence"; not "L.A. Confidential" or "P.S. I Love You" ("LA", "PS" are words)."""
    words = re.findall(r"[A-Za-z]+", re.sub(r"\(\d{4}\)", "", rest))
    return bool(words) and (words[0].lower() == "the" or "".join(w[0] for w in words).upper() == acronym.replace(".", ""))


# ---------------------------------------------------------------- how common a title's words are

VERY_COMMON_RANK = 3000  # word-frequency rank below which a word is everyday chat ("speed", "heat", "taken")
COMMON_RANK = 8000  # below this a one-word title needs capitals to link ("alien", "frozen", "weekend")


@functools.lru_cache(maxsize=1)
def word_ranks() -> dict[str, int]:
    """Frequency rank of English words, read from the local MiniLM WordPiece vocabulary.

    BERT-style vocabularies list whole words roughly by corpus frequency ("the" first), so the
    rank tells everyday words ("weekend", "murder") from title words ("Jaws"). Empty when the
    model is not installed; the built-in ``COMMON`` list is used alone then.
    """
    from convrec import config

    try:
        words = (Path(config.embedding_model_path()) / "vocab.txt").read_text(encoding="utf-8").split("\n")
    except (OSError, ValueError):
        return {}
    start = words.index("the") if "the" in words else 0
    return {w: i - start for i, w in enumerate(words) if i >= start and w.isalpha()}


def commonness(word: str) -> int:
    """2 = everyday word, 1 = common word, 0 = rare enough to be read as a title."""
    if word in COMMON or word in FUNCTION or word.isdigit():
        return 2
    rank = word_ranks().get(word)
    if rank is None:
        return 0
    return 2 if rank < VERY_COMMON_RANK else (1 if rank < COMMON_RANK else 0)


def cue_needed(key: str) -> int:
    """How strong a cue a title needs: 0 none, 1 capitals (or context), 2 capitals mid-sentence."""
    words = key.split()
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]  # "the help" is as common as "help"
    if len(words) == 1:
        return 2 if len(words[0]) <= 3 else commonness(words[0])
    if all(w in FUNCTION or w.isdigit() for w in words):
        return 2  # "what if", "up in the air" needs more
    if len(words) == 2 and all(commonness(w) == 2 or w.isdigit() for w in words):
        return 1  # "gone girl", "get out": everyday words unless marked as a title
    return 0


def distinctive(key: str) -> bool:
    """Two or more content words none of which is a function, genre or describing word: "die hard", "office
    space", but not "scary movie", "old school", "the other guys" or "inside out", which are also chat."""
    words = [w for w in key.split() if w not in ARTICLES]
    return len(words) > 1 and key not in CHAT_PHRASES and \
        not any(w in FUNCTION or w in GENRE_WORDS or w in CHAT_WORDS for w in words)


def article_title(key: str) -> bool:
    """"the" + one common-but-not-everyday word ("the matrix", "the departed"); not "the heat"."""
    words = key.split()
    return len(words) == 2 and words[0] == "the" and commonness(words[1]) == 1 and words[1] not in CHAT_WORDS


def all_common(key: str) -> bool:
    return cue_needed(key) > 0
