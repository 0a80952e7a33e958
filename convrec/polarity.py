"""Polarity rules: does a clause say the user liked / disliked / saw / has not seen something?

Pure functions over lower-cased text in which title mentions are replaced by ``X``. Rules,
not a model: each cue list below was written from reading ReDial *training* dialogues.

    classify("i didn't like X")  -> Polarity(liked=False, seen=True)
    classify("never saw X")      -> Polarity(liked=None, seen=False)
    classify("X was okay i guess") -> Polarity(liked=None, seen=True, hedge=True)
"""
from __future__ import annotations

import re
from dataclasses import dataclass

NEGATORS = r"(?:not|no|never|n't|nt|dont|didnt|doesnt|wasnt|isnt|arent|werent|havent|hasnt|cant|couldnt|wont|hardly|nor|neither)"

_NOT_SEEN_SAID = [  # the user says it: "I haven't seen it", "never heard of it"
    rf"\b(?:have|has|did|do)\s*(?:n't|nt|not)\s+(?:\w+\s+)?(?:seen|see|saw|watched|watch|heard|caught)\b",
    r"\b(?:havent|didnt|dont|never|not|hasnt)\s+(?:\w+\s+)?(?:seen|see|saw|watched|watch|heard|caught)\b",
    r"\bnot (?:yet )?seen\b", r"\bnever (?:got|gotten|had) (?:a|the|around)\b", r"\bnot familiar\b",
    r"\bnew to me\b", r"\bhad(?:n't| not) (?:a|the) chance\b", r"\bnot heard of\b", r"\bnever heard\b",
    r"\b(?:don'?t|do not) (?:think|believe|remember) (?:i|we)(?:'ve| have)? (?:ever |yet )?(?:seen|saw|watched)\b",
]
_NOT_SEEN = [  # ... or only shows interest in it ("I'll check it out", "sounds good"): a weaker "not seen"
    *_NOT_SEEN_SAID, r"\bon my (?:list|watch ?list|to watch)\b",
    r"\b(?:will|ill|i'll|we'll|gonna|going to|want to|wanna|need to|have to|should|might|must|plan to|planning to|"
    r"would like to|i'd like to|id like to|definitely|totally|def)\s+(?:\w+\s+){0,2}?(?:check|watch|see|look into|"
    r"look for|look up|try|give (?:it|that|them|x) a)\b(?!\s+(?:next\s+)?after\b)",  # "what should i watch after
    # x?" has seen x (it had been marked not seen)
    r"\bcheck (?:it|that|them|those|this|these|x|that one|this one) out\b", r"\bcheck out\b",
    r"\badd(?:ed|ing)? (?:it|that|them|those|x|this)? ?to my\b", r"\b(?:save|keep)\b.{0,30}\bfor later\b",
    r"\b(?:add|put)\b.{0,30}\b(?:to|on) my (?:list|watch ?list|queue)\b",
    r"\bsounds? (?:good|great|interesting|awesome|cool|fun|"
    r"like|amazing|perfect|nice|intriguing|promising|familiar)\b", r"\blooks? (?:good|great|interesting|awesome|cool|fun|"
    r"amazing|like|ok|okay|fine|decent)\b", r"\bnot heard of\b", r"\bnever heard\b",
    r"\bheard (?:of it|good things|it'?s|it was|great)\b",
    r"\b(?:x|one|that|this|number \d)\s+it is\s*[.!]*\s*$",  # "perfect, the third one it is": picked to watch
    r"\bwill have to\b", r"\bthanks? for the (?:rec|suggestion|recommendation)", r"\bcurious\b", r"\bintrigu",
]
_SEEN = [r"\b(?:seen|saw|watched|rewatch|re-watch|watch it (?:all the time|every|again))\b", r"\bwatching\b",
         r"\b(?:watch|see)\s+(?:next\s+)?after\b", r"\b(?:just|finally) finished\b", r"\bfinished watching\b",
         r"\bgrew up\b", r"\bas a kid\b", r"\bin theaters\b", r"\blast (?:night|week|year)\b", r"\bmany times\b",
         r"\bowns?\b", r"\bagain\b", r"(?<!you )\bdid (?:already |actually )?see\b"]  # "I did see that one"
_LIKE = [r"\blov(?:e|ed|es|ing)\b", r"\blik(?:e|ed|es)\b", r"\benjoy(?:ed|s|able)?\b", r"\bfavou?rites?\b",
         r"\bgreat\b", r"\bgood\b", r"\bawesome\b", r"\bamazing\b", r"\bfantastic\b", r"\bexcellent\b", r"\bbrilliant\b",
         r"\bbest\b", r"\bfun\b", r"\bhilarious\b", r"\bclassic\b", r"\bcool\b", r"\bnice\b", r"\bfan of\b", r"\bbig fan\b",
         r"\badore\b", r"\bmasterpiece\b", r"\bbeautiful\b", r"\bperfect\b", r"\bwonderful\b", r"\bincredible\b",
         r"\bsolid\b", r"\bbrilliant\b", r"\bsuperb\b", r"\bdig\b", r"\binto\b", r"\bfunny\b", r"\bgood one\b", r"\bwow\b",
         r"\bepic\b", r"\bcute\b", r"\bsweet\b", r"\bstellar\b", r"\bhooked\b", r"\bimpress", r"\bfavs?\b", r"\bthe bomb\b",
         r"\binterested\b"]
# "cheesy" is a complaint ("it was so cheesy"), except as the kind of film wished for: "a cheesy 80s action movie"
# had avoided Action (convrec.attributes reads no sentimental mood in it either)
CHEESY_COMPLAINT = r"(?<!\ba )(?<!\ban )(?<!some )(?<!something )(?<!anything )(?<!good )(?<!\bfun )\b(?:cheesy|corny)\b"
_DISLIKE = [r"\bhat(?:e|ed|es)\b", r"\bdislik(?:e|ed)\b", r"\bboring\b", r"\bbored\b", r"\bterrible\b", r"\bawful\b",
            r"\bhorrible\b", r"\bbad\b", r"\bworst\b", r"\bdumb\b", r"\bstupid\b", r"\boverrated\b", r"\bmeh\b", r"\blame\b",
            r"\bmid\b(?=\s*(?:[.,!?;)]|$|(?:tbh|honestly|imo|lol|at best|though|tho|but|and)\b))",  # slang: "it was mid"
            r"\bnot (?:my|really my) (?:thing|cup of tea|type|style|taste|genre)\b", r"\bnot for me\b",
            r"\b(?:can'?t|cannot|could(?:n'?t| not)|can not) stand\b",  # a bare "stand" had read "can't stand" as praise
            r"\bdisappoint", r"\bwaste\b", r"\bsuck(?:ed|s)?\b", r"\bfell asleep\b", r"\bannoying\b", CHEESY_COMPLAINT,
            r"\bweird\b", r"\btoo (?:scary|slow|violent|sad|gory|much|dark|weird|silly|cheesy)\b", r"\bgross\b",
            r"\b(?:was|felt|got)\s+(?:\w+\s+)?too long\b",  # seen: "it was way too long"
            r"\bcouldn'?t get into\b", r"\bturned (?:it )?off\b", r"\bdidnt care\b",
            r"\bdidn't care\b", r"\bnot (?:a |much of a |really a |the )?(?:\w+ )?fan\b", r"\bnot into\b",
            r"\bnot really\b", r"\bno interest\b"]
_REJECT = [  # turning a suggestion down by asking for something else: disliked, but nothing said about seeing it
            r"\bpass\b", r"\bno thanks\b",  # "no thanks" after an answer about a film had marked it seen
            r"\btoo long\b",  # "nah, too long" about a film just described (it had been marked seen)
            r"\bnot (?:exactly |quite |really )?what i(?:'m| am| was)? (?:looking for|want|had in mind)\b",
            r"\b(?:looking for|want|wanted|prefer|rather (?:have|see|watch)) (?:something|anything|one|a movie)(?: \w+)?? "
            r"(?:(?:a )?(?:bit |little )?(?:more|less|newer|older)|else|different)\b"]
_HEDGE = [r"\bok(?:ay)?\b", r"\balright\b", r"\ball right\b", r"\bdecent\b", r"\bso-?so\b", r"\bso so\b", r"\bfine\b",
          r"\bmixed\b", r"\baverage\b", r"\bi guess\b", r"\bkind of\b", r"\bkinda\b", r"\bsort of\b", r"\bnot bad\b",
          r"\bmediocre\b", r"\bnot great\b", r"\bnot the best\b", r"\bwatchable\b"]
# "ok" / "alright" opening a message before more words acknowledges the last reply ("ok, something like it"); as
# the verdict ("it was ok", "ok I guess", a bare "okay") it stays a hedge
_ACK = re.compile(r"^ (?:ok(?:ay)?|alright|all right)\b[ ,.!]+(?=[a-z])(?!i guess|i suppose|ish\b|i think\b)")
_HYPOTHETICAL = re.compile(r"\b(?:would|'d|id|might|will|could|should|probably|gonna|may|hope)\s+(?:\w+\s+)?"
                           r"(?:like|love|enjoy|be (?:good|great|fun|interesting))\b|\b(?:love|like) to (?:see|watch)\b|"
                           r"\bwant to (?:see|watch)\b")
# "more like that", "what else is like it": a wish for films like one, which says nothing of having seen it (a
# suggestion had been marked seen); "movies like X" with a title named stays ReDial's liked and seen
_LIKE_AS = r"\b(?:more|else|anything|something|movies?|films?|ones?|others?|stuff|is|are)\s+(?:just\s+|a bit\s+|kind of\s+)?like"
_LIKE_IT = re.compile(_LIKE_AS + r"\s+(?:that|it|this)\b")
LIKE_BEFORE = re.compile(_LIKE_AS + r"\s*$")  # "more like" just before a reference: "more like the first"
_SEEN_BEFORE = re.compile(r"\b(?:again|rewatch|re-watch|one more time)\b|"
                          r"\b(?:haven'?t|have not|not)\s+(?:seen|watched)\s+(?:\w+\s+)?in (?:a while|years|ages|a long time|forever)")
_QUESTION_START = re.compile(r"^\s*(?:is|was|are|does|do|did|have|has|what|whats|what's|how|which|who|when|where|"
                             r"can|could|would|should|any|anything|ever)\b")
INFO_REQUEST = re.compile(r"\btell me (?:more )?about\b|\bmore (?:info|information|details) (?:on|about)\b|"
                           r"\bwhat do you know about\b|^\s*describe\b")  # asks about a film, states nothing
_TOLD_IN_REQUEST = re.compile(r"\b(?:recommend|suggest|watch|see)\b.*\b(?:(?:some|any)(?:one|body) who|people who|if i|"
                              r"since i|as i|because i|given (?:that )?i)(?:'ve| have)?\s+(?:really |also |just |"
                              r"absolutely |totally )?(?:liked|loved|enjoyed|adored|like|love|enjoy)\b")
_GOOD_Q = re.compile(r"\b(?:is|was|'s)\s+(?:any |really |actually )?(?:good|any good|worth it)\s*\?\s*$")  # "the
# third one is good?" asks (it had been praise)
_YES = re.compile(r"^\W*(?:yes|yeah|yea|yep|yup|sure|of course|definitely|absolutely|totally|oh yes|oh yeah|ya)\b"
                  r"|^\W*(?:i have|i did|i do)\W*$")
_NO = re.compile(r"^\W*(?:no|nope|nah|not yet)\b|^\W*(?:i haven'?t|i have not|i didn'?t|never)\W*$")

_C = {name: [re.compile(p) for p in pats] for name, pats in
      (("not_seen", _NOT_SEEN), ("not_seen_said", _NOT_SEEN_SAID), ("seen", _SEEN), ("like", _LIKE),
       ("dislike", _DISLIKE), ("reject", _REJECT), ("hedge", _HEDGE))}
_NEG_BEFORE = re.compile(rf"(?:\b{NEGATORS}\b|n't|n’t)(?:\s+\w+){{0,2}}\s*$")


@dataclass(frozen=True)
class Polarity:
    liked: bool | None = None  # True liked, False disliked, None not said
    seen: bool | None = None  # True seen, False not seen, None not said
    hedge: bool = False  # "okay I guess": seen, but neither liked nor disliked
    question: bool = False  # the clause asks something rather than states it
    seen_inferred: bool = False  # seen only because they judged it, or not seen only because they showed interest:
    # never overrides the opposite statement ("I loved Jaws" ... "I'll have to check it out" keeps Jaws seen)

    @property
    def empty(self) -> bool:
        return self.liked is None and self.seen is None and not self.hedge


def _hits(kind: str, text: str) -> list[re.Match]:
    return [m for p in _C[kind] for m in p.finditer(text)]


def _negated(text: str, m: re.Match) -> bool:
    return bool(_NEG_BEFORE.search(text[: m.start()])) or "n't" in text[max(0, m.start() - 4): m.start()]


def classify(clause: str) -> Polarity:
    """Polarity of one lower-cased clause (title mentions replaced by ``X``)."""
    # titles are masked as "X" padded to their length: one space keeps "add X to my list" matching
    text = " " + re.sub(r"\s+", " ", clause.lower().replace("\u2019", "'")) + " "
    text = _ACK.sub(" ", text)  # "ok the first one, who is in it?": an opening "ok" agrees, it judges no film
    question = text.rstrip().endswith("?") and bool(_QUESTION_START.search(text) or _GOOD_Q.search(text)) or \
        bool(INFO_REQUEST.search(text))
    if question and _TOLD_IN_REQUEST.search(text):  # "what would you recommend for someone who liked X?" says X
        question = False  # was liked (it had stated nothing: The Martian and Alien had gone unread)
    asked = False  # a question about what the head of the clause names
    if not question and text.rstrip().endswith("?"):  # "I never saw Jaws, is it good?": the question part states nothing
        head, sep, tail = text.rstrip().rpartition(",")
        if sep and _QUESTION_START.search(tail):
            text, asked = head + " ", True
    not_seen = bool(_hits("not_seen", text))
    hedge = bool(_hits("hedge", text))
    if asked and not (not_seen or hedge or _hits("like", text) or _hits("dislike", text) or _hits("seen", text)):
        return Polarity(question=True)  # "the first one, who is in it?" asks about it (it had been the pick)
    pos = neg = 0
    for m in _hits("like", text):
        if _negated(text, m):
            neg += 1
        else:
            pos += 1
    for m in _hits("dislike", text):
        phrase_negates = m.group().startswith(("not ", "no ", "didn", "couldn", "can", "could"))
        if _negated(text, m) and not phrase_negates:
            pos += 1  # "not bad", "didn't hate it"
        else:
            neg += 1
    # "movies that aren't too long" asks for short films: no verdict (it had turned DiCaprio down)
    rejected = any(not _negated(text, m) for m in _hits("reject", text)) and not pos and not neg
    neg += rejected
    if hedge and "not bad" in text:
        pos, hedge = pos + 1, False
    liked: bool | None = None
    if pos > neg:
        liked = True
    elif neg > pos:
        liked = False
    if hedge and liked is True and pos <= 1:
        liked = None  # "it was good, I guess" / "okay": keep it neutral
    seen_hit = any(not _negated(text, m) for m in _hits("seen", text))
    if _SEEN_BEFORE.search(text):
        seen_hit, not_seen = True, False  # "watch it again", "haven't seen it in years"
    elif seen_hit and not_seen and not re.search(r"\b(?:never|haven'?t|have not|didn'?t|not) ", text):
        not_seen = False  # "I have seen that, I'll have to watch it soon"
    wish = bool(_LIKE_IT.search(text)) and pos == 1 and not neg and not question  # its "like" was the only praise
    hypothetical = bool(_HYPOTHETICAL.search(text)) or wish
    if hypothetical and not seen_hit and not not_seen:
        return Polarity(liked if liked is not None else True, None, False, question)  # "I'd like it", "want to see"
    if not_seen:
        seen = False
        if liked is None and not question and not re.search(r"\b(?:never|haven'?t|have not|didn'?t|not|don'?t) ", text):
            liked = True  # "I'll check it out", "sounds good": interest
    elif seen_hit or hedge or (liked is not None and not rejected):
        seen = True
    else:
        seen = None
    if question and not not_seen:
        return Polarity(question=True)  # "is X any good?" states nothing
    inferred = (bool(seen) and not seen_hit) or (seen is False and not _hits("not_seen_said", text))
    return Polarity(liked, seen, hedge and liked is None, question, seen_inferred=inferred)


def answer(clause: str, prompt: str) -> Polarity:
    """A bare yes/no reply to the system's last question ("Have you seen X?" -> "yes")."""
    text, prompt = clause.lower(), (prompt or "").lower()
    yes, no = bool(_YES.search(text)), bool(_NO.search(text))
    about_item = re.search(r"@\d+|\b(?:it|that|this|them|those|one|ones)\b|\b(?:have|did) you (?:ever )?(?:seen|see|watched)",
                           prompt)
    if not (yes or no) or not about_item:
        return Polarity()  # "what movies do you like?" -> "yes" says nothing about a title
    if re.search(r"\b(?:seen|see|saw|watched|watch)\b", prompt) and not re.search(r"\bwant to (?:see|watch)\b", prompt):
        return Polarity(liked=None, seen=yes)
    if re.search(r"\b(?:like|love|enjoy|fan|into)\b", prompt) and not re.search(r"\bwould you like\b", prompt):
        return Polarity(liked=yes, seen=True if yes else None)
    return Polarity(liked=True if yes else False)  # "how about X?" -> "yes" = interested
