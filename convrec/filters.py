"""Hard filters of retrieval: which catalog rows a dialogue state allows, and which ids it has mentioned.

Seen, disliked (and by default liked) ids and every other entry of them are never returned, nor
titles already in the conversation; the year range, disliked genres, people, keywords, series and
avoided moods are honoured; a genre the latest message asks for keeps only its films while there
are enough of them, and otherwise its few films lead the list (``genre_request``).

    filters = Filters(catalog, RetrievalConfig())
    mask = filters.allowed(state)          # boolean over catalog rows
"""
from __future__ import annotations

import re

import numpy as np

from convrec import attributes, series, wants
from convrec.catalog import Catalog
from convrec.moods import HEAVY_TAGS, LESSER_KNOWN, MOOD_FILTERS
from convrec.retrieval_config import RetrievalConfig
from convrec.signals import norm_key
from convrec.state import SYSTEM, USER, DialogueState
from convrec.years import avoided_decade

KINDRED_GENRES = {"music": ("musical",), "musical": ("music",)}  # the nearest other genre, by norm_key


class Filters:
    """Row lookups over one catalog (by genre, person, tag, title) and the masks built from them."""

    def __init__(self, catalog: Catalog, config: RetrievalConfig):
        self.catalog = catalog
        self.config = config
        self.row = {item_id: n for n, item_id in enumerate(catalog.ids())}
        self._finder = None  # title-label finder for USER turns, made on first use
        self.years = np.array([it.year if it.year is not None else np.nan for it in catalog], dtype=np.float64)
        self._genre_rows = rows_by_key([[norm_key(g) for g in it.genres] for it in catalog])
        self._no_genre = np.array([not it.genres for it in catalog], dtype=bool)  # unknown is not a mismatch
        self._people_rows = rows_by_key([[norm_key(p.name) for p in it.people] for it in catalog])
        self._tag_rows = rows_by_key([[norm_key(t) for t in it.tags] for it in catalog])
        self.rows_by = {"person": self._people_rows, "keyword": self._tag_rows}  # for arrange.for_message
        names = attributes.index_for(catalog).genre_name  # the catalog's spellings (MovieLens: "Children")
        self._family, self._animation = names.get("Family"), self._kids_animation(names)
        # tag word -> the longer tags holding it: "not set in space" rules out "space opera" too (Star Wars had come)
        self._wider_tags: dict[str, set[str]] = {}
        for tag in {str(t).lower() for it in catalog for t in it.tags}:
            words = tag.split()
            for w in words if len(words) > 1 else ():
                self._wider_tags.setdefault(norm_key(w), set()).add(norm_key(tag))
        # films of one title share a key, with or without a leading article ("Hangover" (2010), a much less known
        # namesake of "The Hangover", had come after it)
        self._title_key = [norm_key(re.sub(r"(?i)^(?:the|a|an)\s+(?=\S)", "", it.title)) for it in catalog]
        self._title_rows = rows_by_key([[k] for k in self._title_key])
        self._renown = np.array([catalog.renown(i) for i in catalog.ids()], dtype=np.float64)
        known = self._renown[self._renown > 0]  # the best-known films, left out for "an underrated gem"
        top = np.quantile(known, 1.0 - config.lesser_known_top) if known.size and config.lesser_known_top > 0 else None
        self._best_known = self._renown >= top if top is not None else np.zeros(len(catalog), dtype=bool)

    def allowed(self, state: DialogueState) -> np.ndarray:
        """Boolean mask over the catalog: False for excluded ids and items breaking hard constraints."""
        return self.genre_request(state, self.constraints(state))[0]

    def _kids_animation(self, names: dict[str, str]) -> str | None:
        """The Animation genre where it stands in for Family: where most animated films are not labelled Family
        (ReDial keeps IMDb's first three genres: Coco and Moana are animation, adventure and comedy), not where
        Family says it (the demo's animated films without it are mostly anime for adults: Akira, Perfect Blue)."""
        family, animation = (norm_key(names[g]) if g in names else None for g in ("Family", "Animation"))
        rows = set(self._genre_rows.get(animation, ()))
        return names["Animation"] if rows and len(rows & set(self._genre_rows.get(family, ()))) < len(rows) / 2 else None

    def constraints(self, state: DialogueState) -> np.ndarray:
        """``allowed`` before the genres the latest message asks for."""
        p = state.preferences
        mask = np.ones(len(self.catalog), dtype=bool)
        banned = p.excluded() | (set(p.liked) if self.config.exclude_liked else set())
        banned |= {t for i in banned for t in self.catalog.twins(i)}  # another entry of a film is that film
        rows = [self.row[i] for i in banned if i in self.row]
        if self.config.exclude_mentioned:
            named = self.user_mentioned(state) - wants.unseen_of_liked(p, self.catalog)
            named |= {t for i in named for t in self.catalog.twins(i)}
            user = [self.row[i] for i in named if i in self.row]
            shown = {t for i in system_mentioned(state) for t in (i, *self.catalog.twins(i))}  # "Anchorman" shown:
            rows += user + [self.row[i] for i in shown if i in self.row]  # not "Anchorman: The Legend of ..." next
            if self.config.namesake_share > 0:
                rows += self._namesakes(user)
        mask[rows] = False
        known = ~np.isnan(self.years)
        if p.year_min is not None:
            mask &= (self.years >= p.year_min) | (~known & self.config.unknown_year_passes)
        if p.year_max is not None:
            mask &= (self.years <= p.year_max) | (~known & self.config.unknown_year_passes)
        for d in filter(None, map(avoided_decade, p.constraints)):  # "not from the 80s"
            mask &= ~((self.years >= d) & (self.years <= d + 9))
        if LESSER_KNOWN in p.moods:  # "an underrated gem": not the best-known films (on ReDial the learned signal
            # had listed It, The Exorcist and Get Out for "any underrated horror movies?")
            mask &= ~self._best_known
        for g in p.disliked_genres:
            mask[self._genre_rows.get(norm_key(g), [])] = False
            for tag in attributes.genre_tags(g, self.catalog):  # "no singing": Aladdin is tagged musical
                mask[self._tag_rows.get(norm_key(tag), [])] = False
        if self.config.exclude_disliked_people:
            for name in p.disliked_people:
                mask[self._people_rows.get(norm_key(name), [])] = False
        asked = series.requested(latest_user(state), self.catalog) if p.series or p.disliked else set()
        if self.config.exclude_series and p.series:  # unless the latest message asks for that series
            named = [s for s in p.series if series.series_key(s) not in asked]
            mask[[self.row[i] for i in series.members(named, self.catalog) if i in self.row]] = False
        if self.config.exclude_disliked_series and p.disliked:
            # a series asked for again comes back: "any mission impossible movies?" after "not mission impossible"
            wanted = set(series.members(sorted(asked), self.catalog))
            kin = [i for i in series.turned_down(p, self.catalog)
                   if i in self.row and series.series_key(self.catalog[i].title) not in asked and i not in wanted]
            mask[[self.row[i] for i in kin]] = False
        mask[self._refused_series(state, asked)] = False
        for tag in p.disliked_keywords:  # "no princesses", "not Disney"; "aliens" rules out "alien" (E.T. had come)
            one = norm_key(tag[:-1] if tag.endswith("s") and not tag.endswith("ss") else tag + "s")
            wider = self._wider_tags.get(norm_key(tag), set()) | self._wider_tags.get(one, set())
            for key in {norm_key(tag), one} | wider:
                mask[self._tag_rows.get(key, [])] = False
        for mood in attributes.avoided_moods(p.constraints):  # "funny but not silly": no film tagged slapstick
            for tag in attributes.mood_tags(mood):
                mask[self._tag_rows.get(norm_key(tag), [])] = False
        if set(p.moods) & set(MOOD_FILTERS):
            for tag in HEAVY_TAGS:
                mask[self._tag_rows.get(tag, [])] = False
        return mask

    def _refused_series(self, state: DialogueState, asked: set[str]) -> list[int]:
        """Rows of a series two or more of whose films were in a list the user turned down as a whole ("none of
        those" after Toy Story 2 and 3 had got Toy Story 4 first), but not a film the user liked, a series asked
        for again or a film of a person asked for now."""
        refused = [self.row[i] for i in wants.rejected_list(state) if i in self.row]
        if len(refused) < 2:
            return []
        fr = series.franchises(self.catalog)
        counts: dict[str, int] = {}
        for r in refused:
            counts[fr[r]] = counts.get(fr[r], 0) + 1
        keys = {k for k, n in counts.items() if n >= 2 and k not in asked}
        if not keys:
            return []
        liked = {self.row[i] for i in state.preferences.liked if i in self.row}
        # nor a film of a person the message asks for: "No, none of those. Ideally directed by Anthony Russo." after
        # two Marvel films had ruled out Avengers: Infinity War (the user simulator's target)
        liked |= {r for a in wants.asked_now(state, self.catalog) if a.kind == "person"
                  for r in self.rows_by["person"].get(norm_key(a.value), ())}
        return [r for r, k in enumerate(fr) if k in keys and r not in liked]

    def genre_request(self, state: DialogueState, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """(``mask`` kept to the genres the latest message asks for, rows to list first or None). Too few
        films of them to fill a candidate list (the demo catalog has 7 westerns): they lead instead of
        filtering, so "I want a western" after "my son is 12" is not outranked by family films."""
        asked, together = wants.genre_request(state, self.catalog) if self.config.liked_genre_filter > 0 else ([], [])
        if not asked:
            return mask, None
        wanted = self._no_genre.copy()
        for g in asked:
            wanted[self._genre_rows.get(norm_key(g), [])] = True
        if self._family in asked and self._animation:  # kids' films: ReDial lists Coco and Moana as animation and
            wanted[self._genre_rows.get(norm_key(self._animation), [])] = True  # comedy, not family
        both = self._all_genres(together)
        if both is not None and (mask & both).sum() >= self.config.all_genres_filter:
            return mask & both, None  # "a romantic comedy": comedies that are romances, while there are enough
        if (mask & wanted).sum() >= self.config.liked_genre_filter:
            return mask & wanted, None
        lead = both if both is not None and (mask & both).any() else wanted
        return mask, lead & ~self._no_genre  # films of no known genre do not lead

    def kindred(self, state: DialogueState) -> np.ndarray:
        """Rows of the genres nearest those the latest message asks for (``KINDRED_GENRES``), not avoided: they
        follow the asked genre's few films ("more movies about music" had gone on from its two music films to Pulp
        Fiction). A boost in the attribute signal instead had cost ReDial test dedup R@10 5 samples."""
        asked, _ = wants.genre_request(state, self.catalog)
        out = np.zeros(len(self.catalog), dtype=bool)
        avoided = {norm_key(g) for g in state.preferences.disliked_genres} | {norm_key(g) for g in asked}
        for g in asked:
            for k in KINDRED_GENRES.get(norm_key(g), ()):
                if k not in avoided:
                    out[self._genre_rows.get(k, [])] = True
        return out

    def _all_genres(self, together: list[str]) -> np.ndarray | None:
        """Rows of every genre in ``together`` (or of none: unknown is no mismatch); None for fewer than two."""
        if len(together) < 2:
            return None
        out = np.ones(len(self.catalog), dtype=bool)
        for g in together:
            has = np.zeros(len(self.catalog), dtype=bool)
            has[self._genre_rows.get(norm_key(g), [])] = True
            out &= has
        return out | self._no_genre

    def _namesakes(self, rows: list[int]) -> list[int]:
        """Other films of the titles at ``rows`` that are much less known than the one mentioned."""
        out = []
        for n in rows:
            if not self._title_key[n]:
                continue
            bar = self.config.namesake_share * max(self._renown[n], 1.0)
            out += [r for r in self._title_rows[self._title_key[n]] if self._renown[r] < bar]
        return out

    def mentioned(self, state: DialogueState) -> set[str]:
        """Ids already in the conversation: shown, in any turn's items or preference list, or named in a
        USER turn as an exact ``Title (Year)`` label (how the app and the harness render a title)."""
        return self.user_mentioned(state) | system_mentioned(state)

    def user_mentioned(self, state: DialogueState) -> set[str]:
        """The ids of ``mentioned`` that came from the user: preference lists, USER turns' items and labels.
        Namesakes are filtered for these only: a title the system showed was already the better-known
        film, and its namesake may be just what the user describes next ("none of those, from the 80s")."""
        p = state.preferences
        out = set(p.liked) | set(p.seen) | set(p.not_seen) | set(p.disliked)
        for t in state.turns:
            if t.speaker != USER:
                continue
            out.update(t.items)
            if "(" in t.text:
                if self._finder is None:
                    from convrec.learned import LabelFinder  # light: torch is imported only for models

                    self._finder = LabelFinder(self.catalog)
                out.update(self._finder.find(t.text))
        return out


def latest_user(state: DialogueState) -> str:
    return next((t.text for t in reversed(state.turns) if t.speaker == USER), "")


def system_mentioned(state: DialogueState) -> set[str]:
    """Ids the system showed or named (a SYSTEM turn's items); the user's are ``user_mentioned``."""
    return set(state.shown).union(*(t.items for t in state.turns if t.speaker == SYSTEM))


def rows_by_key(keys: list[list[str]]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for row, ks in enumerate(keys):
        for k in set(ks):
            out.setdefault(k, []).append(row)
    return out
