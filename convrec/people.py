"""People named in free text: full names, unambiguous surnames and first names, and nicknames ("the Rock").

``convrec.attributes`` builds the per-catalog table once (``table``) and finds the people of a clause with
``find``; it adds the negation and wraps them as ``Attr("person", ...)``.

    names, longest = table(catalog)
    find("anything with the rock and Kevin Hart?", names, longest)
    # [("Dwayne Johnson", 13, 21, "actor"), ("Kevin Hart", 26, 36, "actor")]
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from convrec.catalog import Catalog
from convrec.title_words import COMMON, word_ranks

# what people call them in chat: "has the rock and Kevin Hart" is frequent in ReDial's training dialogues
NICKNAMES = {"the rock": "Dwayne Johnson", "rdj": "Robert Downey Jr.", "jlo": "Jennifer Lopez", "j lo": "Jennifer Lopez",
             "j.lo": "Jennifer Lopez", "jlaw": "Jennifer Lawrence", "j law": "Jennifer Lawrence",
             "scarjo": "Scarlett Johansson", "sam jackson": "Samuel L. Jackson", "samuel jackson": "Samuel L. Jackson",
             "arnie": "Arnold Schwarzenegger", "leo dicaprio": "Leonardo DiCaprio"}
CUED = frozenset({"the rock"})  # also a film (The Rock, 1996): the person only after "with", "starring", "and"...
_CUED_BEFORE_RE = re.compile(r"\b(?:with|starring|and|has|had|by|fan of|films of|movies of)\s+$")
_PERSON_CUE_RE = re.compile(r"\b(?:by|directed by|starring|fan of|films of|movies of)\s+$")
# after a director's surname: "hitchcock movies", "nolan's films" (not an actor's: "christmas movies")
_WORKS_CUE_RE = re.compile(r"(?:'s)?\s+(?:movies?|films?|flicks?|stuff|classics|thrillers)\b", re.IGNORECASE)
_WORD_RE = re.compile(r"[^\W\d_][\w'.-]*")


def table(catalog: Catalog) -> tuple[dict[str, tuple[str, str]], int]:
    """(lower-case name, unambiguous surname, first name or nickname -> (name, main role), most words in a key)."""
    roles: dict[str, Counter] = defaultdict(Counter)
    for item in catalog:
        for p in item.people:
            if p.role in ("actor", "director") and len(p.name) > 3:
                roles[p.name][p.role] += 1
    people: dict[str, tuple[str, str]] = {}
    by_surname: dict[str, list[str]] = defaultdict(list)
    for name, c in roles.items():
        people[name.lower()] = (name, c.most_common(1)[0][0])
        if "." in name:  # "michael j fox movies", typed without the initial's full stop
            people.setdefault(re.sub(r"\.(?=\s|$)", "", name.lower()), people[name.lower()])
        parts = name.split()
        if len(parts) >= 2:
            by_surname[parts[-1].lower()].append(name)
    for surname, names in by_surname.items():
        counts = sorted((sum(roles[n].values()), n) for n in names)
        top_count, top = counts[-1]
        runner_up = counts[-2][0] if len(counts) > 1 else 0
        if len(surname) >= 4 and surname not in COMMON and surname not in people and \
                (len(counts) == 1 or (top_count >= 3 * runner_up and top_count >= 4)):
            people[surname] = (top, people[top.lower()][1])
    # a first name only one person in the catalog has, with several films, and no English word ("something with
    # keanu" had named no one); a first name many share ("tom") or a word ("roman", "charlie": titles) does not
    by_first: dict[str, list[str]] = defaultdict(list)
    for name in roles:
        if len(name.split()) >= 2:
            by_first[name.split()[0].lower()].append(name)
    for first, names in by_first.items():
        if len(names) == 1 and len(first) >= 4 and first not in COMMON and first not in people and \
                sum(roles[names[0]].values()) >= 3 and first.isalpha() and no_word(first):
            people[first] = (names[0], people[names[0].lower()][1])
    for nick, name in NICKNAMES.items():
        if name.lower() in people and nick not in people:
            people[nick] = people[name.lower()]
    return people, max((k.count(" ") + 1 for k in people), default=1)


def find(text: str, people: dict[str, tuple[str, str]], longest: int) -> list[tuple[str, int, int, str]]:
    """(name, start, end, role) of each person ``text`` names, longest names first."""
    words = [(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]
    out, i = [], 0
    while i < len(words):
        hit = None
        for j in range(min(len(words), i + longest), i, -1):
            key = " ".join(w for w, _, _ in words[i:j]).lower().rstrip(".'s").rstrip("'")
            key2 = re.sub(r"'s$", "", " ".join(w for w, _, _ in words[i:j]).lower())
            entry = people.get(key2) or people.get(key)
            if entry is None:
                continue
            before = text[:words[i][1]].lower()
            if j - i == 1 and not words[i][0][:1].isupper() and key2 not in NICKNAMES \
                    and not _PERSON_CUE_RE.search(before) \
                    and not (entry[1] == "director" and _WORKS_CUE_RE.match(text, words[i][2])) \
                    and not no_word(key2):
                continue  # a bare surname must be capitalised ("Nolan", not "nolan" in running text),
                # unless a cue says a person follows ("anything not by nolan" had avoided the word "nolan"),
                # a director's films do ("i like old hitchcock movies" had got a question back), or it is no
                # English word at all ("what else has dicaprio done" had asked for no one)
            if j - i == 1 and 0 < i and j < len(words) and words[i - 1][0][:1].isupper() and \
                    words[j][0][:1].isupper() and not re.search(r"[.!?,;:]\s*$", text[:words[j][1]]):
                continue  # inside a capitalised phrase, a title: "Crazy Rich Asians" had been Richard Rich
            if j - i == 1 and i > 0 and _other_first_name(words[i - 1][0], text[:words[i - 1][1]], entry[0]):
                continue  # "Denzel Washington" is someone else than the catalog's John David Washington (Tenet
                # had been listed as his film)
            if key2 in CUED and not (_CUED_BEFORE_RE.search(before) or _WORKS_CUE_RE.match(text, words[j - 1][2])):
                continue  # "I loved The Rock" is the film; "anything with the rock?" is Dwayne Johnson
            hit = (entry, j)
            break
        if hit:
            (name, role), j = hit
            out.append((name, words[i][1], words[j - 1][2], role))
            i = j
        else:
            i += 1
    return out


def _other_first_name(word: str, before: str, name: str) -> bool:
    """A capitalised word right before a surname that is no common word nor a sentence's first, and no typo of
    ``name``'s first name ("Adan Sandler" is Adam Sandler, ReDial's seekers write so): the first name of a
    person the catalog lacks."""
    given = [w.lower() for w in name.split()[:-1]]  # the words before the surname ("John David")
    return word[:1].isupper() and word.lower() not in COMMON and bool(before.strip()) and \
        not re.search(r"[.!?]\s*$", before) and word.lower() not in _TITLES and \
        not any(_near(word.lower(), g) for g in given)


def _near(a: str, b: str) -> bool:
    """Within one edit (a typo), or one a prefix of the other ("Chris" for Christopher)."""
    from convrec.titles import edit_distance  # here: convrec.titles reaches this module through its imports

    return bool(b) and (b.startswith(a) or a.startswith(b) or edit_distance(a, b) <= 1)


_TITLES = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "director", "actor", "actress", "young", "old", "early"}


def no_word(key: str) -> bool:
    """A surname that is no English word of the embedding model's vocabulary ("dicaprio", "hanks"; not "nolan",
    "cage" or "christmas"). False without the vocabulary (then capitals or a cue are needed)."""
    ranks = word_ranks()
    return bool(ranks) and len(key) >= 4 and key not in ranks
