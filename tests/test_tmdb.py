"""TMDB keywords and languages as ReDial catalog tags (convrec.tmdb), on a small written TMDB file."""
import csv
import json

from convrec import attributes, keywords, preferences, tmdb
from convrec.catalog_sources import load_redial
from convrec.dialogue import Turn
from convrec.state import USER

FIELDS = ["id", "title", "release_date", "keywords", "original_language"]


def _kw(*names):
    return json.dumps([{"id": n, "name": name} for n, name in enumerate(names)])


def _write_data(root, tmdb_rows, links=None):
    (root / "redial").mkdir(parents=True)
    (root / "redial" / "movies_with_mentions.csv").write_text(
        "movieId,movieName,nbMentions\n1,Heist One (2001),3\n2,Heist Two (2003),1\n3,Heist Three (2005),1\n"
        "4,Revenge Story (2003),2\n5,Plain Film (1999),1\n")
    (root / "overviews").mkdir()
    info = {"1": {"name": "Heist One (2001)", "imdb_id": "tt0000001"}, "4": {"name": "Revenge Story (2003)"}}
    (root / "overviews" / "redial_id2info.json").write_text(json.dumps(info))
    with (root / tmdb.TMDB_FILE).open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, FIELDS)
        writer.writeheader()
        writer.writerows(tmdb_rows)
    if links:
        (root / tmdb.LINKS_FILE).parent.mkdir(parents=True)
        (root / tmdb.LINKS_FILE).write_text("movieId,imdbId,tmdbId\n" + "".join(f"9,{i},{t}\n" for i, t in links))


ROWS = [
    # found by IMDb id through links.csv although TMDB spells the title differently
    {"id": "501", "title": "Heist 1", "release_date": "2001-05-01", "keywords": _kw("Heist", "woman director", "love"),
     "original_language": "en"},
    {"id": "502", "title": "Heist Two", "release_date": "2003-01-01", "keywords": _kw("caper", "revenge"),
     "original_language": "en"},
    {"id": "503", "title": "Heist Three", "release_date": "2005-01-01", "keywords": _kw("heist", "revenge"),
     "original_language": "en"},
    {"id": "504", "title": "Revenge Story", "release_date": "2003-02-02", "keywords": _kw("revenge"),
     "original_language": "ko"},
    {"id": "505", "title": "Plain Film", "release_date": "1999-01-01", "keywords": "not json", "original_language": "en"},
]


def test_tags_join_by_imdb_then_title_and_keep_only_themes_on_enough_films(tmp_path):
    _write_data(tmp_path, ROWS, links=[("0000001", "501")])
    catalog = load_redial(tmp_path)
    # "caper" is TMDB's other word for a heist; "woman director" and "love" are no themes
    assert catalog["1"].tags == ["heist"] and catalog["2"].tags == ["heist", "revenge"]
    assert catalog["3"].tags == ["heist", "revenge"]
    assert catalog["4"].tags == ["revenge", "korean", "foreign language"]  # not English: its language too
    assert catalog["5"].tags == []  # a malformed keyword cell costs that film its tags, nothing else
    # the embedded text stays what the shipped learned retriever was trained on
    from dataclasses import replace

    assert catalog["2"].document() == replace(catalog["2"], tags=[]).document() and "Tags:" not in catalog["2"].document()


def test_a_keyword_on_too_few_films_is_no_tag(tmp_path):
    rows = [dict(r, keywords=_kw("time travel")) if r["id"] == "503" else r for r in ROWS]
    _write_data(tmp_path, rows, links=[("0000001", "501")])
    assert "time travel" not in load_redial(tmp_path)["3"].tags  # one film of MIN_FILMS


def test_without_links_the_title_and_year_join_and_without_the_file_no_tags(tmp_path):
    _write_data(tmp_path, ROWS)
    catalog = load_redial(tmp_path)
    assert catalog["1"].tags == [] and catalog["2"].tags == ["heist", "revenge"]  # "Heist 1" is not "Heist One"
    (tmp_path / tmdb.TMDB_FILE).unlink()
    assert all(not item.tags for item in load_redial(tmp_path))


def test_tags_are_keywords_the_tracker_reads(tmp_path):
    _write_data(tmp_path, ROWS, links=[("0000001", "501")])
    catalog = load_redial(tmp_path)
    prefs = preferences.update(preferences.Preferences(), Turn(USER, "any good heist movies? no revenge stuff"), catalog)
    assert prefs.liked_keywords == ["heist"] and prefs.disliked_keywords == ["revenge"]
    prefs = preferences.update(preferences.Preferences(), Turn(USER, "something korean please"), catalog)
    assert prefs.liked_keywords == ["korean", "foreign language"]  # a language wish widens to foreign films


def test_gore_and_violence_are_the_violent_mood_tag_that_not_too_gory_avoids(tmp_path):
    """Hostel had followed "not too gory please" on the ReDial catalog (TMDB says gore, the mood tag is violent)."""
    # three films, one tag; Saw is "sadist" and "bludgeoning" to TMDB (it had come after "not into gore")
    gory = {"502": ("gore", "heist"), "503": ("violence", "heist"), "504": ("sadist", "bludgeoning")}
    rows = [dict(r, keywords=_kw(*gory[r["id"]])) if r["id"] in gory else r for r in ROWS]
    _write_data(tmp_path, rows, links=[("0000001", "501")])
    catalog = load_redial(tmp_path)
    assert catalog["2"].tags == ["violent", "heist"] and catalog["1"].tags == ["heist"]
    prefs = preferences.update(preferences.Preferences(), Turn(USER, "a heist movie, not too gory please"), catalog)
    assert "not violent" in prefs.constraints  # which rules out the films tagged with the mood (convrec.filters)
    avoided = set(attributes.mood_tags("violent"))
    assert [i.id for i in catalog if avoided & set(i.tags)] == ["2", "3", "4"]


def test_tag_words_match_the_keywords_module():
    assert tmdb.FOREIGN == keywords.FOREIGN
    assert set(tmdb.LANGUAGE_NAMES.values()) <= keywords.LANGUAGES
    assert set(tmdb.RENAMED.values()) <= tmdb.THEMES  # a renamed keyword must survive the theme filter


def test_real_redial_catalog_has_tmdb_tags(data_dir):
    if not (data_dir / tmdb.TMDB_FILE).exists():
        import pytest
        pytest.skip("no TMDB file in the data directory")
    catalog = load_redial(data_dir)
    assert 1200 < sum(1 for item in catalog if item.tags) < 2000
    assert "time travel" in catalog["135485"].tags  # Back to the Future (1985)
    assert {"korean", "foreign language"} <= set(catalog["199262"].tags)  # Oldboy (2003)
    assert catalog["114851"].tags == ["organized crime", "mafia", "lawyer"]  # The Godfather


def test_real_tmdb_tags_join_no_films_into_a_franchise(data_dir):
    """A theme that is also the title of several films ("halloween") would make every film tagged with it one
    franchise with them (convrec.series): the franchises must be the ones the titles alone give."""
    if not (data_dir / tmdb.TMDB_FILE).exists():
        import pytest
        pytest.skip("no TMDB file in the data directory")
    from dataclasses import replace

    from convrec import series
    from convrec.catalog import Catalog

    catalog = load_redial(data_dir)
    untagged = Catalog([replace(item, tags=[]) for item in catalog], name="untagged", fame=catalog.fame)
    assert sum(1 for item in catalog if item.tags) > 1000
    assert series.franchises(catalog) == series.franchises(untagged)


def test_the_language_of_a_film_tmdb_does_not_cover_is_unknown(tmp_path):
    """"Is it in English?" about a ReDial film without a TMDB row had been answered "is in English"."""
    from convrec.film_facts import describe

    _write_data(tmp_path, ROWS, links=[("0000001", "501")])
    catalog = load_redial(tmp_path)
    assert describe(catalog["4"], ["language"], catalog=catalog) == "Revenge Story (2003) is in Korean, not English."
    assert describe(catalog["5"], ["language"], catalog=catalog) == "The catalog has no language for Plain Film (1999)."
    # themes never give a mood: "is it sad?" had been told "tagged heist and revenge: not tagged sad"
    assert describe(catalog["2"], ["mood sad"], catalog=catalog) == \
        "The catalog has no tags to tell its mood for Heist Two (2003)."


def test_studios_are_tags_and_spread_to_the_rest_of_a_series():
    """"something not Marvel" had listed Spider-Man: Homecoming and Iron Man 3 on the ReDial catalog: the studio is
    a tag, from TMDB's keywords or production companies, and TMDB 5000 (it ends in 2017) lacks the later sequels."""
    from convrec.catalog import Item

    row = {"keywords": _kw("marvel comic", "superhero"), "production_companies": json.dumps(
        [{"name": "Columbia Pictures"}, {"name": "Marvel Enterprises"}]), "original_language": "en"}
    assert tmdb.film_tags(row, {"marvel", "superhero"}) == ["marvel", "superhero"]
    assert tmdb.film_tags(dict(row, production_companies="not json"), {"marvel"}) == ["marvel"]
    items = [Item("1", "Spider-Man", 2002), Item("2", "Spider-Man: Homecoming", 2017), Item("3", "Spider", 2002),
             Item("4", "Thor: Ragnarok", 2017), Item("5", "Thor", 2011)]
    spread = tmdb.spread_studios(items, {"1": ["superhero", "marvel"], "5": ["marvel"]})
    assert spread == {"1": ["superhero", "marvel"], "2": ["marvel"], "4": ["marvel"], "5": ["marvel"]}
    assert tmdb.spread_studios(items, {"1": ["superhero"]}) == {"1": ["superhero"]}  # themes do not spread
    # animation studios by the demo catalog's names ("any anime besides Studio Ghibli?" had listed Spirited Away)
    ghibli = {"keywords": _kw("witch"), "production_companies": json.dumps([{"name": "Studio Ghibli"}]),
              "original_language": "ja"}
    assert tmdb.film_tags(ghibli, tmdb.THEMES) == ["witch", "studio ghibli", "japanese", "foreign language"]
    pixar = dict(ghibli, production_companies=json.dumps([{"name": "Pixar Animation Studios"}]), original_language="en")
    assert tmdb.film_tags(pixar, tmdb.THEMES) == ["witch", "pixar"]
