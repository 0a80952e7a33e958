"""The catalog: one ``Item`` schema and loaders for every source.

Sources:
  * ``demo``      the embedded demo catalog we wrote ourselves (``catalog/demo_movies.jsonl``)
  * ``redial``    ReDial's movie list joined with its metadata (6,924 items)
  * ``movielens`` MovieLens ml-latest-small (9,742 items; downloaded when online and no data dir)
  * ``file``      a user's own catalog as JSONL or CSV, any domain

Run:  python -m convrec.catalog build --source demo
      python -m convrec.catalog build --source redial --data-dir ../shared/data
"""
from __future__ import annotations

import csv
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from convrec import config

DEMO_PATH = config.REPO_ROOT / "catalog" / "demo_movies.jsonl"
SOURCES = ("demo", "redial", "movielens", "file")


class CatalogError(ValueError):
    """A catalog file that cannot be read; the message names file, line and field."""


@dataclass(frozen=True)
class Person:
    name: str
    role: str  # "director", "actor", "writer", ... free text for other domains


@dataclass
class Item:
    id: str  # stable catalog id (ReDial movieId, MovieLens movieId, a slug...)
    title: str  # display title without the year
    year: int | None = None
    genres: list[str] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    description: str = ""
    tags: list[str] = field(default_factory=list)
    popularity: float = 0.0  # larger = better known; only a prior
    source_ids: dict[str, str] = field(default_factory=dict)  # e.g. {"imdb": "tt0068646"}
    # False for tags added after a learned retriever was trained on the documents (ReDial's TMDB themes): the
    # tags still serve keywords, tag overlap and the query, and the embedded text stays what it was trained on
    tags_in_document: bool = True

    @property
    def label(self) -> str:
        """``Title (Year)``: how an item is shown and rendered into dialogue text."""
        return f"{self.title} ({self.year})" if self.year else self.title

    def names(self, role: str) -> list[str]:
        return [p.name for p in self.people if p.role == role]

    def document(self) -> str:
        """The text embedded in the index: everything a query may match."""
        parts = [self.label]
        if self.genres:
            parts.append("Genres: " + ", ".join(self.genres))
        for role, head in (("director", "Director"), ("actor", "Starring")):
            if self.names(role):
                parts.append(f"{head}: " + ", ".join(self.names(role)))
        if self.tags and self.tags_in_document:
            parts.append("Tags: " + ", ".join(self.tags[:15]))
        if self.description:
            parts.append(self.description)
        return ". ".join(parts)

    def likeness_text(self) -> str:
        """The document without the title: what makes two films alike. With it MiniLM put Inside Out 2 and
        Knives Out nearest Get Out, and Amélie near The Matrix ("" when the title is all there is)."""
        return self.document()[len(self.label):].lstrip(". ")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Item":
        people = [p if isinstance(p, Person) else Person(**p) for p in d.get("people", [])]
        return cls(**{**d, "people": people})


class Catalog:
    """An ordered, id-indexed collection of items with a name saying where it came from."""

    def __init__(self, items: Iterable[Item], name: str = "custom", fame: dict[str, float] | None = None,
                 languages_complete: bool = True):
        self.items: list[Item] = list(items)
        self.name = name
        # how well known each item is, for telling namesakes apart in the title linker only ("The Notebook"
        # is the 2004 film, not the 2013 one); unlike Item.popularity, retrieval never reads it
        self.fame: dict[str, float] = dict(fame or {})
        # False where only some films carry their language (ReDial's TMDB tags, MovieLens' user tags): a film
        # without a language tag is then of unknown language, not English (convrec.film_facts)
        self.languages_complete = languages_complete
        self.by_id: dict[str, Item] = {}
        self._twins: dict[str, list[str]] | None = None  # built on first use (``twins``)
        for item in self.items:
            if item.id in self.by_id:
                raise CatalogError(f"{name}: duplicate id {item.id!r}")
            self.by_id[item.id] = item

    def __len__(self) -> int:
        return len(self.items)

    def renown(self, item_id: str) -> float:
        """The item's popularity, else its ``fame``: the linker's tie-break between films of one title."""
        return self.by_id[item_id].popularity or self.fame.get(item_id, 0.0)

    def same_film(self, a: str, b: str) -> bool:
        """Two entries of one film: ReDial lists 192 films twice ("The Matrix (1999)" and "The Matrix"),
        same IMDb id, or the same title where one entry has no year. Asking "did you mean The Matrix?" after
        taking The Matrix (1999) would be a question with no choice in it."""
        x, y = self.by_id.get(a), self.by_id.get(b)
        if x is None or y is None or a == b:
            return a == b
        if b in self.twins(a):  # one IMDb id
            return True
        return (x.year is None or y.year is None) and x.title.strip().lower() == y.title.strip().lower()

    def twins(self, item_id: str) -> list[str]:
        """The other entries of the same film by IMDb id ("Anchorman" and "Anchorman: The Legend of Ron
        Burgundy (2004)" in ReDial): the user who named one has named both."""
        if self._twins is None:
            by_imdb: dict[str, list[str]] = {}
            for item in self.items:
                if item.source_ids.get("imdb"):
                    by_imdb.setdefault(item.source_ids["imdb"], []).append(item.id)
            self._twins = {i: [j for j in ids if j != i] for ids in by_imdb.values() if len(ids) > 1 for i in ids}
        return self._twins.get(item_id, [])

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self.by_id

    def get(self, item_id: str) -> Item | None:
        return self.by_id.get(item_id)

    def __getitem__(self, item_id: str) -> Item:
        return self.by_id[item_id]

    def ids(self) -> list[str]:
        return [i.id for i in self.items]

    def genres(self) -> list[str]:
        """Every genre in the catalog, most common first."""
        counts = Counter(g for i in self.items for g in i.genres)
        return [g for g, _ in counts.most_common()]

    def content_hash(self) -> str:
        """Hash of every item's content: an unchanged catalog is not re-embedded."""
        import hashlib

        h = hashlib.sha256()
        for item in self.items:
            h.update(json.dumps(item.to_dict(), sort_keys=True, ensure_ascii=False).encode())
        return h.hexdigest()[:16]


# ---------------------------------------------------------------- title parsing

_YEAR_RE = re.compile(r"\s*\((\d{4})\)\s*$")
_ARTICLE_RE = re.compile(r"^(.*), (The|A|An|Les|La|Le|L'|Il|El|Das|Die|Der)$")


def split_title(raw: str) -> tuple[str, int | None]:
    """``"Matrix, The (1999)"`` -> ``("The Matrix", 1999)``; tolerates double spaces."""
    raw = " ".join(raw.split())
    year = None
    m = _YEAR_RE.search(raw)
    if m:
        year, raw = int(m.group(1)), raw[: m.start()].strip()
    m = _ARTICLE_RE.match(raw)
    if m:
        sep = "" if m.group(2).endswith("'") else " "
        raw = f"{m.group(2)}{sep}{m.group(1)}"
    return raw, year


# ---------------------------------------------------------------- user files

def _field(row: dict, name: str, where: str, kind=str, required: bool = False):
    value = row.get(name)
    if value in (None, ""):
        if required:
            raise CatalogError(f"{where}: field {name!r} is missing or empty")
        return None
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise CatalogError(f"{where}: field {name!r} has bad value {value!r}") from None


def _list(value, sep: str = "|") -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(sep) if v.strip()]


def item_from_row(row: dict, where: str) -> Item:
    """Validate one user row (JSON object or CSV row) into an Item."""
    if not isinstance(row, dict):
        raise CatalogError(f"{where}: expected an object, got {type(row).__name__}")
    item_id = _field(row, "id", where, required=True)
    title = _field(row, "title", where, required=True)
    year = _field(row, "year", where, kind=lambda v: int(float(v)))
    if year is not None and not 1800 <= year <= 2100:
        raise CatalogError(f"{where}: field 'year' out of range: {year}")
    people_raw = row.get("people") or []
    people: list[Person] = []
    if isinstance(people_raw, str):  # CSV: "director:Name|actor:Name"
        people_raw = [dict(zip(("role", "name"), p.split(":", 1))) for p in _list(people_raw) if ":" in p]
    for j, p in enumerate(people_raw):
        if not isinstance(p, dict) or not p.get("name"):
            raise CatalogError(f"{where}: field 'people[{j}]' needs a 'name'")
        people.append(Person(name=str(p["name"]), role=str(p.get("role", "person"))))
    for role in ("director", "actor"):  # CSV convenience columns
        people += [Person(n, role) for n in _list(row.get(role + "s") or row.get(role))]
    return Item(
        id=str(item_id), title=str(title), year=year, genres=_list(row.get("genres")), people=people,
        description=str(row.get("description") or ""), tags=_list(row.get("tags")),
        popularity=_field(row, "popularity", where, kind=float) or 0.0,
        source_ids={k: str(v) for k, v in (row.get("source_ids") or {}).items()} if isinstance(row.get("source_ids"), dict) else {},
    )


def load_file(path: str | Path, name: str | None = None) -> Catalog:
    """A user's catalog as JSONL (one object a line) or CSV (header row). Errors name file:line."""
    path = Path(path)
    if not path.exists():
        raise CatalogError(f"{path}: catalog file not found")
    items = []
    try:
        if path.suffix.lower() == ".csv":
            with path.open(newline="", encoding="utf-8") as f:
                for n, row in enumerate(csv.DictReader(f), start=2):  # line 1 is the header
                    items.append(item_from_row(row, f"{path}:{n}"))
        else:
            with path.open(encoding="utf-8") as f:
                for n, line in enumerate(f, start=1):
                    if not line.strip():
                        continue
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError as e:
                        raise CatalogError(f"{path}:{n}: not valid JSON ({e.msg})") from None
                    items.append(item_from_row(row, f"{path}:{n}"))
    except UnicodeDecodeError as e:
        raise CatalogError(f"{path}: not UTF-8 text ({e.reason})") from None
    if not items:
        raise CatalogError(f"{path}: no items")
    return Catalog(items, name=name or path.name)


def load_demo() -> Catalog:
    """The embedded demo catalog (well-known films; descriptions written for this project)."""
    return load_file(DEMO_PATH, name="demo")


def load_catalog(source: str = "demo", data_dir: str | Path | None = None, path: str | Path | None = None) -> Catalog:
    """One entry point for every source; ``data_dir`` falls back to ``CONVREC_DATA_DIR``."""
    if source == "demo":
        return load_demo()
    if source == "file":
        if not path:
            raise CatalogError("--source file needs --path FILE")
        return load_file(path)
    from convrec.catalog_sources import load_movielens, load_redial  # they import this module

    if source == "redial":
        return load_redial(config.data_dir(data_dir, required=True))
    if source == "movielens":
        return load_movielens(config.data_dir(data_dir))
    raise CatalogError(f"unknown catalog source {source!r}; choose one of {', '.join(SOURCES)}")


def main(argv: list[str] | None = None) -> int:
    from convrec.index import main as index_main

    return index_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
