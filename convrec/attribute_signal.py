"""The attribute signal: how well each item matches the stated genres, people, keywords and moods.

One of the retrieval signals of ``convrec.signals`` (same protocol: ``scores(query)`` and
``explain(query, row)``); its reasons say which stated preference a film matches ("stars Ryan
Reynolds", "matches genre Comedy", "tagged feel-good", "comedy, for something lighter").
"""
from __future__ import annotations

import numpy as np

from convrec.attributes import MOOD_GENRES
from convrec.catalog import Catalog
from convrec.moods import mood_tags
from convrec.signals import MATCHES_GENRE, Query, Incidence, incidence, norm_key

MOOD_GENRES_TOGETHER = frozenset({"date-night"})  # moods whose genres count more together: a romantic comedy
# for a date night ("a good comedy for date night" had got The Hangover and Dumb and Dumber), any one of them for
# "something lighter" (a comedy is light enough without being a family animation too)


class AttributeSignal:
    """Matches with the stated genres, people, mood words and keywords (in genres or tags), and the genres that
    suit a stated mood (``attributes.MOOD_GENRES``)."""

    name = "attribute"
    default_weight = 0.7
    normalize = "max"

    def __init__(self, catalog: Catalog, mood_weight: float = 0.5):
        self.catalog = catalog
        self.genres = incidence([[norm_key(g) for g in it.genres] for it in catalog])
        self.people = incidence([[norm_key(p.name) for p in it.people] for it in catalog])
        self.words = incidence([[norm_key(w) for w in it.genres + it.tags] for it in catalog])
        self.mood_weight = mood_weight  # per stated mood, for an item with any genre that suits it

    def _cols(self, inc: "Incidence", names: list[str]) -> list[int]:
        return [inc.vocab[k] for k in (norm_key(n) for n in names) if k in inc.vocab]

    def scores(self, query: Query) -> np.ndarray | None:
        p = query.state.preferences
        total = np.zeros(len(self.catalog), np.float32)
        for inc, names, w in ((self.genres, p.liked_genres, 1.0), (self.people, p.liked_people, 1.0),
                              (self.words, p.liked_keywords, 1.0)):
            cols = self._cols(inc, names)
            if cols:
                total += w * np.asarray(inc.matrix[:, cols].sum(axis=1)).ravel() / len(cols)
        for mood in p.moods:  # a tag that carries the mood: "to cry to" had ranked There Will Be Blood (a drama, as
            cols = self._cols(self.words, list(mood_tags(mood)))  # sad suits) above The Notebook (tearjerker)
            if cols:
                total += 0.5 * (np.asarray(self.words.matrix[:, cols].sum(axis=1)).ravel() > 0) / len(p.moods)
        for mood in p.moods:
            cols = self._cols(self.genres, list(MOOD_GENRES.get(mood, ())))
            if cols and self.mood_weight:
                hits = np.asarray(self.genres.matrix[:, cols].sum(axis=1)).ravel()
                total += self.mood_weight * (hits / len(cols) if mood in MOOD_GENRES_TOGETHER else hits > 0)
        return total if total.any() else None

    def explain(self, query: Query, row: int) -> list[str]:
        p, item = query.state.preferences, self.catalog.items[row]
        # a person before the genres: "stars Ryan Reynolds" says more than "matches genre Comedy", and with three
        # reasons shown, Definitely, Maybe had not said he is in it after "something with Ryan Reynolds"
        liked_p = {norm_key(n) for n in p.liked_people}
        verbs = {"director": "directed by", "actor": "stars", "writer": "written by"}
        out = [f"{verbs.get(x.role, 'with')} {x.name}" for x in item.people if norm_key(x.name) in liked_p]
        for x in item.people:  # one reason, not "directed by Woody Allen; ...; written by Woody Allen"
            if f"directed by {x.name}" in out and f"written by {x.name}" in out:
                out.remove(f"written by {x.name}")
                out[out.index(f"directed by {x.name}")] = f"written and directed by {x.name}"
        liked_g = {norm_key(g) for g in p.liked_genres}
        out += [MATCHES_GENRE + g for g in item.genres if norm_key(g) in liked_g]
        moods = {norm_key(m) for m in p.liked_keywords} | {norm_key(t) for m in p.moods for t in mood_tags(m)}
        out += [f"tagged {t}" for t in item.tags if norm_key(t) in moods]
        tagged = {norm_key(t) for t in item.tags}
        for mood in p.moods:
            suits = [g for g in item.genres if g in MOOD_GENRES.get(mood, ())]
            if suits and self.mood_weight and not tagged & {norm_key(t) for t in mood_tags(mood)}:  # "tagged
                # feel-good" or "tagged tearjerker" said it already
                out.append(f"{suits[0].lower()}, for " + ("a date night" if mood == "date-night" else f"something {mood}"))
        return out
