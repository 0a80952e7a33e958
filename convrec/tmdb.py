"""TMDB keywords and original languages as tags of the ReDial catalog.

ReDial's own metadata (``redial_id2info.json``) has genres, people and a plot but no themes, so a
ReDial chat could not find "a heist movie" or "something about time travel", and "like Oldboy, any
foreign films?" knew no foreign film. When the data directory holds the TMDB 5000 list
(``overviews/tmdb_5000_movies.csv``) its keywords become ``Item.tags`` of the films it covers (TMDB
has about 2,750 of ReDial's 6,924; 1,535 get a tag), joined by IMDb id through MovieLens'
``links.csv`` when present, else by title and year. A film not in English is also tagged with its
language and "foreign language" (the tags ``convrec.keywords`` reads for "a korean movie" and "not
in English"). The tags stay out of the embedded document (``Item.tags_in_document``): the shipped
learned retriever was trained without them, and a retraining with them measured no better.

Only keywords that say what a film is about are kept: themes people ask for by name (``THEMES``:
"I love comedies" is no wish for films tagged "love") that TMDB gives at least ``MIN_FILMS`` films.

    tags = tmdb.tags_by_item(catalog_items, data_dir)   # item id -> tags, {} without the file
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Iterable

TMDB_FILE = Path("overviews") / "tmdb_5000_movies.csv"
LINKS_FILE = Path("movielens") / "ml-latest-small" / "links.csv"
MIN_FILMS = 3  # a keyword on fewer of TMDB's films is too rare to match a wish or relate two films
MAX_TAGS = 20  # per film, in TMDB's order (a cap for a corrupt row: themes rarely pass 6 on one film)
FOREIGN = "foreign language"  # the same words as convrec.keywords.FOREIGN (tested)
# original_language codes -> the language tags convrec.keywords knows (keywords.LANGUAGES)
LANGUAGE_NAMES = {"ja": "japanese", "ko": "korean", "fr": "french", "it": "italian", "de": "german",
                  "sv": "swedish", "es": "spanish", "zh": "chinese", "cn": "chinese", "pt": "portuguese",
                  "fa": "persian", "hi": "hindi", "te": "telugu", "da": "danish", "ru": "russian",
                  "pl": "polish", "tr": "turkish"}
# the keywords kept: themes people ask for by name ("a heist movie", "anything with zombies?"). TMDB's 9,800
# keywords also hold production facts ("woman director", "duringcreditsstinger") and everyday words: on the
# ReDial training messages "time", "theater", "actor", "star", "true" and "friend" were the keywords matched
# most, none of them a wish ("I have seen that many times"). Not "halloween", "cowboy" or "gladiator": a tag that
# is also the title of several films makes the tagged films one franchise (convrec.series: Creepshow would have
# joined the Halloween films)
THEMES = frozenset({
    "time travel", "heist", "con artist", "zombie", "vampire", "werewolf", "alien", "alien invasion", "space travel",
    "outer space", "astronaut", "space opera", "superhero", "super powers", "dystopia", "post-apocalyptic",
    "apocalypse", "artificial intelligence", "robot", "android", "cyborg", "cyberpunk", "virtual reality", "clone",
    "dinosaur", "shark", "monster", "ghost", "haunted house", "demon", "exorcism", "demonic possession", "witch",
    "magic", "dragon", "fairy tale", "princess", "pirate", "treasure hunt", "knight", "sword and sorcery",
    "world war ii", "world war i", "vietnam war", "civil war", "cold war", "nazis", "military", "spy", "espionage",
    "secret agent", "cia", "fbi", "assassin", "hitman", "mafia", "gangster", "organized crime", "mobster",
    "serial killer", "slasher", "psychopath", "detective", "court case", "lawyer", "prison", "martial arts",
    "kung fu", "boxing", "baseball", "basketball", "american football", "soccer", "car race", "car chase",
    "road trip", "road movie", "survival", "disaster", "shipwreck", "submarine", "coming of age", "teen movie",
    "found footage", "mockumentary", "parody", "spoof", "satire", "buddy comedy", "talking animal",
    "toy comes to life", "christmas", "wedding", "las vegas", "casino", "gambling", "hacker",
    "conspiracy", "politics", "journalism", "lgbt", "racism", "slavery", "rock and roll", "hip-hop", "surrealism",
    "revenge", "kidnapping", "terrorism", "jungle", "anime", "stop motion", "video game", "twist ending",
    "female lead", "animal", "horse", "dog", "samurai", "ninja", "ancient rome",
    "greek mythology", "mythology", "hostage", "undercover", "dirty cop", "drug cartel", "musician", "chess",
    "cooking", "boarding school", "summer camp", "wilderness", "mountain climbing", "surfing", "skateboarding",
    "violent",  # the mood tag "not too gory" avoids (convrec.moods): Hostel had followed that wish
    "studio ghibli", "pixar", "dreamworks", "disney",  # studios, as the demo catalog calls them ("any anime besides
    # Studio Ghibli?" had listed Spirited Away, Ponyo and Howl's Moving Castle first on the ReDial catalog)
    "marvel", "dc comics",  # the demo catalog's words: "something not Marvel" had listed Spider-Man: Homecoming,
    # Guardians of the Galaxy, Ant-Man and Iron Man 3 on the ReDial catalog
})
# TMDB's other words for a theme (Ocean's Eleven and Inside Man are no "heist" without "caper" and "bank
# robbery"), and the demo catalog's words for two of them
RENAMED = {"caper": "heist", "bank robbery": "heist", "christmas eve": "christmas", "christmas party": "christmas",
           "terrorist": "terrorism", "alien life-form": "alien", "extraterrestrial": "alien", "zombie apocalypse": "zombie",
           "superhero team": "superhero", "surprise ending": "twist ending", "female protagonist": "female lead",
           "marvel comic": "marvel", "marvel cinematic universe": "marvel", "dc extended universe": "dc comics",
           **{w: "violent" for w in ("violence", "gore", "blood", "torture", "extreme violence", "blood splatter",
                                     "splatter", "brutality", "dismemberment", "decapitation",
                                     # Saw had come second after "not really into gore though": TMDB calls it
                                     # sadist and bludgeoning
                                     "sadist", "sadism", "sadistic", "mutilation", "bludgeoning", "chainsaw",
                                     "killing spree", "evisceration")}}


def _read_tmdb(path: Path) -> list[dict]:
    csv.field_size_limit(sys.maxsize)  # the keyword and cast columns are long JSON lists
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _imdb_to_tmdb(data_dir: Path) -> dict[str, str]:
    """IMDb id ("tt0068646") -> TMDB id, from MovieLens' links (empty without them)."""
    path = data_dir / LINKS_FILE
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as f:
        return {"tt" + r["imdbId"].zfill(7): r["tmdbId"] for r in csv.DictReader(f) if r.get("imdbId") and r.get("tmdbId")}


def _keywords(row: dict) -> list[str]:
    """A TMDB row's keywords, lower-cased and renamed; none for a malformed cell (it costs that film its tags,
    not the catalog)."""
    try:
        names = [" ".join(str(k["name"]).lower().split()) for k in json.loads(row.get("keywords") or "[]")]
    except (ValueError, TypeError, KeyError):
        return []
    return [RENAMED.get(name, name) for name in names]


# the studios whose name is a wish ("nothing from Marvel"): TMDB files some of their films under the studio only
STUDIOS = {"marvel studios": "marvel", "marvel enterprises": "marvel", "marvel entertainment": "marvel",
           "marvel knights": "marvel", "dc comics": "dc comics", "dc entertainment": "dc comics",
           "studio ghibli": "studio ghibli", "pixar animation studios": "pixar", "dreamworks animation": "dreamworks",
           "walt disney animation studios": "disney"}


def _studios(row: dict) -> list[str]:
    try:
        names = [" ".join(str(c["name"]).lower().split()) for c in json.loads(row.get("production_companies") or "[]")]
    except (ValueError, TypeError, KeyError):
        return []
    return [STUDIOS[n] for n in names if n in STUDIOS]


def film_tags(row: dict, usable: set[str]) -> list[str]:
    """One TMDB row's tags: its usable keywords and studios, then its language and "foreign language" if not
    English."""
    tags = list(dict.fromkeys(w for w in _keywords(row) + _studios(row) if w in usable))[:MAX_TAGS]
    lang = (row.get("original_language") or "en").strip()
    if lang not in ("en", "xx", ""):
        tags += [LANGUAGE_NAMES[lang]] if lang in LANGUAGE_NAMES else []
        tags.append(FOREIGN)
    return tags


def spread_studios(items: list, tags: dict[str, list[str]]) -> dict[str, list[str]]:
    """``tags`` with a studio tag also on the films of the same series: TMDB 5000 ends in 2017, so Spider-Man:
    Homecoming and Thor: Ragnarok had no "marvel" while Spider-Man and Thor had it."""
    from convrec.series import series_key  # series imports the catalog, which imports this module

    studios = set(STUDIOS.values())
    by_key: dict[str, set[str]] = {}
    for item in items:
        by_key.setdefault(series_key(item.title), set()).update(set(tags.get(item.id, ())) & studios)
    out = dict(tags)
    for item in items:
        extra = sorted(by_key.get(series_key(item.title), set()) - set(out.get(item.id, ())))
        if extra:
            out[item.id] = list(out.get(item.id, [])) + extra
    return out


def usable_keywords(rows: Iterable[dict]) -> set[str]:
    """``THEMES`` on at least ``MIN_FILMS`` films."""
    counts: dict[str, int] = {}
    for row in rows:
        for name in set(_keywords(row) + _studios(row)):
            counts[name] = counts.get(name, 0) + 1
    return {k for k, n in counts.items() if n >= MIN_FILMS and k in THEMES}


def tags_by_item(items: Iterable, data_dir: str | Path) -> dict[str, list[str]]:
    """Item id -> TMDB tags for the items (with ``source_ids["imdb"]``, ``title``, ``year``) TMDB covers."""
    root = Path(data_dir)
    if not (root / TMDB_FILE).exists():
        return {}
    rows = _read_tmdb(root / TMDB_FILE)
    usable = usable_keywords(rows)
    by_id = {r.get("id", ""): r for r in rows}
    by_title: dict[tuple[str, str], dict] = {}
    for r in rows:
        by_title.setdefault((r.get("title", "").lower(), (r.get("release_date") or "")[:4]), r)
    tmdb_of = _imdb_to_tmdb(root)
    out: dict[str, list[str]] = {}
    for item in items:
        row = by_id.get(tmdb_of.get(item.source_ids.get("imdb", ""), ""))
        if row is None:
            row = by_title.get((item.title.lower(), str(item.year or "")))
        tags = film_tags(row, usable) if row else []
        if tags:
            out[item.id] = tags
    return spread_studios(list(items), out)
