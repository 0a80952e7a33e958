"""Loaders of the public datasets' catalogs: ReDial's movie list and MovieLens ml-latest-small.

``convrec.catalog`` holds the ``Item`` schema, the demo and file loaders and ``load_catalog``, the
one entry point for every source; this module reads the data directory (or downloads MovieLens).
"""
from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

from convrec.catalog import Catalog, CatalogError, Item, Person, _list, split_title


# ---------------------------------------------------------------- ReDial

def load_redial(data_dir: str | Path) -> Catalog:
    """ReDial's 6,924 movies (``movies_with_mentions.csv``) joined with ``redial_id2info.json``, and
    with TMDB keywords and languages as tags where the data directory has them (``convrec.tmdb``).

    ``nbMentions`` counts test dialogues too, so it is *not* used as popularity here:
    ``convrec.collab`` counts mentions in the training dialogues instead, and so does the
    catalog's ``fame`` (``training_mentions``), which the title linker reads.
    """
    root = Path(data_dir)
    movies = root / "redial" / "movies_with_mentions.csv"
    info_path = root / "overviews" / "redial_id2info.json"
    if not movies.exists():
        raise CatalogError(f"{movies}: not found (is the data directory right?)")
    info = json.loads(info_path.read_text(encoding="utf-8")) if info_path.exists() else {}
    items = []
    with movies.open(newline="", encoding="utf-8") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            if not row.get("movieId") or row.get("movieName") is None:
                raise CatalogError(f"{movies}:{n}: field 'movieId' or 'movieName' missing")
            title, year = split_title(row["movieName"])
            meta = info.get(row["movieId"], {})
            if meta.get("name"):  # the metadata name is cleaner and carries the year more often
                t2, y2 = split_title(meta["name"])
                title, year = t2 or title, year or y2
            people = [Person(p, "director") for p in meta.get("director", [])]
            people += [Person(p, "actor") for p in meta.get("star", [])]
            people += [Person(p, "writer") for p in meta.get("writer", [])]
            items.append(Item(
                id=row["movieId"], title=title, year=year,
                genres=[g.strip().title().replace("Sci-Fi", "Sci-Fi") for g in meta.get("genre", [])],
                people=people, description=meta.get("plot", "") or "",
                source_ids={"redial": row["movieId"], **({"imdb": meta["imdb_id"]} if meta.get("imdb_id") else {})},
            ))
    from convrec import tmdb, untitled

    untitled.name_untitled(items, root)

    by_id = {item.id: item for item in items}
    for item_id, tags in tmdb.tags_by_item(items, root).items():
        by_id[item_id].tags, by_id[item_id].tags_in_document = tags, False
    return Catalog(items, name="redial", fame=training_mentions(root), languages_complete=False)  # TMDB has ~40%


def training_mentions(data_dir: str | Path) -> dict[str, float]:
    """ReDial movie id -> its ``@id`` mentions in the TRAINING dialogues of ``data_dir`` (empty without them)."""
    from convrec.collab import training_dialogues_path  # collab imports this module: import here

    path = training_dialogues_path(data_dir)
    counts: Counter = Counter()
    if path is None:
        return {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                for msg in json.loads(line).get("messages", []):
                    counts.update(re.findall(r"@(\d+)", msg.get("text") or ""))
    return {k: float(v) for k, v in counts.items()}


# ---------------------------------------------------------------- MovieLens

def load_movielens(data_dir: str | Path | None = None) -> Catalog:
    """MovieLens ml-latest-small: movies, tags, links and rating counts (popularity).

    Without a data directory it is downloaded from GroupLens into ``CONVREC_HOME``.
    """
    if data_dir is not None and (Path(data_dir) / "movielens" / "ml-latest-small").is_dir():
        root = Path(data_dir) / "movielens" / "ml-latest-small"
    else:
        from convrec.download import movielens_small

        root = movielens_small()
    movies_csv = root / "movies.csv"
    if not movies_csv.exists():
        raise CatalogError(f"{movies_csv}: not found")
    tags: dict[str, Counter] = {}
    if (root / "tags.csv").exists():
        with (root / "tags.csv").open(newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                tags.setdefault(row["movieId"], Counter())[row["tag"].strip().lower()] += 1
    counts: Counter = Counter()
    if (root / "ratings.csv").exists():
        with (root / "ratings.csv").open(newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                counts[row["movieId"]] += 1
    links: dict[str, dict[str, str]] = {}
    if (root / "links.csv").exists():
        with (root / "links.csv").open(newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                ids = {}
                if row.get("imdbId"):
                    ids["imdb"] = "tt" + row["imdbId"].zfill(7)
                if row.get("tmdbId"):
                    ids["tmdb"] = row["tmdbId"]
                links[row["movieId"]] = ids
    items = []
    with movies_csv.open(newline="", encoding="utf-8") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            if not row.get("movieId") or not row.get("title"):
                raise CatalogError(f"{movies_csv}:{n}: field 'movieId' or 'title' missing")
            title, year = split_title(row["title"])
            genres = [g for g in _list(row.get("genres")) if g != "(no genres listed)"]
            items.append(Item(
                id=row["movieId"], title=title, year=year, genres=genres,
                tags=[t for t, _ in tags.get(row["movieId"], Counter()).most_common(20)],
                popularity=float(counts[row["movieId"]]),
                source_ids={"movielens": row["movieId"], **links.get(row["movieId"], {})},
            ))
    return Catalog(items, name="movielens", languages_complete=False)
