"""Verdicts within one clause: which films a pronoun points at, and what the clause says of each title.

Used by ``convrec.preferences.update``: "I loved it" after one named film likes that film; "seen both of
those" after five shown films says nothing of which two; "a horror film like Scream" likes Scream; a title
the user brings up with no verdict is an example they like ("something like Alien").

    clause_refs.references("i loved it", focus=["42"], any_mention=False)   # -> ["42"]
"""
from __future__ import annotations

import re

from convrec import attributes, polarity
from convrec.catalog import Catalog
from convrec.tastes import SUB_RE

_SINGULAR_RE = re.compile(r"\b(?:it|that one|this one|that|this|the movie|the film|that movie|this movie|that film|"
                          r"this film|the one|this suggestion|that suggestion|its|it's)\b")
_PLURAL_RE = re.compile(r"\b(?:them|they|those|these|both|all of them|all three|all those|either|either one|any of them|"
                        r"neither|none of them|the movies|those movies)\b")
# "that" after what is wished for starts a relative clause: "I hated the notebook. give me a romance that isnt
# cheesy" had liked The Notebook ("that" was read as it, "isnt cheesy" as praise)
_RELATIVE_THAT_RE = re.compile(r"\b(?:(?:a|an|some|any)\s+(?:\w+\s+){0,2}?\w+|something|anything|movies|films|ones|"
                               r"stuff)\s+that\b")
WE_BOTH_RE = re.compile(r"\b(?:we|us|you) both\b|\bboth of (?:us|you)\b")
_LIKE_AS_RE = re.compile(r"\b(?:like|similar to|such as|as good as|in the vein of|along the lines of|reminds? me of|"
                         r"along with|the likes of|kind of like|something like|more like|vibe of)\s*$")

# people as the subject of a taste: "they like westerns and musicals" (the parents; all five shown films had been
# marked liked and seen). Films like nothing, so "they" before such a verb is never the films
_VIEWERS_RE = re.compile(r"\b(?:they|they're|they are|they've)\s+(?:both\s+|all\s+|really\s+|also\s+|mostly\s+|"
                         r"usually\s+|just\s+)*(?:like|love|enjoy|prefer|hate|dislike|into|adore|want|need|"
                         r"can't stand|don't like|do not like|are into|big fans?|fans?)\b")


# a title turned down where it is named: "something with Tom Cruise that is not Mission Impossible", "anything
# except X", "no X"; not "I have seen all except for X" (not seen) or "other than X, I like..." (liked)
_NOT_THIS_RE = re.compile(r"\b(?:(?:that|which)\s+(?:is|are|was)\s+not|(?:that|which)\s+(?:isn'?t|aren'?t)|(?:anything|"
                          r"something|movies?|films?)\s+(?:else\s+)?(?:except|but)(?:\s+for)?|but no|no)\s+(?:the\s+)?$")
# another viewer as the subject of a clause: "I liked The Dark Knight but my girlfriend hated it" is her verdict, not
# the user's (the film had been recorded as not for the user)
COMPANION_RE = re.compile(r"^\W*(?:(?:but|and|though|although|while|whereas|yet)\s+)?(?:my\s+(?:\w+\s+)?(?:girlfriend|"
                          r"boyfriend|wife|husband|partner|gf|bf|fiancee?|son|daughter|kids?|children|friends?|mom|mum|"
                          r"dad|mother|father|brother|sister|roommate|family|parents|date|other half)|she|he)\b")

_MORE_LIKE_THOSE_RE = re.compile(r"\b(?:more|others?|ones?|something|anything|movies?|films?)\s+(?:just\s+)?"
                                 r"(?:like|similar to|along the lines of)\s+(?:those|these|them|all of them)\b")  # not
# "I like them" (praise: reading it as a request had cost ReDial train liked macro-F1 0.04 points)


def references(low: str, focus: list[str], any_mention: bool) -> list[str]:
    """Ids a clause points at with a pronoun: the titles talked about last, else what was shown."""
    low = _VIEWERS_RE.sub(" ", low)
    if _PLURAL_RE.search(WE_BOTH_RE.sub(" ", low)):  # "we both love Tom Hanks" is about the two viewers
        # "seen both of those" after five shown films: which two is unknown (all five had been marked seen); up
        # to three, as a ReDial recommender names, all are meant (from three on it cost train liked F1 0.3 points)
        if len(focus) > 3 and (re.search(r"\bboth\b", WE_BOTH_RE.sub(" ", low)) or _MORE_LIKE_THOSE_RE.search(low)):
            return []  # nor is "more like those" after a chat list a verdict on all five (they had been liked and seen)
        return list(focus)
    low = _RELATIVE_THAT_RE.sub(lambda m: m.group()[:-4], low)  # "a romance that isnt cheesy" points at nothing
    if _SINGULAR_RE.search(low) and focus and (len(focus) <= 2 or any_mention):
        return list(focus)
    return []


def pronoun_polarity(clause: str, low: str, pol: polarity.Polarity, catalog: Catalog) -> polarity.Polarity:
    """The verdict on films a pronoun points at, from the parts of the clause that name no genre, person or
    mood: "none of these, I hate superhero stuff" hates superhero films and turns these down (all five shown
    films had been marked disliked and seen)."""
    bounds = [0] + [x for m in SUB_RE.finditer(low) for x in (m.start(), m.end())] + [len(low)]
    pieces = list(zip(bounds[::2], bounds[1::2]))
    kept = [low[s:e] for s, e in pieces if not attributes.find_attributes(clause[s:e], catalog)]
    if len(pieces) < 2 or len(kept) in (0, len(pieces)):
        return pol
    own = polarity.classify(" and ".join(kept))
    if own.empty and re.search(r"\b(?:none|not|neither|nope|no)\b", " ".join(kept)):
        return polarity.Polarity(liked=False)  # turned down: nothing said about seeing them
    # otherwise the whole clause: "I haven't seen it, but I love comedies" is interest in it (ReDial's labels
    # agree: reading only "I haven't seen it" cost train liked macro-F1 0.2 points)
    return pol


def mention_polarity(low: str, start: int, end: int, pol: polarity.Polarity,
                      reference: bool = False, alone: bool = True) -> polarity.Polarity:
    """Polarity for one title: its own sub-clause if that says something, else the clause's."""
    before = low[:start]
    if _NOT_THIS_RE.search(before):  # "something with Tom Cruise that is not Mission Impossible" turns it down
        return polarity.Polarity(liked=False)  # (it had stayed liked, and the next list held two of them)
    if _LIKE_AS_RE.search(before) and pol.liked is not False and not re.search(r"(?:would|'d|\bid)\s+like\s*$", before) \
            and not re.search(rf"\b{polarity.NEGATORS}\s+(?:\w+\s+)?like\s*$", before):  # "I did not like X and ..."
        return polarity.Polarity(liked=True, seen=True, seen_inferred=True)  # "a horror film like Scream"
    already = bool(_ALREADY_RE.search(before) or _ALREADY_AFTER_RE.match(low, end))
    return _default_liked(_own_polarity(low, start, pol, alone), reference or already, low[:start])


def _own_polarity(low: str, start: int, pol: polarity.Polarity, alone: bool) -> polarity.Polarity:
    pieces, pos = [], 0
    for m in SUB_RE.finditer(low):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(low)))
    for s, e in pieces:
        if s <= start < e:
            own = polarity.classify(low[s:e])
            if not own.empty:  # its own words first, the clause's for what they leave open (one title only)
                liked = own.liked if own.liked is not None or own.hedge or not alone else pol.liked
                seen, inferred = (own.seen, own.seen_inferred) if own.seen is not None else (pol.seen, pol.seen_inferred)
                # "I saw Get Out and it was ok": the verdict of the rest of the clause holds for its one title
                hedge = own.hedge or (alone and own.liked is None and pol.hedge)
                return polarity.Polarity(liked, seen, hedge, seen_inferred=inferred)
    return pol


# "I have seen Interstellar already" rules a film out, it does not praise it (the next list had been built on it)
_ALREADY_RE = re.compile(r"\balready\s+(?:seen|saw|watched)\s+(?:\w+\s+){0,2}$")
_ALREADY_AFTER_RE = re.compile(r"\s*(?:already|before)\s*(?:[.,!;]|$)")


def _default_liked(pol: polarity.Polarity, reference: bool, before: str) -> polarity.Polarity:
    """A title the user brings up is an example they like unless they say otherwise."""
    if pol.question:
        if _LIKE_AS_RE.search(before) or re.search(r"\b(?:have|did) you (?:ever )?(?:seen|see|watched)\s*$", before):
            return polarity.Polarity(liked=True, seen=True, seen_inferred=True)  # "anything like Alien?"
        return pol
    if pol.empty:  # "something like Alien"; "the second one" (chosen, maybe not seen)
        return polarity.Polarity(liked=True, seen=None if reference else True, seen_inferred=True)
    if pol.seen and pol.liked is None and not pol.hedge and not reference:
        return polarity.Polarity(True, True, seen_inferred=pol.seen_inferred)  # "I just watched Coco"
    return pol
