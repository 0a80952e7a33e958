"""Years in free text: decades, year ranges and relative spans ("from the 90s", "nothing before 2000",
"the last 10 years", "the best movies of 2019", "something recent").

    from convrec.years import year_range
    year_range("something from the 90s")          # (1990, 1999)
    year_range("the last 10 years", max_year=2024)  # (2014, None)
"""
from __future__ import annotations

import re

DECADE_WORDS = {"twenties": 1920, "thirties": 1930, "forties": 1940, "fifties": 1950, "sixties": 1960,
                "seventies": 1970, "eighties": 1980, "nineties": 1990}
# a year bound, perhaps negated: "after 2000", "nothing before 1990", "no older than 2000", "not later than 2005"
_BOUND_RE = re.compile(r"\b((?:nothing|none|no|not)\s+(?:(?:movies?|films?)\s+)?(?:made\s+|released\s+)?)?"
                       r"(after|since|newer than|post|later than|from|before|older than|pre|prior to|earlier than)"
                       r"\s*-?\s*(?:the\s+)?(19\d\d|20\d\d)\b(?!s)")
# the negation before the bound's words: "I don't watch anything older than 2010" (it had been up to 2009)
_REFUSED_RE = re.compile(r"\b(?:don't|do not|won't|will not|never|can't|cannot|wouldn't|hate to)\s+(?:really\s+|even\s+)?"
                         r"(?:watch|like|want|enjoy|see|do)\s+(?:anything|any|stuff|movies?|films?|ones?)?"
                         r"(?:\s+(?:made|released|that'?s|that is|which is|that are|that were))?\s*$")
_ON_RE = re.compile(r"\s*(?:on\b|onwards?\b|\+|and (?:later|newer|up|after|beyond|on)\b|or (?:later|newer|after)\b|"
                    r"(?:to|till|until|through) (?:now|today|the present)\b)")  # "from 2010 on": a bound
OLD_HOLLYWOOD_RE = re.compile(r"\b(?:old|classic|golden[- ]age(?: of)?)\s+hollywood\b")
OLD_HOLLYWOOD_MAX_YEAR = 1969  # "old Hollywood": the studio era and just after
OLD_MAX_YEAR = 1989  # "older films", "old movies": before 1990
MODERN_MIN_YEAR = 2000  # "modern" is wider than "recent": this century
# "modern" before a kind of film or as the wish itself; not "Modern Times" or "modern art"
_MODERN_RE = re.compile(r"\bmodern(?:[- ]day)?\s+(?:ones?|movies?|films?|stuff|classics?|westerns?|horrors?|comed(?:y|ies)|"
                        r"thrillers?|musicals?|war\b|sci-?fi|romances?|rom-?coms?|dramas?|action|animated|animations?|"
                        r"fantasy|fantasies|noirs?|myster(?:y|ies)|crime|cartoons?|takes?|versions?)\b|"
                        r"\b(?:something|anything|one|ones)\s+(?:a bit |a little |much |way )?(?:more\s+)?modern\b|"
                        r"\bmore modern\b")
RECENT_SPAN = 5  # "recent", "new movies": within 5 years of the catalog's newest film

NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "fifteen": 15, "twenty": 20, "few": 5, "couple": 2, "couple of": 2, "several": 7}
# "the" may go when a number follows: "like last 5 years" (it had been read as no range at all)
_LAST_YEARS_RE = re.compile(r"\b(?:the\s+|(?=\w+\s+(?:\d|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|"
                            r"few|couple|several)))(?:last|past|previous)\s+(\d{1,2}|a|one|two|three|four|five|six|seven|eight|nine|ten|"
                            r"fifteen|twenty|few|couple(?: of)?|several)?\s*(years?|decades?)\b")


# a person's age: "in their 70s", "she's in her late eighties"
_AGE_RE = re.compile(r"\bin (?:their|his|her|my|our|your) (?:early |mid |mid-|late )?(?:[1-9]0'?s|\w+ties)\b")


# a decade ruled out: "not from the 80s", "a sci-fi that isn't from the 80s", "no 80s movies", "nothing from the
# eighties" (the first had set no years, the second had asked for the 80s: The Terminator and E.T. came)
_DECADE = (r"(?:'|the\s+)?(?:19[2-9]0|20[0-2]0|[2-9]0|00|10)'?s\b|(?:the\s+)?(?:" + "|".join(DECADE_WORDS) +
           r"|two thousands|noughties)\b")
_AVOIDED_DECADE_RE = re.compile(
    r"\b(?:(?:nothing|none|no)\s+(?:(?:movies?|films?|stuff|ones?)\s+)?(?:(?:made|released)\s+)?(?:(?:from|of|in)\s+)?|"
    r"(?:not|isn't|aren't|wasn't|is not|are not|never)\s+(?:(?:made|released)\s+)?(?:from|of|in)\s+|not\s+(?=the\s)|"
    r"not\s+(?=\S+\s+(?:movies?|films?|stuff|ones?)\b)|"
    r"anything but\s+)(?:the\s+)?(?:" + _DECADE + r")((?:,?\s+(?:or|nor|and)\s+(?:the\s+)?(?:" + _DECADE + r"))*)")
_NEGATED_DECADE_RE = re.compile(r"\b(?:no|not|nothing from|nothing)\s+(?:from\s+)?(?:the\s+)?(?:'?\d\d'?s|\d{4}s)")  # no wish
# ("that's not 90's" describes a film; "if you want to suggest something not from the 80's, that's okay" allows)
_ALLOWED_AFTER_RE = re.compile(r"^[^.!?]*\b(?:ok|okay|fine|alright|all right)\b")
AVOIDED_DECADE_PREFIX = "not from the "  # the constraint kept for it: "not from the 1980s" (``avoided_decade``)


def _decade_start(token: str) -> int | None:
    token = token.strip().lower().removeprefix("the").strip().strip("'")
    if token in DECADE_WORDS:
        return DECADE_WORDS[token]
    if token in ("two thousands", "noughties"):
        return 2000
    digits = token.rstrip("s").rstrip("'").lstrip("'")
    if not digits.isdigit():
        return None
    n = int(digits)
    return n if n >= 1900 else (1900 + n if n >= 20 else 2000 + n)


def avoided_decades(text: str, allowed_too: bool = False) -> list[int]:
    """Decades the text rules out: "not from the 80s" -> [1980]; "no 70s or 80s stuff" -> [1970, 1980].
    ``allowed_too``: also those only allowed or described ("something not from the 80s is okay too")."""
    low = text.lower().replace("\u2019", "'")
    out: list[int] = []
    for m in [*_AVOIDED_DECADE_RE.finditer(low), *(_NEGATED_DECADE_RE.finditer(low) if allowed_too else ())]:
        sentence = re.split(r"[.!?]", low[:m.start()])[-1]
        if not allowed_too and (re.search(r"\bif\b", sentence) or _ALLOWED_AFTER_RE.search(low[m.end():])):
            continue
        for token in re.findall(_DECADE, m.group()):
            d = _decade_start(token)
            if d is not None and d not in out:
                out.append(d)
    return out


def avoided_decade(constraint: str) -> int | None:
    """The decade a kept constraint rules out ("not from the 1980s" -> 1980), else None."""
    m = re.fullmatch(re.escape(AVOIDED_DECADE_PREFIX) + r"(\d{4})s", constraint)
    return int(m.group(1)) if m else None


def year_range(text: str, max_year: int | None = None) -> tuple[int | None, int | None] | None:
    """(year_min, year_max) stated in the text, or None. "from the 90s" -> (1990, 1999)."""
    low = text.lower().replace("\u2019", "'")
    lo = hi = None
    m = re.search(r"\b(?:between|from)\s+(19\d\d|20\d\d)\s+(?:and|to|-|or)\s+(19\d\d|20\d\d)\b", low) or \
        re.search(r"\b(19\d\d|20\d\d)\s*(?:-|to)\s*(19\d\d|20\d\d)\b", low)
    if m:
        a, b = sorted((int(m.group(1)), int(m.group(2))))
        return a, b
    low = _AGE_RE.sub(" ", low)  # "my parents, they are in their 70s" is no decade (it had kept only 1970s films)
    decades, part = [], {}  # decade -> (first, last) year of its early / mid / late part
    for m in re.finditer(r"(?<![\w])(?:'|the\s+)?(19[2-9]0|20[0-2]0|[2-9]0|00|10)'?s\b", low):
        token = m.group(1)
        start = int(token) if len(token) == 4 else (1900 + int(token) if int(token) >= 20 else 2000 + int(token))
        decades.append(start)
        third = re.search(r"\b(early|mid|late)[- ]?(?:'|the\s+)?$", low[:m.start(1)].rstrip("'"))
        if third:  # "late 80s" had been the whole decade (E.T. and The Thing, 1982, came)
            part[start] = {"early": (0, 4), "mid": (3, 6), "late": (5, 9)}[third.group(1)]
    for word, start in DECADE_WORDS.items():
        if re.search(rf"\b{word}\b", low):
            decades.append(start)
    if re.search(r"\b(?:the\s+)?(?:two thousands|2000s|noughties)\b", low):
        decades.append(2000)
    avoided = set(avoided_decades(low, allowed_too=True))  # "from the 90s, not the 80s": only the 90s
    decades = [d for d in decades if d not in avoided]
    if decades:
        lo, hi = min(d + part.get(d, (0, 9))[0] for d in decades), max(d + part.get(d, (0, 9))[1] for d in decades)
        if re.search(r"\b(?:or|and) (?:later|newer|after|up|more recent)\b|\bonwards?\b|\d0'?s\s*\+", low):
            hi = None  # "90s or later"
        elif re.search(r"\b(?:or|and) (?:earlier|older|before)\b", low):
            lo = None  # "the 80s or earlier"
    for m in _BOUND_RE.finditer(low):  # "after 2000", "nothing before 1990", "no older than 2000", "not later than 2005"
        neg, word, year = bool(m.group(1) or _REFUSED_RE.search(low[:m.start()])), m.group(2), int(m.group(3))
        after = word in ("after", "since", "from", "post") or word.startswith(("newer", "later"))
        if word == "from" and not neg and not _ON_RE.match(low, m.end()):
            lo = hi = year  # "a good movie from 1999" is of that year (it had been 1999 on: The Dark Knight came)
        elif after and (not neg or word in ("since", "from")):
            lo = year + (word not in ("since", "from"))  # "after 2000" is 2001 on, "since 2000" 2000 on
        elif after:
            hi = year  # "nothing after 2000", "no newer than 2000" (it had been read as 2001 on)
        elif not neg:
            hi = year - 1  # "before 2000"
        else:
            lo = year  # "nothing before 2000", "no older than 2000" (it had been read as up to 1999)
    m = re.search(r"\b(?:of|in|released in|came out in|made in)\s+(19\d\d|20\d\d)\b(?!s)|"
                  r"\b(19\d\d|20\d\d)\s+(?:movies?|films?|releases?)\b", low)
    if m and lo is None and hi is None:  # "the best movies of 2019" had been no year at all
        lo = hi = int(m.group(1) or m.group(2))
    century = re.search(r"\b(?:(this|the current|(?:the )?21st|(?:the )?twenty-first)|(last|(?:the )?20th|(?:the )?"
                        r"twentieth))\s+century\b", low)
    if century and lo is None and hi is None:  # "something from this century" had set no years
        this = bool(century.group(1)) != bool(re.search(r"\b(?:nothing|no|not)\b[^.?!]{0,20}$", low[:century.start()]))
        lo, hi = (2000, None) if this else (None, 1999)  # "nothing from the 20th century": this one
    this_year = re.search(r"\b(?:from|of|in|released|made)\s+(this|last) year\b|\b(this|last) year's\b", low)
    if this_year and max_year and lo is None and hi is None:  # "from this year?" had kept Totoro (1988): the catalog's
        lo = hi = max_year - ((this_year.group(1) or this_year.group(2)) == "last")  # newest year, as "the last 10
        # years" counts from it ("I saw it last year" says when it was seen, no wish)
    span = _LAST_YEARS_RE.search(low)
    if span and max_year and lo is None and hi is None:  # "from the last 10 years", "the past decade"
        n, unit = span.group(1) or "a", span.group(2)
        lo = max_year - (NUMBER_WORDS.get(n) or int(n)) * (10 if unit.startswith("decade") else 1)
    if lo is None and hi is None and OLD_HOLLYWOOD_RE.search(low):  # "she loves old Hollywood musicals" had set
        hi = OLD_HOLLYWOOD_MAX_YEAR  # no years (La La Land came second), and had wished for films about Hollywood
    if lo is None and hi is None:
        if re.search(r"\b(?:nothing|not|no|none)\s+(?:too |that |so |very |really )?(?:old|older|oldies|old-school|old "
                     r"school|vintage)\b|\b(?:don'?t|do not|dont|never|hate|dislike|can'?t stand|not (?:a )?(?:fan of|into))"
                     r"\s+(?:\w+\s+){0,2}?(?:old|older|oldies|old-school|old school|vintage)\b", low):
            # not old is the rest, no recent film ("nothing too old" had kept only the last five years; "no older
            # stuff" had listed Chinatown and Tokyo Story; "I don't like old movies" had asked for old ones)
            lo = OLD_MAX_YEAR + 1
        elif re.search(r"\b(?:old|older|oldies|old-school|old school|vintage)\s+(?:movies?|films?|ones|stuff|classics?|"
                     r"musicals|westerns|comedies|dramas|thrillers|cartoons|romances|romcoms|war (?:movies|films)|"
                     r"horror (?:movies|films)|sci-fi (?:movies|films))\b|"  # "she loves old musicals" had set no years
                     r"\b(?:an?|some|any) (?:old|older|vintage)\s+(?:[\w&-]+\s+){1,3}?(?:movies?|films?)\b|"
                     # "I like old black and white films" had listed Roma and The Lighthouse ("year old" is an age)
                     r"\b(?:old|older|vintage)\s+(?:black[- ]and[- ]white|b&w|silent|hollywood|classic|foreign)\s+"
                     r"(?:movies?|films?)\b|"
                     r"\b(?:something|anything) (?:really |very |a bit )?old\b",
                     low):  # "an old black and white movie", "something old" (they had set no years)
            hi = OLD_MAX_YEAR
        elif _MODERN_RE.search(low):  # "a modern western", "a modern one" after westerns (they had set no years)
            lo = MODERN_MIN_YEAR
        elif re.search(r"\b(?:new|newer|recent|latest|current)\s+(?:movies?|films?|ones|stuff|releases?)\b|"
                       r"\b(?:something|anything|a movie|a film)\s+(?:fairly |pretty |quite |really |very )?recent\b|"
                       r"\b(?:popular|trending|in theaters|in cinemas|playing)\s+(?:right\s+)?now\b|\btrending\b",
                       low) and max_year:  # "what's popular right now?" had got The Godfather
            lo = max_year - RECENT_SPAN
    if lo is None and hi is None:
        return None
    return lo, hi
