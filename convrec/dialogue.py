"""The dialogue manager: one conversation turn, from user text to a reply.

Flow of a user turn: tag it (``USER:``, with the titles it names as ``Turn.items``), update the preference state (references
such as "the second one" or "more like the first" point at the items shown last),
answer a factual question about a film from the catalog (``convrec.answers``: "who directed the
first one?"), else decide with ``convrec.policy`` to ask one clarifying question or recommend, ask the
recommender (retrieval -> generator), record what was shown. Feedback from the UI ("Like", "Not for me",
"Seen it") changes the same state. Every function returns a new state.

    from convrec.dialogue import Dialogue
    dialogue = Dialogue(catalog, recommender)
    state, reply = dialogue.turn(DialogueState(), "I loved Alien, nothing too old")
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from typing import Iterator

from convrec import answers, attributes, keywords, mentions, policy, wants
from convrec.list_notes import gone_note, last_note
from convrec.schema_notes import schema_notes
from convrec.catalog import Catalog
from convrec.recommender import Recommender
from convrec.state import SYSTEM, USER, DialogueState, Feedback, Preferences, Turn  # noqa: F401 (re-exported)

MAX_MESSAGE_CHARS = 4000  # longer messages are cut (and the reply says so) rather than rejected


@dataclass
class Reply:
    text: str  # what the system says
    items: list[str] = field(default_factory=list)  # recommended catalog ids, best first
    explanations: dict[str, str] = field(default_factory=dict)  # item id -> why
    question: str | None = None  # the attribute asked about, when the turn is a question


# a verdict on "it" and nothing else: after a list, which film it means is unknown ("nah seen it" had been ignored)
_BARE_VERDICT_RE = re.compile(r"(?i)^\W*(?:(?:oh|ah|nah|no|nope|yeah|yes|yep|ok|okay|well|hmm+|but|actually|"
                              r"not (?:that|this) one)\W+)*"  # "not that one, seen it" had got a new list
                              r"(?:i(?:'ve| have|'d| had)?\s+)?(?:already\s+)?(?:seen|watched|saw|loved|liked|hated|"
                              r"enjoyed)\s+(?:it|that(?: one)?|this(?: one)?)(?:\s+(?:already|before|too|lol|"
                              r"actually))*\W*$")
PICK_MAX_WORDS = 6  # "the second one", "I mean number 2": a longer message says something of its own


def _pick(state: DialogueState, text: str, catalog: Catalog) -> tuple[str, str, int] | None:
    """After "Which one do you mean? 1. ...", a message that only picks one of the films: (the film, the
    message that was asked about, the index its answer's USER turn will take)."""
    turns = state.turns
    if len(turns) < 2 or turns[-1].speaker != SYSTEM or not turns[-1].text.startswith(answers.WHICH_ONE) or \
            turns[-2].speaker != USER or len(text.split()) > PICK_MAX_WORDS:
        return None
    shown = state.last_shown()
    choices = shown + named_before_list(turns[:-2])  # "Interstellar" when it was offered by name
    digit = re.fullmatch(r"\W*#?\s*(\d)\W*", text)
    ids = [shown[int(digit.group(1)) - 1]] if digit and 0 < int(digit.group(1)) <= len(shown) else \
        [i for i in mentions.named(text, catalog, shown, state.shown) if i in choices]
    return (ids[0], turns[-2].text, len(turns)) if len(ids) == 1 else None


def named_before_list(turns: list[Turn]) -> list[str]:
    """When the latest turn is a list: the films the user's message before it named that it does not hold ("I loved
    Interstellar", a list, "who directed it?" may be about Interstellar)."""
    if not turns or turns[-1].speaker != SYSTEM or not turns[-1].items:
        return []
    before = next((t.items for t in reversed(turns[:-1]) if t.speaker == USER), [])
    return [i for i in before if i not in turns[-1].items]


def one_entry_each(ids: list[str], catalog: Catalog) -> list[str]:
    """``ids`` without a later entry of a film listed before it: ReDial's "Anchorman" and "Anchorman: The Legend of
    Ron Burgundy (2004)" (one IMDb id) had been third and fourth in one list. Done here, for what is shown, not in
    the ranking: ReDial's recommenders name either entry and its evaluation counts ids, so dropping one from the
    ranking cost test dedup R@10 5 samples and R@50 10."""
    out: list[str] = []
    for i in ids:
        if i not in out and not set(catalog.twins(i)) & set(out):
            out.append(i)
    return out


class Dialogue:
    """Per-turn flow over a catalog and a recommender (both passed in)."""

    def __init__(self, catalog: Catalog, recommender: Recommender, k: int = 5, ask: bool = True):
        self.catalog = catalog
        self.recommender = recommender
        self.k = k  # items shown per recommendation turn
        self.ask = ask  # False: never ask clarifying questions, always recommend (harnesses that test retrieval only)

    def turn(self, state: DialogueState, text: str) -> tuple[DialogueState, Reply]:
        """One user message in, the new state and the system's reply out."""
        *_, last = self.stream_turn(state, text)
        return last

    def stream_turn(self, state: DialogueState, text: str,
                    _picked: list[str] | None = None) -> Iterator[tuple[DialogueState, Reply]]:
        """Like ``turn`` but yields partial replies while the text is generated; the last is final."""
        from convrec import preferences

        state = copy.deepcopy(state)
        text = (text or "").strip()
        if not text:
            yield state, Reply("Tell me a film you liked, a genre, or a mood, and I'll suggest something.")
            return
        pick = None if _picked is not None else _pick(state, text, self.catalog)
        if pick is not None:  # "the second one" after "Which one do you mean?": the message asked about is
            # answered for that film ("is it violent?" had got The Thing liked and a new list)
            item, pending, at = pick
            for after, reply in self.stream_turn(state, pending, _picked=[item]):
                named = list(dict.fromkeys([*after.turns[at].items, item]))  # as "the second one" names it
                after.turns[at] = Turn(USER, text, items=named)  # the message as typed
                yield after, reply
            return
        rest = policy.restart(text)
        if rest is not None:  # "start over": a fresh state, and what follows is its first message
            state = DialogueState()
            if not rest:
                state.turns += [Turn(USER, text), Turn(SYSTEM, policy.RESTART_REPLY)]
                yield state, Reply(policy.RESTART_REPLY)
                return
            text = rest
        cut = len(text) > MAX_MESSAGE_CHARS
        text = text[:MAX_MESSAGE_CHARS]
        user = Turn(USER, text)
        last = state.turns[-1] if state.turns else None
        focus = last.about if last is not None and last.speaker == SYSTEM else []
        if _picked:
            focus = list(_picked)
        elif last is not None and last.speaker == SYSTEM and len(last.items) > 1 and _BARE_VERDICT_RE.match(text) \
                and not wants.verdict_on_own_film(state.turns, text):  # "seen it" after five films: which one?
            unseen = [i for i in named_before_list(state.turns) if i not in state.preferences.seen]  # "seen it"
            ask = answers.which_one(last.items, self.catalog, unseen)  # may be the film just named, if not known seen
            state.turns += [user, Turn(SYSTEM, ask)]
            yield state, Reply(ask)
            return
        if last is not None and last.speaker == SYSTEM and not last.items and not focus:
            # after a question, "it" is what the user named last ("I hated Titanic" -> "What kind of film...?" ->
            # "no, I meant I loved it": Titanic had stayed disliked)
            focus = wants.last_named(state.turns)
        if last is not None and last.speaker == SYSTEM and len(last.items) > 2 and not focus and \
                (preferences.corrects(text) or wants.verdict_on_own_film(state.turns, text)):
            # "actually I did not like it that much" or "it was mid" after a list: "it" is the film the user named
            # last (which of the five shown was unknown: Inception had stayed liked)
            focus = wants.last_named(state.turns)
        before, prefs_before = dict(state.preferences.ambiguous), state.preferences
        found = answers.answer(text, self.catalog, state.last_shown(), focus, state.preferences,
                               named_before_list(state.turns))
        said = answers.statements(text, self.catalog) if found is not None else text  # "is it scary?" wants no horror
        named = [a.value for a in attributes.find_people(last.text, self.catalog)] if focus else []  # an answer's
        if len(named) > 1 and wants.HIS_WORK_RE.search(text.lower()) and not attributes.find_people(text, self.catalog):
            ask = f"Whom do you mean: {', '.join(named[:-1])} or {named[-1]}?"  # "what else has she been in?" after
            state.turns += [user, Turn(SYSTEM, ask, about=list(focus))]  # a cast: which of them is unknown
            yield state, Reply(ask)
            return
        if said:
            state.preferences = preferences.update(state.preferences, Turn(USER, wants.continued(state.turns, said)),
                                                   self.catalog,
                                                   shown=state.last_shown(), known=state.shown, focus=focus,
                                                   people_before=named, compared=wants.just_named(state.turns))
        user.items = mentions.named(said, self.catalog, state.last_shown(), state.shown) if said else []
        if found is not None:  # a film asked about is known to the user: "what else did he make?" after "who
            user.items += [i for i in found.item_ids if i not in user.items and i not in state.shown]  # directed
            # Jaws?" had listed Jaws first
        if not user.items and focus and wants.more_like_it(said):  # "more like that" after an answer about a film
            user.items = list(focus)
        unknown = mentions.unknown_names(said, self.catalog, state.last_shown(), state.shown) if said else []
        user.unknown = list(unknown)
        state.turns.append(user)
        short = self._without_list(state, text, found, prefs_before)
        if short is not None:
            state.turns.append(Turn(SYSTEM, short.text, about=found.item_ids if found else []))
            yield state, short
            return
        decision = policy.decide(state, self.catalog, text) if self.ask else policy.Decision(None)
        if decision.ask is not None:
            reply = Reply(policy.greeting(text) + _unknown_note(unknown, "") + decision.text, question=decision.ask)
            state.asked.append(decision.ask)
            state.turns.append(Turn(SYSTEM, reply.text))
            yield state, reply
            return
        note = self._notes(state.preferences.ambiguous, before, cut)
        lead = _unknown_note(unknown, "so these go by the rest of what you said.")
        unseen = [i for i in _unseen_shown(state, prefs_before) if i in self.catalog][:3]
        lead += self._unseen_note(unseen)
        lead += self._unseen_note([i for i in _unseen_named(state, prefs_before) if i in self.catalog][:3], "you named")
        lead += schema_notes(text)  # "something shorter", "best rated", "on netflix": no such field
        asked = wants.asked_now(state, self.catalog)
        people = [a.value for a in asked if a.kind == "person"]
        tags = [a.value for a in asked if a.kind == "keyword"]
        if any(t in keywords.LANGUAGES for t in tags):  # "korean" says "foreign language" (a second tag had kept
            tags = [t for t in tags if t != keywords.lookup(keywords.FOREIGN, self.catalog)]  # the note away)
        genres = wants.genres_asked_now(state, self.catalog)
        k = policy.list_length(text) or self.k  # "give me 3 more"
        recs = self.recommendations(state, k)
        rec = next(recs)
        for better in recs:  # partial replies (model explanations still being written): state unchanged
            yield state, self._reply(rec, note, lead, k)
            rec = better
        named = [i for t in state.turns if t.speaker == USER for i in t.items]  # never listed: "besides parasite"
        # a genre an opening names only boosts (``wants.genres_asked_now``), so its films may wait further down:
        # the note then needs every film of it left in the list ("a good sports movie" had gone on from its three
        # sport films to Pulp Fiction without a word)
        boosted = [] if genres else [a.value for a in attributes.find_attributes(text, self.catalog)
                                     if a.kind == "genre" and not a.negated and a.value in state.preferences.liked_genres]
        note += last_note(self.catalog, people, genres or boosted, tags, rec.item_ids[:k], state.shown,
                          state.preferences, named, boosted=bool(boosted))
        reply = self._reply(rec, note, lead + gone_note(self.catalog, people, genres, rec.item_ids[:k], tags,
                                                        state.shown + named, state.preferences), k)
        if not reply.items:
            reply = Reply(lead + policy.nothing_left(state.preferences))
        state.turns.append(Turn(SYSTEM, reply.text, items=reply.items, about=unseen))  # "what's that one about?"
        # means the film pointed back at
        state.shown += [i for i in reply.items if i not in state.shown]
        yield state, reply

    def _unseen_note(self, ids: list[str], source: str = "from an earlier list") -> str:
        if not ids:
            return ""
        labels = [self.catalog[i].label for i in ids]
        names = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
        source = source if source.startswith("from") else ("which " if len(ids) == 1 else "both of which " if
                                                            len(ids) == 2 else "all of which ") + source
        return f"Then {names}, {source}, {'is one' if len(ids) == 1 else 'are'} to watch. "

    def _without_list(self, state: DialogueState, text: str, found, prefs_before: Preferences) -> Reply | None:
        """A reply that shows no new list: the answer to a question about a film (the catalog's facts),
        a polite close when a plain "thanks!" changes nothing after a list, or a request for English
        when a message in another language changed nothing."""
        if found is not None:
            return Reply(found.text)
        p, was = state.preferences, prefs_before
        kept = [i for i in p.not_seen if i in p.liked and not (i in was.not_seen and i in was.liked) and i in self.catalog]
        if state.shown and policy.saved(text) and kept:  # "add it to my list": noted (liked, not seen), no new list
            return Reply(policy.saved_reply([self.catalog[i].label for i in kept]))
        named = state.turns[-1].items if state.turns and state.turns[-1].speaker == USER else []
        if state.shown and (policy.chose(text) or named and policy.chose_named(text)):  # "sounds good, I'll watch
            return Reply(policy.CHOSEN_REPLY)  # it", "ok I'll watch Coco": no new list
        untaken = replace(p, liked=[i for i in p.liked if i not in kept], not_seen=[i for i in p.not_seen if i not in kept])
        if state.shown and policy.closing(text) and kept and untaken == was:
            return Reply(policy.CHOSEN_REPLY)  # "perfect, thank you!" after "is it sad?" took that film: no new list
        if state.shown and policy.closing(text) and state.preferences == prefs_before:
            return Reply(policy.CLOSING_REPLY)
        if state.shown and policy.reaction(text) and state.preferences == prefs_before:
            return Reply(policy.REACTION_REPLY)
        if policy.asks_help(text) and state.preferences == prefs_before:  # "what can you do?"
            return Reply(policy.help_reply(len(self.catalog)))
        if policy.english_only(text) and state.preferences == prefs_before:
            return Reply(policy.ENGLISH_ONLY_REPLY)  # a list that ignored the message would look like an answer
        return None

    def recommendations(self, state: DialogueState, k: int | None = None) -> Iterator:
        """The recommender's answer for ``state`` (``k`` items, default ``self.k``), improving step by
        step when it can stream (the last one is final), else its single ``recommend`` result."""
        k = k or self.k
        stream = getattr(self.recommender, "stream", None)
        return stream(state, k=k) if callable(stream) else iter([self.recommender.recommend(state, k=k)])

    def _reply(self, rec, note: str, lead: str = "", k: int | None = None) -> Reply:
        k = k or self.k
        listed = [i for i in rec.item_ids if i in self.catalog][:k]  # never an out-of-catalog id
        items = one_entry_each(listed, self.catalog)
        text = rec.text or self._default_text(items)
        if items != listed:  # one bullet per listed film, in order: the dropped entry's goes
            lines = text.split("\n")
            bullets = [n for n, ln in enumerate(lines) if ln.startswith("- ")]
            gone = {bullets[n] for n, i in enumerate(listed) if i not in items} if len(bullets) == len(listed) else None
            text = "\n".join(ln for n, ln in enumerate(lines) if n not in gone) if gone else self._default_text(items)
        if 0 < len(listed) < k:  # a short list is not a bug: say that nothing else fits
            few = "Only this film fits" if len(items) == 1 else f"Only these {len(items)} films fit"
            note = f" {few} everything you asked for in this catalog; loosen a wish to see more." + note
        if note and "\n" in text:  # after a bulleted list the note is a paragraph of its own, not part of the last bullet
            note = "\n\n" + note.strip()
        return Reply(lead + text + note, items, {i: e for i, e in rec.explanations.items() if i in items})

    def feedback(self, state: DialogueState, item_id: str, kind: str) -> DialogueState:
        """Apply a UI feedback event (like / dislike / seen) to the preference state."""
        from convrec import preferences

        state = copy.deepcopy(state)
        state.feedback.append(Feedback(item_id, kind))
        state.preferences = preferences.apply_feedback(state.preferences, item_id, kind)
        return state

    def _notes(self, ambiguous: dict[str, list[str]], before: dict[str, list[str]], cut: bool) -> str:
        """Say which reading of an ambiguous title was taken, and that a long message was cut."""
        notes = []
        for mention, ids in ambiguous.items():
            if before.get(mention) == ids or len(ids) < 2 or not all(i in self.catalog for i in ids):
                continue
            labels = [self.catalog[i].label for i in ids]  # each label once: ReDial has two "Frozen (2010)"
            others = " or ".join([x for x in dict.fromkeys(labels[1:]) if x != labels[0]][:2])
            if not others:
                continue
            notes.append(f'By "{mention}" I took {self.catalog[ids[0]].label}; tell me if you meant {others}.')
        if cut:
            notes.append(f"(Your message was long, so I read the first {MAX_MESSAGE_CHARS:,} characters.)")
        return (" " + " ".join(notes)) if notes else ""

    def _default_text(self, items: list[str]) -> str:
        if not items:
            return "I couldn't find anything in the catalog that fits; could you loosen a constraint?"
        return "You might enjoy: " + "; ".join(self.catalog[i].label for i in items) + "."


def _unseen_shown(state: DialogueState, before: Preferences) -> list[str]:
    """Films shown earlier that the user now says they have not seen ("I haven't seen Infinity War actually", "seen
    all of his except Jackie Brown"): a list never repeats a film, so the reply points back at them."""
    p = state.preferences  # not one the user just picked ("the first one sounds great" likes it, not seen yet)
    return [i for i in p.not_seen if i not in before.not_seen and i in state.shown and i not in p.disliked
            and i not in p.liked]


def _unseen_named(state: DialogueState, before: Preferences) -> list[str]:
    """Films the user named as what they like and now say they have not seen ("something like Superbad" then "I
    haven't seen Superbad actually"): the film itself is one to watch (the reply had said nothing of it)."""
    p = state.preferences
    return [i for i in p.not_seen if i not in before.not_seen and i in before.liked and i not in state.shown
            and i not in p.disliked]


def _unknown_note(names: list[str], then: str) -> str:
    """'I couldn't find "A" or "B" in this catalog, ...': a name the user gave is never silently dropped."""
    if not names:
        return ""
    quoted = " or ".join(f'"{n}"' for n in names[:3])
    return f"I couldn't find {quoted} in this catalog{', ' + then if then else '.'} "

