"""Preference tracking: a pure ``update(preferences, turn, catalog) -> preferences``.

A user turn is split into clauses; in each clause the tracker finds title mentions
(``convrec.titles``), references to what the system showed ("the second one", "that one"),
polarity cues (``convrec.polarity``) and attributes (``convrec.attributes``), and moves ids
between the liked / disliked / seen / not_seen lists. A later statement overrides an earlier
one ("actually I have seen it" moves an id from not_seen to seen); nothing else is removed
unless the user retracts it ("forget Alien", "horror is fine actually").

    prefs = update(Preferences(), Turn(USER, "I loved Alien but never saw Aliens"), catalog)

Rules first; an optional learned part (``convrec.tracker_model``, passed as ``model=``) then
re-decides each title the turn touched, reading the rules' verdict as one of its features.
Without it the tracker is the rules alone.

Run the evaluation on ReDial (see ``convrec.preference_eval``):
    python -m convrec.preferences eval --data-dir ../shared/data --out results/tracker
"""
from __future__ import annotations

import copy
import re
from collections import Counter

from convrec import attributes, clause_refs, polarity, policy, series, tastes, title_choice, wants
from convrec.catalog import Catalog
from convrec.mentions import MAX_TEXT_CHARS, find_mentions, ordinal_mentions  # noqa: F401 (re-exported)
from convrec.mentions import clean_text as _clean
from convrec.state import USER, Preferences, Turn
from convrec.tastes import add, drop

# the clause's verdict covers each of its titles: "seen Interstellar and Memento too, both great" (only the
# title next to "great" had been liked)
_ALL_OF_RE = re.compile(r"\b(?:both|all (?:of them|three|four|five)|each of them)\b")
_RETRACT_RE = re.compile(r"\b(?:forget(?: about)?|ignore|scratch|remove|drop|never ?mind|disregard|take back|cancel)\b")
# a farewell is no verdict on what was shown: "Good bye", "have a great night"
_FAREWELL_RE = re.compile(r"\b(?:good ?-?bye|bye|good ?night|good luck|have an? (?:good|great|nice|wonderful) \w+|"
                          r"(?:great|good|nice) (?:talking|chatting|to talk|chat)|take care|"
                          # how the user feels, no verdict: "I'm in a bad mood, cheer me up" had avoided feel-good
                          r"(?:bad|rough|tough|terrible|awful|horrible|crappy|shitty|hard|stressful) (?:mood|day|week)|"
                          r"feeling (?:bad|down|low|blue|sad))\b")
_LEAD_ANSWER_RE = re.compile(r"\W*(yes|yeah|yep|yup|no|nope|nah|not yet)\b\W")
# an initial's full stop ends no sentence: "something with Michael J. Fox" (the name had been cut in two)
_CLAUSE_RE = re.compile(r"(?:[^.!?;\n]|(?<=\b[A-Z])\.(?=\s+[A-Z][a-z]))+[.!?;]*|[.!?;]+")
_CONTRAST_RE = re.compile(r"(?<!anything)(?<!everything)(?<!nothing)(?<!\ball)\s+(?:but|though|although|however|"
                          r"whereas|except that|yet)\s+|\s*\u2014\s*|\s+-\s+|"
                          # a cleft naming another title: "no, I meant I loved it, it was Avatar I hated"
                          r",\s*(?=it\s+(?:was|is)\s+(?:the\s+)?[A-Z@])|"
                          # a verdict after a wish: "something scary but not gory, I loved The Others" (the wish had
                          # been read as a word on the film, and "not gory" was lost)
                          r",\s*(?=(?i:(?:and\s+)?(?:i|we)\s+(?:(?:really|also|absolutely|totally|just)\s+)?(?:loved?|"
                          r"liked?|enjoyed|adored|hated|disliked)\s+(?:the\s+)?[A-Z@\d]))")


def _clauses(text: str) -> list[tuple[int, int]]:
    """Character spans of clauses: sentences, then contrastive "but"/"though" splits."""
    spans = []
    for m in _CLAUSE_RE.finditer(text):
        start = m.start()
        for c in _CONTRAST_RE.finditer(m.group()):
            spans.append((start, m.start() + c.start()))
            start = m.start() + c.end()
        spans.append((start, m.end()))
    return [part for a, b in spans if text[a:b].strip() for part in _after_retraction(text, a, b)]


# "forget what I said about Dune, I want a western": the wish after a retraction is a clause of its own
# (the retraction had taken the whole sentence, and the western with it)
_NEW_WISH_RE = re.compile(r"(?:,|;|\s+(?:and|now|instead))\s*(?:now\s+|instead\s+|just\s+)?(?=(?:i (?:want|need|'d like|would like)|"
                          r"i'm (?:looking|in the mood)|give me|show me|something|anything|maybe|how about|what about|"
                          r"let's|lets)\b)", re.I)


def _after_retraction(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """The clause ``a:b``, split where a new wish follows a retraction in it."""
    m = _RETRACT_RE.search(text[a:b].lower())
    cut = _NEW_WISH_RE.search(text, a + m.end(), b) if m else None
    return [(a, cut.start()), (cut.end(), b)] if cut else [(a, b)]


def _mask(text: str, spans: list[tuple[int, int]], a: int, b: int) -> str:
    """The clause text with title mentions replaced by ``X`` padded to the same length."""
    chars = list(text[a:b])
    for s, e in spans:
        if s >= a and e <= b:
            chars[s - a: e - a] = list("X".ljust(e - s))
    return "".join(chars)


# ---------------------------------------------------------------- state edits (each keeps the lists disjoint)

def set_liked(prefs: Preferences, item_id: str, liked: bool) -> None:
    add(prefs.liked if liked else prefs.disliked, item_id)
    drop(prefs.disliked if liked else prefs.liked, item_id)


def set_seen(prefs: Preferences, item_id: str, seen: bool) -> None:
    add(prefs.seen if seen else prefs.not_seen, item_id)
    drop(prefs.not_seen if seen else prefs.seen, item_id)


_CORRECTION_RE = re.compile(r"\b(?:actually|confused|mixed (?:it|them|those) up|i was wrong|my mistake|my bad|"
                            r"i meant|wait)\b")  # "actually I haven't seen it, I confused it with Casino"


_PERSON_RE = re.compile(r"\b(?:him|her|he|she|he's|she's|hes|shes|his (?:work|films|movies|stuff)|"
                        r"her (?:work|films|movies|stuff))\b")  # the person an answer named, not the film
_LIKE_IT_RE = re.compile(r"\b(?:something|anything|more|others?|ones?|movies?|films?)\s+(?:\w+\s+)?like\s+"
                         r"(?:it|that|this|that one|this one)\b")


def _same_director(prefs: Preferences, named: list[str], catalog: Catalog) -> None:
    """"something by the same director?": the directors of the film named, else of the one just talked about, else
    of the latest liked film, are wanted now, last (it had got a list with none of Jon Favreau's after Elf)."""
    anchor = next((i for i in [*named, *reversed(prefs.liked)] if i in catalog), None)
    for name in catalog[anchor].names("director") if anchor else ():
        drop(prefs.disliked_people, name)
        drop(prefs.liked_people, name)
        prefs.liked_people.append(name)


def _other_director(prefs: Preferences, named: list[str], catalog: Catalog) -> None:
    """"something by a different director": the directors of the film named, else of the latest liked film and of
    any two liked films, are avoided now (Dunkirk had followed Inception and Interstellar)."""
    liked = [i for i in prefs.liked if i in catalog]
    counts = Counter(n for i in liked for n in catalog[i].names("director"))
    anchor = [i for i in named if i in catalog] or liked[-1:]
    directors = [n for i in anchor for n in catalog[i].names("director")]
    if not anchor and prefs.liked_people and any(prefs.liked_people[-1] in item.names("director") for item in catalog):
        directors = prefs.liked_people[-1:]  # "I like Wes Anderson", then "similar but by a different director"
    for name in dict.fromkeys(directors + [n for n, c in counts.items() if c > 1]):  # in order: the same state every run
        drop(prefs.liked_people, name)
        add(prefs.disliked_people, name)


def corrects(text: str) -> bool:
    """The message corrects something said before ("actually I didn't like it", "wait, I meant the old one")."""
    return bool(_CORRECTION_RE.search(text.lower()))


def _apply(prefs: Preferences, ids: list[str], pol: polarity.Polarity, correction: bool = False) -> None:
    for i in ids:
        if not pol.empty:
            drop(prefs.dropped, i)  # named again with a verdict: evidence again
        if correction and pol.seen is False and not pol.seen_inferred and pol.liked is None and i in prefs.seen:
            # "actually I haven't seen Goodfellas": the verdict came with having seen it, so it goes too
            # (only as a correction: on ReDial train, "haven't seen" alone after praise cost liked macro-F1 0.004)
            drop(prefs.liked, i)
            drop(prefs.disliked, i)
        if pol.liked is not None:
            set_liked(prefs, i, pol.liked)
        if pol.seen is not None and not (pol.seen_inferred and i in (prefs.not_seen if pol.seen else prefs.seen)):
            set_seen(prefs, i, pol.seen)


# ---------------------------------------------------------------- the update

def update(prefs: Preferences, turn: Turn, catalog: Catalog, shown: list[str] | tuple = (),
           prompt: str = "", model=None, known: list[str] | tuple = (), focus: list[str] | tuple = (),
           people_before: list[str] | tuple = (), compared: list[str] | tuple = ()) -> Preferences:
    """The preferences after one turn. Pure: ``prefs`` is not changed.

    ``shown``: ids the system showed last ("the second one"); ``known``: every id the system
    has shown in the conversation (among films sharing a title, the linker picks the one
    shown; ``shown`` when empty); ``prompt``: the system's last
    message, so a bare "yes" / "no" answers it ("Have you seen X?" -> "no"). ``model``: a
    ``convrec.tracker_model.TrackerModel`` (or anything with its ``decide``) that re-decides
    every title the turn touches from the rules' verdict and the words; None = rules only.
    ``focus``: what "it" / "that" means before the turn names a title (the film the system just
    answered a question about); ``shown`` when empty. ``people_before``: the people the system's last message
    named ("Jaws (1975) was directed by Steven Spielberg"), whom "what else did he make?" asks for.
    ``compared``: the films the user's previous message named, what "newer" is newer than (else the films shown).
    """
    before, prefs = prefs, copy.deepcopy(prefs)
    if turn.speaker != USER:
        return prefs
    text = _clean(turn.text)
    if not text.strip():
        return prefs
    shown = [i for i in shown if i in catalog]
    mentions = find_mentions(text, catalog, shown, known)
    spans = [(m.start, m.end) for m in mentions] + [(m.start, m.end) for m in series.named(text, catalog)]
    for m in mentions:
        others = [i for i in m.alternatives if not catalog.same_film(i, m.item_id)]
        key = m.text.lower()
        if key in prefs.ambiguous and m.item_id in prefs.ambiguous[key][1:] and _CORRECTION_RE.search(text.lower()):
            _settle(prefs, (key, m.item_id))  # "wait, I meant the old Dune": that reading replaces the first one
            continue  # (both had been kept liked)
        if others and m.year is None and m.how != "at":
            prefs.ambiguous[key] = [m.item_id, *others]
        elif m.year is not None:  # "I meant Dune (1984)": settled, and the first reading was wrong
            for key, ids in list(prefs.ambiguous.items()):
                if m.item_id in ids:
                    del prefs.ambiguous[key]
                    if ids[0] != m.item_id:
                        add(prefs.dropped, ids[0])
                        for lst in (prefs.liked, prefs.disliked, prefs.seen, prefs.not_seen):
                            drop(lst, ids[0])
    if not mentions:
        _settle(prefs, title_choice.settle(prefs.ambiguous, text, catalog))  # "no, the old one"
    _leading_answer(prefs, text, shown, mentions, prompt)
    focus = [i for i in focus if i in catalog] or list(shown)  # what a pronoun points at: the last titles talked about
    verdicts: dict[str, tuple] = {}  # id -> (role, rules' polarity, clause) for the model
    any_mention = bool(mentions)
    max_year = max((it.year for it in catalog if it.year), default=None)
    clauses = _clauses(text)
    for n, (a, b) in enumerate(clauses):
        clause = _mask(text, spans, a, b)
        low = clause.lower().replace("\u2019", "'")
        here = [m for m in mentions if a <= m.start < b]
        refs = clause_refs.references(low, [] if here else focus, any_mention)
        # "... but my girlfriend hated it": another viewer's verdict, where the user has given one, leaves it standing
        theirs = bool(clause_refs.COMPANION_RE.search(low)) and not here
        judged = set(verdicts) | set(prefs.liked) | set(prefs.disliked) if theirs else set()
        refs = [r for r in refs if r not in judged]
        ids = [m.item_id for m in here] + [r for r in refs if r not in {m.item_id for m in here}]
        if _RETRACT_RE.search(low):
            tastes.retract(prefs, ids, clause, catalog, low)
            continue
        pol = polarity.classify(_FAREWELL_RE.sub(" ", low).replace("why not ", "how about "))  # a suggestion
        if pol.empty and not here:
            pol = polarity.answer(low, prompt)
            if not pol.empty and not refs:
                refs = list(focus) if len(focus) <= 2 else []
                ids = refs
        if people_before and pol.liked is not None and not here and _PERSON_RE.search(low):
            # "I love him" after "who directed the first one?": a verdict on the person the answer named (the
            # film had been liked and seen)
            add(prefs.liked_people if pol.liked else prefs.disliked_people, people_before[0])
            drop(prefs.disliked_people if pol.liked else prefs.liked_people, people_before[0])
            continue
        if not pol.empty and not ids and not any_mention and len(focus) <= 1 and not set(focus) & judged and \
                not attributes.find_attributes(clause, catalog) and len(low.split()) <= 8 and \
                not tastes.is_wish(text, low, pol, max_year):
            # "sounds great, thanks!" answers what was just shown, if that is one title (after two it could be either)
            refs = ids = list(focus)
            if pol.liked and policy.closing(text):  # "perfect, thank you!" takes the film, it has not seen it (it
                pol = polarity.Polarity(liked=True, seen=False, seen_inferred=True)  # had been marked seen)
        if pol.empty and re.fullmatch(r"\W*(?:but\s+)?not\b.{0,25}", re.sub(r"\bx\b", "", low).strip()) and ids:
            pol = polarity.Polarity(liked=False)  # "... but not the second one"
        if pol.empty and here and all(m.how == "ref" for m in here) and n + 1 < len(clauses) and \
                polarity.classify(_mask(text, spans, *clauses[n + 1]).lower()).question:
            pol = polarity.Polarity(question=True)  # "ok the first one. is it good?" asks about it, it picks nothing
        for m in here:
            # a title just shown is answered, not brought up: "I've seen Forrest Gump" is no praise of it
            alone = len(here) == 1 or bool(_ALL_OF_RE.search(clause_refs.WE_BOTH_RE.sub(" ", low)))
            own = clause_refs.mention_polarity(low, m.start - a, m.end - a, pol, m.how == "ref" or m.item_id in shown,
                                               alone=alone)
            if own.liked and own.seen_inferred and (m.how == "ref" or m.item_id in shown) and \
                    polarity.LIKE_BEFORE.search(low[:m.start - a]):  # "more like the first": a wish, not seen
                own = polarity.Polarity(liked=True)
            _apply(prefs, [m.item_id], own, correction=bool(_CORRECTION_RE.search(low)))
            verdicts[m.item_id] = ("ref" if m.how == "ref" else "mention", own, low)
        ref_pol = clause_refs.pronoun_polarity(clause, low, pol, catalog) if refs and not here else pol
        if _LIKE_IT_RE.search(low) and refs and all(r in prefs.not_seen for r in refs):
            ref_pol = polarity.Polarity()  # "never saw Heat" then "something like it": a wish, no verdict on Heat
        if ref_pol.liked is False and "too long" in low and refs and all(verdicts.get(r, (0, polarity.Polarity()))[1].liked
                                                                           for r in refs):
            ref_pol = polarity.Polarity()  # "I liked Avatar but found it too long": still liked (it had been disliked)
        _apply(prefs, [r for r in refs if r not in {m.item_id for m in here}], ref_pol, bool(_CORRECTION_RE.search(low)))
        verdicts.update({r: ("pronoun", ref_pol, low) for r in refs if r not in {m.item_id for m in here}})
        if here:
            focus = [m.item_id for m in here]
        than = [catalog[m.item_id].year for m in mentions if catalog[m.item_id].year]  # "like Superbad but newer"
        tastes.apply_attributes(prefs, clause, low, catalog, pol, reference=bool(ids), max_year=max_year,
                                than=than or ([] if mentions else _years(compared, catalog) or tastes.middle_year(
                                    shown, catalog)))  # a title named without a known year is no list's median
        # "something more recent"; "newer" after "something like Grease" is newer than Grease, not than the
        # list (Mary Poppins had come, newer than its median)
        excepted = [m.item_id for m in here if tastes.EXCEPT_RE.search(low[:m.start - a])]
        if not here or excepted:  # "I have seen all his films", "... all of his except Jackie Brown"
            tastes.seen_every(prefs, clause, low, catalog, but=excepted, shown=shown)
    if wants.NOT_HIS_RE.search(text.lower()):  # "like that but not by him": the person named before, else the
        who = people_before[:1] or prefs.liked_people[-1:]  # latest one liked, is avoided now
        for name in who:
            drop(prefs.liked_people, name)
            add(prefs.disliked_people, name)
    elif people_before and wants.HIS_WORK_RE.search(text.lower()) and \
            not any(a.kind == "person" for a in attributes.find_attributes(text, catalog)):
        drop(prefs.disliked_people, people_before[0])  # "what else did he make?" after "who directed Jaws?" (it
        drop(prefs.liked_people, people_before[0])  # had asked for a film): he is wanted now, last
        prefs.liked_people.append(people_before[0])
    if wants.SAME_DIRECTOR_RE.search(text.lower()) and \
            not any(a.kind == "person" for a in attributes.find_attributes(text, catalog)):
        _same_director(prefs, [m.item_id for m in mentions] or (list(focus) if len(focus) == 1 else []), catalog)
    if wants.OTHER_DIRECTOR_RE.search(text.lower()) and \
            not any(a.kind == "person" for a in attributes.find_attributes(text, catalog)):  # not "Nolan and other
        _other_director(prefs, [m.item_id for m in mentions], catalog)  # directors like him"
    series.update(prefs, text, catalog)  # "the Star Wars movies"
    tastes.change_of_pace(prefs, text, shown, catalog)  # "something completely different"
    if model is not None:
        _learned(prefs, before, model, text, mentions, verdicts, shown, prompt)
    return prefs


def _years(ids, catalog: Catalog) -> list[int]:
    return [catalog[i].year for i in ids if i in catalog and catalog[i].year]


def _settle(prefs: Preferences, settled: tuple[str, str] | None) -> None:
    """The user picked another reading of an ambiguous title: it takes the first reading's place."""
    if settled is None:
        return
    mention, chosen = settled
    readings = prefs.ambiguous.pop(mention)
    first = readings[0]
    for other in readings:  # not meant: the turn that named it is no evidence of taste for it, and it waits behind
        if other != chosen:  # the first places ("I meant the 2021 one" after Dune had listed Dune (1984) first)
            add(prefs.dropped, other)
    drop(prefs.dropped, chosen)
    for lst in (prefs.liked, prefs.disliked, prefs.seen, prefs.not_seen):
        if first in lst and chosen != first:
            lst[lst.index(first)] = chosen
            while lst.count(chosen) > 1:  # it was there already: keep the earlier place
                del lst[len(lst) - 1 - lst[::-1].index(chosen)]


def _leading_answer(prefs: Preferences, text: str, shown: list[str], mentions: list, prompt: str) -> None:
    """"Have you seen X?" -> "No, is it like RoboCop?": the leading no answers about X though another title follows."""
    lead = _LEAD_ANSWER_RE.match(text.lower())
    if lead and shown and len(shown) <= 2 and mentions and not any(m.item_id in shown for m in mentions):
        _apply(prefs, shown, polarity.answer(lead.group(1), prompt))


def _label(item_id: str, yes: list, no: list) -> int:
    return 1 if item_id in yes else (0 if item_id in no else 2)


def _learned(prefs: Preferences, before: Preferences, model, text: str, mentions: list, verdicts: dict,
             shown: list[str], prompt: str) -> None:
    """Let the model re-decide every title the turn touched (named, pointed at, or just shown)."""
    from convrec.tracker_model import Candidate

    n_named = len({m.item_id for m in mentions if m.how != "ref"})
    for item_id in list(verdicts) + [i for i in shown if i not in verdicts]:
        role, pol, clause = verdicts.get(item_id, ("shown", polarity.Polarity(), ""))
        cand = Candidate(item_id, role, _masked(text, mentions, item_id),
                         clause, re.sub(r"@(\d+)", lambda g: " tgt " if g.group(1) == item_id else " oth ",
                                        (prompt or "").lower()),
                         (pol.liked, pol.seen, pol.hedge, pol.question), n_named, len(shown),
                         shown.index(item_id) if item_id in shown else -1)
        decision = model.decide(cand, _label(item_id, before.liked, before.disliked),
                                _label(item_id, before.seen, before.not_seen))
        if decision is None:
            continue
        liked, seen = decision
        if liked == 2:
            drop(prefs.liked, item_id)
            drop(prefs.disliked, item_id)
        else:
            set_liked(prefs, item_id, liked == 1)
        if seen == 2:
            drop(prefs.seen, item_id)
            drop(prefs.not_seen, item_id)
        else:
            set_seen(prefs, item_id, seen == 1)


def _masked(text: str, mentions: list, item_id: str) -> str:
    """The turn in lower case with this title as " tgt " and every other title as " oth "."""
    out, pos = [], 0
    for m in sorted(mentions, key=lambda m: m.start):
        out += [text[pos:m.start], " tgt " if m.item_id == item_id else " oth "]
        pos = m.end
    return ("".join(out) + text[pos:]).lower().replace("\u2019", "'")


# ---------------------------------------------------------------- UI feedback

FEEDBACK_KINDS = {  # UI event -> (liked, seen); None leaves that side unchanged
    "like": (True, None), "dislike": (False, None), "not for me": (False, None), "seen": (None, True),
    "seen it": (None, True), "not_seen": (None, False), "unseen": (None, False),
}


def apply_feedback(prefs: Preferences, item_id: str, kind: str) -> Preferences:
    """A UI event (like / dislike / seen, or the corrections not_seen / clear) on one item."""
    prefs = copy.deepcopy(prefs)
    kind = (kind or "").strip().lower()
    if kind == "clear":  # undo a like or dislike
        drop(prefs.liked, item_id)
        drop(prefs.disliked, item_id)
        return prefs
    if kind not in FEEDBACK_KINDS:
        raise ValueError(f"unknown feedback {kind!r}: use like, dislike, seen, not_seen or clear")
    liked, seen = FEEDBACK_KINDS[kind]
    _apply(prefs, [item_id], polarity.Polarity(liked, seen))
    return prefs


def main(argv: list[str] | None = None) -> int:
    from convrec.preference_eval import main as eval_main

    return eval_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
