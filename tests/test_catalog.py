"""Catalog loaders: the real ReDial and MovieLens data, user files with bad rows, title parsing."""
from __future__ import annotations

import json

import pytest

from convrec.catalog import DEMO_PATH, Catalog, CatalogError, Item, load_catalog, load_demo, load_file, split_title
from convrec.catalog_sources import load_movielens, load_redial


@pytest.mark.parametrize("raw, expected", [
    ("Matrix, The (1999)", ("The Matrix", 1999)),
    ("Headhunter  (2009)", ("Headhunter", 2009)),
    ("The Godfather ", ("The Godfather", None)),
    ("Misérables, Les (1995)", ("Les Misérables", 1995)),
    ("Ennemi, L' (2000)", ("L'Ennemi", 2000)),
    ("2001: A Space Odyssey (1968)", ("2001: A Space Odyssey", 1968)),
    ("Blade Runner 2049", ("Blade Runner 2049", None)),
    ("Ocean's Eleven (a.k.a. Ocean's 11) (1960)", ("Ocean's Eleven (a.k.a. Ocean's 11)", 1960)),
])
def test_split_title(raw, expected):
    assert split_title(raw) == expected


def test_load_redial_real(data_dir):
    catalog = load_redial(data_dir)
    assert len(catalog) == 6924 and catalog.name == "redial"
    godfather = catalog["114851"]
    assert godfather.title == "The Godfather" and godfather.genres == ["Crime", "Drama"]
    assert "Francis Ford Coppola" in godfather.names("director") and "Al Pacino" in godfather.names("actor")
    assert godfather.source_ids == {"redial": "114851", "imdb": "tt0068646"}
    assert "crime dynasty" in godfather.description
    assert all(i.popularity == 0.0 for i in catalog)  # nbMentions counts test dialogues: never used
    assert sum(1 for i in catalog if i.source_ids.get("imdb")) == 6583
    assert catalog["75796"].label == "Headhunter (2009)"


def test_load_movielens_real(data_dir):
    catalog = load_movielens(data_dir)
    assert len(catalog) == 9742
    toy = catalog["1"]
    assert toy.label == "Toy Story (1995)" and "Animation" in toy.genres
    assert toy.source_ids["imdb"] == "tt0114709" and toy.popularity == 215 and "pixar" in toy.tags
    assert catalog["2571"].title == "The Matrix"
    assert not any("(no genres listed)" in i.genres for i in catalog)


def test_load_catalog_sources(data_dir):
    assert len(load_catalog("redial", data_dir=data_dir)) == 6924
    with pytest.raises(CatalogError, match="unknown catalog source"):
        load_catalog("imdb")
    with pytest.raises(CatalogError, match="--path"):
        load_catalog("file")


def test_demo_catalog():
    if not DEMO_PATH.exists():
        pytest.skip("catalog/demo_movies.jsonl not written yet")
    demo = load_demo()
    assert len(demo) >= 300 and demo.name == "demo"
    assert all(i.title and i.year and i.genres and i.description for i in demo)


def test_jsonl_user_catalog(tmp_path):
    path = tmp_path / "books.jsonl"
    rows = [{"id": "b1", "title": "Dune", "year": 1965, "genres": ["SF"], "people": [{"name": "Frank Herbert",
             "role": "author"}], "tags": ["desert"], "popularity": 9, "source_ids": {"isbn": 441013597}},
            {"id": "b2", "title": "Emma", "genres": "Romance|Classic"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    cat = load_file(path)
    assert cat.ids() == ["b1", "b2"] and cat.name == "books.jsonl"
    assert cat["b1"].names("author") == ["Frank Herbert"] and cat["b1"].source_ids == {"isbn": "441013597"}
    assert cat["b2"].genres == ["Romance", "Classic"] and cat["b2"].year is None


def test_csv_user_catalog(tmp_path):
    path = tmp_path / "films.csv"
    path.write_text("id,title,year,genres,directors,actors,description\n"
                    "f1,Heat,1995,Crime|Drama,Michael Mann,Al Pacino|Robert De Niro,Cops and robbers\n"
                    "f2,Up,2009.0,Animation,,,\n")
    cat = load_file(path)
    assert cat["f1"].names("actor") == ["Al Pacino", "Robert De Niro"] and cat["f1"].names("director") == ["Michael Mann"]
    assert cat["f2"].year == 2009 and "Cops and robbers" in cat["f1"].document()


@pytest.mark.parametrize("suffix, content, where, field", [
    (".jsonl", '{"id": "1", "title": "A"}\n{"id": "2", "title": "B", "year": "soon"}\n', ":2", "'year'"),
    (".jsonl", '{"id": "1", "title": "A"}\n\n{"title": "C"}\n', ":3", "'id'"),
    (".jsonl", '{"id": "1", "title": "A", "year": 1066}\n', ":1", "'year'"),
    (".jsonl", '{"id": "1", "title": "A", "people": [{"role": "actor"}]}\n', ":1", "'people[0]'"),
    (".jsonl", '{"id": "1", "title": "A"}\n{"id": "2", "title": \n', ":2", "not valid JSON"),
    (".jsonl", '["id", "title"]\n', ":1", "expected an object"),
    (".csv", "id,title,year\n1,A,1999\n2,,2001\n", ":3", "'title'"),
    (".csv", "id,title,popularity\n1,A,lots\n", ":2", "'popularity'"),
])
def test_malformed_rows_name_file_line_field(tmp_path, suffix, content, where, field):
    path = tmp_path / f"bad{suffix}"
    path.write_text(content)
    with pytest.raises(CatalogError) as e:
        load_file(path)
    assert f"{path}{where}" in str(e.value) and field in str(e.value)


def test_whole_file_problems(tmp_path):
    with pytest.raises(CatalogError, match="not found"):
        load_file(tmp_path / "nope.jsonl")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    with pytest.raises(CatalogError, match="no items"):
        load_file(empty)
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CatalogError, match="not UTF-8"):
        load_file(binary)
    dup = tmp_path / "dup.jsonl"
    dup.write_text('{"id": "1", "title": "A"}\n{"id": "1", "title": "B"}\n')
    with pytest.raises(CatalogError, match="duplicate id '1'"):
        load_file(dup)


def test_content_hash_tracks_content():
    a = Catalog([Item("1", "A", 2000)])
    assert a.content_hash() == Catalog([Item("1", "A", 2000)]).content_hash()
    assert a.content_hash() != Catalog([Item("1", "A", 2001)]).content_hash()


def test_redial_fame_counts_training_mentions_only_and_settles_namesakes(tmp_path):
    """The linker's tie-break between films of one title comes from the training dialogues; a mention
    in the test split counts for nothing, and retrieval's Item.popularity stays 0."""
    import json

    from convrec import preferences
    from convrec.state import USER, Turn

    (tmp_path / "redial").mkdir()
    (tmp_path / "redial" / "movies_with_mentions.csv").write_text(
        "movieId,movieName,nbMentions\n1,The Notebook (2004),90\n2,The Notebook (2013),1\n3,Alien (1979),5\n")
    train = [{"conversationId": 1, "messages": [{"text": "try @1 or @3", "senderWorkerId": 2},
                                                 {"text": "@1 is great", "senderWorkerId": 1}]}]
    test = [{"conversationId": 20001, "messages": [{"text": "@2 @2 @2 @2", "senderWorkerId": 2}]}]
    (tmp_path / "redial" / "train_subset.jsonl").write_text("".join(json.dumps(d) + "\n" for d in train))
    (tmp_path / "redial" / "test_data.jsonl").write_text("".join(json.dumps(d) + "\n" for d in test))
    catalog = load_redial(tmp_path)
    assert catalog.fame == {"1": 2.0, "3": 1.0} and all(i.popularity == 0.0 for i in catalog)
    assert (catalog.renown("1"), catalog.renown("2")) == (2.0, 0.0)
    prefs = preferences.update(preferences.Preferences(), Turn(USER, "I loved The Notebook"), catalog)
    assert prefs.liked == ["1"]  # the 2004 film people talk about, not the newer namesake
    catalog.by_id["2"].popularity = 10.0  # a catalog's own popularity comes first
    assert catalog.renown("2") == 10.0
    assert preferences.update(preferences.Preferences(), Turn(USER, "I loved The Notebook"), catalog).liked == ["2"]
    (tmp_path / "redial" / "train_subset.jsonl").unlink()
    assert load_redial(tmp_path).fame == {}  # no training dialogues: nothing is better known


def test_redial_movies_without_a_title_get_the_movielens_one_or_their_id(tmp_path):
    """ReDial calls Vicky Cristina Barcelona " (2007)": chat had listed "1.  (2007) - Comedy, Drama"."""
    import json

    (tmp_path / "redial").mkdir()
    (tmp_path / "overviews").mkdir()
    ml = tmp_path / "movielens" / "ml-latest-small"
    ml.mkdir(parents=True)
    (tmp_path / "redial" / "movies_with_mentions.csv").write_text(
        "movieId,movieName,nbMentions\n1, (2007),10\n2, (2015),3\n3,Heat (1996),4\n4,M (1931),2\n")
    (tmp_path / "overviews" / "redial_id2info.json").write_text(json.dumps({
        "1": {"name": "(2007)", "genre": ["comedy"], "director": ["Woody Allen"], "imdb_id": "tt0497465"},
        "2": {"name": "(2015)", "genre": ["drama"], "imdb_id": "tt3774694"},
        "3": {"name": "Heat (1996)", "imdb_id": "tt0118560"}, "4": {"name": "M (1931)", "imdb_id": "tt0022100"}}))
    (ml / "links.csv").write_text("movieId,imdbId,tmdbId\n60950,0497465,5038\n1260,0022100,832\n2,0118560,9\n")
    (ml / "movies.csv").write_text("movieId,title,genres\n60950,Vicky Cristina Barcelona (2008),Comedy\n"
                                   "1260,\"M (Eine Stadt sucht einen Mörder) (1931)\",Crime\n2,Poison Ivy II (1996),Drama\n")
    catalog = load_redial(tmp_path)
    assert catalog["1"].label == "Vicky Cristina Barcelona (2008)"  # the film's own year, from MovieLens
    assert catalog["1"].names("director") == ["Woody Allen"]
    assert catalog["2"].label == "ReDial movie 2 (2015)"  # not in MovieLens: named by its id
    assert catalog["3"].title == "Heat" and catalog["4"].title == "M"  # a title ReDial has is kept
    (ml / "links.csv").unlink()
    assert load_redial(tmp_path)["1"].label == "ReDial movie 1 (2007)"
