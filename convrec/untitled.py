"""Titles for the ReDial movies that have none.

ReDial's own files lost the title of a few movies: ``movies_with_mentions.csv`` and ``redial_id2info.json``
call Vicky Cristina Barcelona " (2007)" and Gaspar Noé's Love " (2015)". ``convrec.catalog_sources.load_redial``
calls ``name_untitled`` on its items, which finds the MovieLens title by IMDb id when the data directory
has MovieLens' ``links.csv``, and otherwise names the movie by its id, so no list shows an empty title.

    name_untitled(items, data_dir)   # items whose title has no letter or digit get one
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

from convrec.catalog import Item, split_title

MOVIELENS = Path("movielens") / "ml-latest-small"


def name_untitled(items: list[Item], root: str | Path) -> None:
    """Give a title to the items whose title has no letter or digit (in place): the MovieLens title of their
    IMDb id, else "ReDial movie ID". A title ReDial has is kept: its IMDb ids are wrong often enough (its
    Heat (1996) points to Poison Ivy II) that MovieLens cannot overrule it."""
    untitled = [item for item in items if not any(ch.isalnum() for ch in item.title)]
    if not untitled:
        return
    titles = _movielens_titles(Path(root) / MOVIELENS)
    for item in untitled:
        found = titles.get(item.source_ids.get("imdb", ""))
        if found:
            item.title, item.year = found[0], found[1] or item.year
        else:
            item.title = f"ReDial movie {item.id}"


def _movielens_titles(root: Path) -> dict[str, tuple[str, int | None]]:
    """IMDb id -> MovieLens (title, year), the alternative title in brackets dropped ({} without the files)."""
    if not (root / "links.csv").exists() or not (root / "movies.csv").exists():
        return {}
    with (root / "links.csv").open(newline="", encoding="utf-8") as f:
        imdb = {r["movieId"]: "tt" + r["imdbId"].zfill(7) for r in csv.DictReader(f) if r.get("imdbId")}
    out = {}
    with (root / "movies.csv").open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r.get("movieId") in imdb and r.get("title"):
                title, year = split_title(r["title"])
                out[imdb[r["movieId"]]] = (split_title(re.sub(r"\s*\([^()]*\)$", "", title))[0] or title, year)
    return out
