"""Notes for what a message asks that the catalog has no field for: running times, ratings, streaming, awards,
and the system's own taste ("what's your favorite movie?"). The list still comes; the note says what it could not
use.

    from convrec.schema_notes import schema_notes
    schema_notes("a short comedy on netflix")   # "(The catalog has no running times, ...) (The catalog does not ...) "
"""
from __future__ import annotations

import re


# "something shorter", "under 2 hours": the catalog schema has no running time, which the reply says
# ("a short comedy", "something short" had been ignored without a word; "something less long" after Oppenheimer
# had listed The Phantom Menace first, without one)
_LENGTH = re.compile(r"\b(?:shorter|longer|shortest|longest|less long|not (?:as|so) long|(?:something|anything) short|(?:not|nothing) too long|run ?time|running time|"
                     r"short (?:\w+ )?(?:movie|film|one|comed(?:y|ie)|drama|thriller|documentar(?:y|ie))s?|"
                     r"(?:under|less than|no more than|at most|within) (?:two|2|an?|three|3|\d+) (?:hours?|minutes?|mins?)|"
                     r"(?:\d+|an?|one|two) (?:hours?|minutes?|mins?) (?:or less|max|tops))\b|(?:n't|nt) too long\b")  # "that aren't too long"
NO_RUNTIME_NOTE = "(The catalog has no running times, so I could not choose by length.)"
# "the best rated sci-fi movies", "anything on netflix?": no rating or streaming field either (the lists had come
# without a word, The Phantom Menace among "the best rated")
_RATING = re.compile(r"\b(?:(?:best|highest|top|well|critically)[- ]rated|(?:well|highly)[- ]reviewed|imdb|rotten "
                     r"tomatoes|metacritic|critics? (?:loved|liked)|(?:good|high|best) (?:ratings?|reviews?|scores?))\b")
NO_RATING_NOTE = "(The catalog has no ratings or reviews, so I went by what you said and how well known films are.)"
# "what's your favorite movie?" had got "What's a film you loved recently?": it gets a list, with a word on why
_YOURS = re.compile(r"\b(?:your|ur) (?:own )?(?:favou?rites?|fav|faves?|top (?:pick|movie|film)s?)\b|"
                    r"\bdo you (?:like|love|enjoy)\b")
NO_TASTE_NOTE = "(I have no favourites of my own; these are films many people love.)"
_STREAMING = re.compile(r"\b(?:on|in|from) (?:netflix|hulu|amazon|prime(?: video)?|disney ?\+|disney plus|hbo(?: max)?|"
                        r"apple tv|peacock|paramount ?\+)|\bstreaming\b|\bto stream\b")
NO_STREAMING_NOTE = "(The catalog does not say where a film is streaming.)"

# "show me some oscar winners" had got a list without a word that no award is known
_AWARDS = re.compile(r"\b(?:oscars?|academy awards?|award[- ]winn(?:ing|ers?)|golden globes?|best picture|palme d'or|"
                     r"won (?:an? |the |any )?(?:oscars?|awards?))\b")
NO_AWARDS_NOTE = "(The catalog does not record awards, so I went by what you said and how well known films are.)"


def schema_notes(text: str) -> str:
    """What the message asks for that the catalog has no field for, said before the list ("" for nothing)."""
    low = (text or "").lower()
    notes = [note for asked, note in ((_LENGTH, NO_RUNTIME_NOTE), (_RATING, NO_RATING_NOTE),
                                      (_STREAMING, NO_STREAMING_NOTE), (_YOURS, NO_TASTE_NOTE),
                                      (_AWARDS, NO_AWARDS_NOTE)) if asked.search(low)]
    return "".join(n + " " for n in notes)
