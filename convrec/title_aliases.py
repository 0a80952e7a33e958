"""Short names of well-known titles, from their first words: "loved shawshank", "ferris bueller is a classic".

People shorten long titles to their head: one word that is no English word ("shawshank" for The Shawshank
Redemption) or two words that name no other film ("ferris bueller", "silver linings", "dead poets"), or to a last
word that is no English word and in no other title ("totoro" for My Neighbor Totoro). Used by
``convrec.titles.TitleIndex`` as alias keys (tier 1), which still need the cues every title needs.

    head_aliases(catalog, index.keys, index.popular_min)   # {"shawshank": "...", "ferris bueller": "...", ...}
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from convrec.catalog import Catalog, Item
from convrec.title_words import ARTICLES, COMMON, FUNCTION, word_ranks

MIN_HEAD_CHARS = 5  # a one-word head shorter than this is too likely a word or a name typed for itself
PAIR_COMMON_RANK = 300  # neither word of a two-word head among the 300 most frequent English words ("air force",
# "few good", "two weeks", "world war" are everyday phrases)
PAIR_RARE_RANK = 5000  # and one of them rarer than this ("ferris", "linings", "poets"; "lock stock" and "little
# miss" stay out: both words too common to be sure)
SMALL_CATALOG = 1000  # in a catalog this small (the demo's 388 well-known films) a last word needs a film of the
# better-known half only: Totoro (popularity 60) is well known, while on ReDial the half would name "Jiro Dreams of
# Sushi" by "sushi" and "Eddie Murphy Delirious" by "delirious"
NOT_PAIR_WORDS = frozenset({"vs"})  # "alien vs aliens" is no Alien vs. Predator


def head_aliases(catalog: Catalog, keys: dict, popular_min: float) -> dict[str, str]:
    """Alias key -> item id for the well-known films whose first word, or first two words, or rare last word,
    belong to no other title. Empty without the English vocabulary (``word_ranks``), as then every word could be a name."""
    from convrec.titles import key_of  # titles imports this module

    ranks = word_ranks()
    if not ranks:
        return {}
    names = {p.name.lower() for item in catalog for p in item.people}
    first_names = {w for name in names for w in name.split()}
    heads: dict[str, set[str]] = defaultdict(set)
    pairs: dict[str, set[str]] = defaultdict(set)
    tails: dict[str, set[str]] = defaultdict(set)  # "totoro" for My Neighbor Totoro: the last word, if no other
    in_titles: Counter = Counter()  # title holds it ("I've seen Spirited Away and Totoro" had said it was missing)
    for item in catalog:
        raw, words = _words(item)
        in_titles.update(set(words))
        if len(words) >= 2 and len(words[-1]) >= MIN_HEAD_CHARS and words[-1].isalpha() and raw[-1].isalpha():
            tails[words[-1]].add(item.id)
        # no "theres" (There's Something About Mary) or "todays": a contraction typed without its apostrophe
        if len(words) >= 2 and len(words[0]) >= MIN_HEAD_CHARS and words[0].isalpha() and "'" not in raw[0] + "’":
            heads[words[0]].add(item.id)
        if len(words) >= 3 and len(raw) >= 3 and _pair_words(words[:2], ranks) and not re.search(r"['’]", raw[0]) \
                and key_of(" ".join(raw[:2])) == " ".join(words[:2]):  # the two words as written ("Face/Off/X" no)
            pairs[" ".join(words[:2])].add(item.id)
            if re.search(r"['’]s$", raw[1]):  # "Ferris Bueller's Day Off" is "ferris bueller" too
                pairs[f"{words[0]} {words[1][:-1]}"].add(item.id)
    heads = {h: ids for h, ids in heads.items() if len(ids) == 1 and h not in ranks and h not in first_names and
             h not in COMMON and h not in keys}
    pairs = {p: ids for p, ids in pairs.items() if len(ids) == 1 and p not in keys and p not in names}
    surnames = {w for name in names for w in name.split()[1:]}
    tails = {t: ids for t, ids in tails.items() if len(ids) == 1 and in_titles[t] == 1 and not _word(t, ranks) and
             t not in first_names and t not in surnames and t not in COMMON and t not in keys and t not in heads}
    heads = {**heads, **tails}
    described = Counter(w for item in catalog for w in set(re.findall(r"[a-z]+", item.description.lower()))
                        if w in heads)
    described.update(p for item in catalog for p in pairs if p in item.description.lower())
    known = sorted(catalog.renown(item.id) for item in catalog)
    median = known[len(known) // 2] if known else 0.0
    out = {}
    for head, ids in {**heads, **pairs}.items():  # a well-known film ("pixar" is no The Pixar Story), and words no
        item_id = next(iter(ids))  # other film's description uses ("a movie about an exorcism" is a topic)
        least = median if (head in tails or head in pairs) and len(catalog) <= SMALL_CATALOG else popular_min  # ("I've
        # seen Grand Budapest" had named nothing on the demo: a pair of words is as sure as a rare last word)
        if catalog.renown(item_id) >= max(least, 1e-9) and described[head] <= 1:
            out[head] = item_id
    return out


def _word(w: str, ranks: dict[str, int]) -> bool:
    """An English word or a plain form of one ("lambs", "saddles", "unchained": the vocabulary holds "lamb",
    "saddle", "chained"): no title of its own said alone."""
    forms = {w, w[:-1] if w.endswith("s") else "", w[:-2] if w.endswith(("es", "ed")) else "",
             w[:-1] if w.endswith("ed") else "", w[:-3] if w.endswith("ers") else ""}
    forms |= {f[2:] for f in forms if f.startswith("un")}
    return any(len(f) >= 3 and f in ranks for f in forms)


def _words(item: Item) -> tuple[list[str], list[str]]:
    """The title's words without a leading article: as written, and as title keys."""
    from convrec.titles import key_of  # titles imports this module

    raw = item.title.split()
    raw = raw[1:] if raw and raw[0].lower() in ARTICLES else raw
    return raw, key_of(" ".join(raw)).split()


def _pair_words(words: list[str], ranks: dict[str, int]) -> bool:
    """Two words that can head a title: no function words, not both common ("lock stock"), neither everyday."""
    if any(not w.isalpha() or len(w) < 3 or w in FUNCTION or w in ARTICLES or w in NOT_PAIR_WORDS for w in words):
        return False
    r = [ranks.get(w, 10 ** 6) for w in words]
    return min(r) >= PAIR_COMMON_RANK and max(r) > PAIR_RARE_RANK
