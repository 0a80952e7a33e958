"""The list order a message asks for: two liked titles of different kinds share the first places, and
"something in the middle" puts first the films near both."""
from __future__ import annotations

import numpy as np

from convrec import arrange
from convrec.catalog import Catalog, Item
from convrec.state import SYSTEM, USER, DialogueState, Preferences, Turn

CAT = Catalog([
    Item("pp", "Pride & Prejudice", 2005, ["Drama", "Romance"]),
    Item("dh", "Die Hard", 1988, ["Action", "Thriller"]),
    Item("nb", "The Notebook", 2004, ["Drama", "Romance"]),
    Item("ti", "Titanic", 1997, ["Drama", "Romance"]),
    Item("ca", "Casablanca", 1942, ["Drama", "Romance"]),
    Item("jw", "John Wick", 2014, ["Action", "Thriller"]),
    Item("sm", "Mr. & Mrs. Smith", 2005, ["Action", "Comedy", "Romance"]),
    Item("dr", "A Drama", 2000, ["Drama", "Thriller"]),
], name="arrange-test")
SEEDS = np.array([0, 1])  # rows of Pride & Prejudice and Die Hard
# (items, seeds) similarity: the romances are nearest Pride & Prejudice, John Wick nearest Die Hard
SIMS = np.array([[0, .2], [.2, 0], [.9, .1], [.8, .1], [.7, .2], [.1, .6], [.3, .4], [.5, .5]], np.float32)
LIKED = Preferences(liked=["pp", "dh"], seen=["pp", "dh"])


def state(*texts: str) -> DialogueState:
    turns = [Turn(USER, texts[0], items=["pp", "dh"])]
    for t in texts[1:]:
        turns += [Turn(SYSTEM, "...", items=["nb"]), Turn(USER, t)]
    return DialogueState(turns=turns, preferences=LIKED)


def test_two_liked_titles_of_no_common_genre_take_turns_in_the_first_places():
    rows, why = arrange.by_seeds([2, 3, 4, 7, 6, 5], state("she loves Pride & Prejudice, I love Die Hard"), CAT,
                                 SEEDS, SIMS, depth=3)
    assert rows == [2, 6, 3, 4, 7, 5] and why == {}  # Notebook (hers), Mr. & Mrs. Smith (nearer his), Titanic
    assert arrange.by_seeds([2, 3], state("she loves Pride & Prejudice"), CAT, SEEDS, SIMS)[0] == [2, 3]  # one title


def test_in_the_middle_puts_first_the_films_sharing_a_genre_with_both_and_says_so():
    rows, why = arrange.by_seeds([2, 3, 4, 7, 6, 5], state("she loves Pride & Prejudice, I love Die Hard",
                                                             "something in the middle?"), CAT, SEEDS, SIMS, depth=2)
    assert rows[0] == 6  # Mr. & Mrs. Smith: action and romance (the drama-thriller shares only Drama, the commonest)
    assert why[6] == "shares romance with Pride & Prejudice (2005) and action with Die Hard (1988)"
    assert sorted(rows) == [2, 3, 4, 5, 6, 7]  # nothing is dropped


def genre_state(*texts: str, liked=()) -> DialogueState:
    turns = []
    for t in texts:
        turns += [Turn(USER, t), Turn(SYSTEM, "...", items=["nb"])]
    prefs = Preferences(liked=list(liked), liked_genres=["Comedy", "Romance", "Action"])
    return DialogueState(turns=turns[:-1], preferences=prefs)


def test_two_tastes_told_as_genres_are_grouped_by_clause():
    st = genre_state("she likes rom coms, I like action")
    assert arrange.taste_groups(st, CAT) == [frozenset({"Comedy", "Romance"}), frozenset({"Action"})]
    assert arrange.taste_groups(genre_state("we like funny romantic action films"), CAT) == [
        frozenset({"Comedy", "Romance", "Action"})]  # one taste


def test_something_with_both_puts_first_the_films_of_every_taste_and_says_so():
    # list order: the romances, John Wick, Mr. & Mrs. Smith: only the last has a genre of both tastes
    st = genre_state("she likes rom coms, I like action", "something with both?")
    rows, why = arrange.by_taste_groups([2, 3, 5, 6, 7], st, CAT)
    assert rows == [6, 2, 3, 5, 7]  # Mr. & Mrs. Smith; then romances and John Wick (one taste each) in list order
    assert why == {6: "a bit of both: comedy and romance plus action"}
    assert arrange.by_taste_groups([2, 3, 5, 6], genre_state("she likes rom coms, I like action", "more please"),
                                   CAT)[0] == [6, 2, 5, 3]  # the two tastes told before still share the places
    assert arrange.by_taste_groups([2, 3, 5, 6], genre_state("she likes rom coms, I like action", "just action now"),
                                   CAT)[0] == [2, 3, 5, 6]  # one taste named now: the list's own order
    two_titles = genre_state("she likes rom coms, I like action", "something with both?", liked=["pp", "dh"])
    assert arrange.by_taste_groups([2, 6], two_titles, CAT)[0] == [2, 6]  # two liked titles: by_seeds blends


def test_a_message_telling_two_tastes_shares_the_first_places():
    # list order: two romances, John Wick, Mr. & Mrs. Smith, A Drama (of neither taste)
    st = genre_state("she likes rom coms but I prefer action")
    rows, why = arrange.by_taste_groups([2, 3, 5, 6, 7], st, CAT, depth=4)
    assert rows == [6, 2, 5, 3, 7] and why == {}  # both tastes, hers, his, hers; then the rest in order
    assert arrange.by_taste_groups([2, 3, 5], genre_state("we like funny romantic action films"), CAT)[0] == [2, 3, 5]


def test_after_moves_rows_out_of_the_first_places_and_keeps_the_rest_in_order():
    assert arrange.after([5, 1, 2, 3, 4], late=[1, 9], depth=3) == [5, 2, 3, 1, 4]
    assert arrange.after([5, 1, 2, 3, 4], late=[4], depth=3) == [5, 1, 2, 3, 4]  # not in the first places: stays
    assert arrange.after([5, 1, 2], late=[1], depth=0) == [5, 1, 2]
    assert arrange.after([1, 2], late=[1], depth=5) == [2, 1]  # a short list: last


def test_the_other_reading_of_an_ambiguous_title_is_offered_in_the_note_not_the_list():
    """"I loved Titanic" on ReDial had listed Titanic (2012) second, while the note asked "did you mean it?"."""
    from convrec import collab
    from convrec.retrieval import DEFAULT_WEIGHTS, RetrievalConfig, Retriever

    cat = Catalog([Item("t97", "Titanic", 1997, ["Romance"], popularity=10), Item("t12", "Titanic", 2012, ["Drama"],
                   popularity=90)] + [Item(f"x{n}", f"Film {n}", 2000, ["Drama"], popularity=50 - n) for n in range(12)],
                  name="namesakes")
    weights = {name: 0.0 for name in DEFAULT_WEIGHTS} | {"popularity": 1.0}
    said = DialogueState(turns=[Turn(USER, "I loved Titanic", items=["t97"])],
                         preferences=Preferences(liked=["t97"], ambiguous={"titanic": ["t97", "t12"]}))
    ids = [c.item_id for c in Retriever(None, cat, collab.build_signals(cat, None, use_cache=False),
                                        RetrievalConfig(weights=weights)).retrieve(said, k=12)]
    assert ids.index("t12") == 10 and "t97" not in ids, ids  # the most popular film comes 11th
    off = Retriever(None, cat, collab.build_signals(cat, None, use_cache=False),
                    RetrievalConfig(weights=weights, alternatives_after=0, namesake_share=0.0))
    assert [c.item_id for c in off.retrieve(said, k=1)] == ["t12"]


def test_fill_head_caps_a_key_in_the_first_places_and_moves_the_rest_right_behind():
    from convrec.arrange import fill_head

    keys = {0: "ts", 1: "ts", 2: "ts", 3: "cast away", 4: None, 5: None, 6: "x", 7: None}
    assert fill_head(range(8), keys.get, cap=2, depth=5) == [0, 1, 3, 4, 5, 2, 6, 7]  # the third waits behind five
    assert fill_head(range(8), keys.get, cap=1, depth=3) == [0, 3, 4, 1, 2, 5, 6, 7]
    assert fill_head([4, 5, 7], keys.get, cap=1, depth=2) == [4, 5, 7]  # None: no limit


def test_a_genre_named_with_a_theme_puts_first_the_themed_films_of_that_genre():
    """"a documentary about nature" had put The Wild Robot and Princess Mononoke (tagged nature) before the
    documentaries; a theme alone still brings all its films first."""
    cat = Catalog([Item("robot", "The Wild Robot", 2024, ["Animation"], tags=["nature"]),
                   Item("mono", "Princess Mononoke", 1997, ["Animation"], tags=["nature"]),
                   Item("wire", "Man on Wire", 2008, ["Documentary"]),
                   Item("peng", "March of the Penguins", 2005, ["Documentary"], tags=["nature"])], name="nature")
    rows_by = {"keyword": {"nature": [0, 1, 3]}}

    def first(text: str) -> list[int]:
        st = DialogueState(turns=[Turn(USER, text)], preferences=Preferences(liked_keywords=["nature"]))
        return arrange.for_message([0, 1, 2, 3], st, cat, rows_by)[0]

    assert first("I want to watch a documentary about nature") == [3, 0, 1, 2]
    assert first("something about nature") == [0, 1, 3, 2]
