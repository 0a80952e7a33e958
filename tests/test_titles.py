"""Title linking: exact, fuzzy, articles, years, sequels, "the new Dune", @ids, and no false links."""
from __future__ import annotations

import pytest

from convrec import mentions
from convrec.catalog import Catalog, Item, Person
from convrec.titles import index_for, link
from tests.tracking_fixtures import small_catalog

CAT = small_catalog()


def ids(text: str, catalog: Catalog = CAT) -> list[str]:
    return [m.item_id for m in link(text, catalog)]


@pytest.mark.parametrize("text,expected", [
    ("I loved The Matrix", ["matrix"]),
    ("i loved the matrix", ["matrix"]),
    ("Matrix was fun", ["matrix"]),  # missing "The"
    ("have you seen inceptoin", ["inception"]),  # a typo makes a rare word: no capitals needed
    ("the Big Lebowski", ["lebowski"]),
    ("have you seen big lebowski?", ["lebowski"]),
    ("The Matirx", ["matrix"]),  # one typo
    ("Inceptoin blew my mind", ["inception"]),
    ("Godfaher part 2", ["gf2"]),
    ("Toy Story 2", ["ts2"]),
    ("toy story II", ["ts2"]),
    ("Toy Story part 3", ["ts3"]),
    ("toy story", ["ts1"]),
    ("The Godfather Part II", ["gf2"]),
    ("godfather 2", ["gf2"]),
    ("the godfather", ["gf1"]),
    ("Dune (1984)", ["dune84"]),
    ("dune 1984", ["dune84"]),
    ("dune from 2021", ["dune21"]),
    ("the new Dune", ["dune21"]),
    ("the original dune", ["dune84"]),
    ("the empire strikes back", ["empire"]),
    ("Amelie", ["amelie"]),  # accents folded
    ("Alien and Aliens", ["alien", "aliens"]),
    ("spirited away and The Shining", ["spirited", "shining"]),
])
def test_links(text, expected):
    assert ids(text) == expected


@pytest.mark.parametrize("text", [
    "I like it", "it was great", "It is what it is", "what's up", "give it up", "I'm up for anything",
    "I like scary movies", "that's heat of the moment", "what a great movie", "hello there", "",
    "Toy Story 4",  # not in the catalog: must not become a typo of "Toy Story 2"
    "the heat was unbearable", "a matrix of options", "the shining sun", "LOL that was fun",
])
def test_no_false_links(text):
    assert [i for i in ids(text) if i in ("it", "up", "heat", "ts2", "matrix", "shining")] == []


@pytest.mark.parametrize("text,expected", [
    ("I saw It last week", ["it"]),  # capitalised mid-sentence
    ('we watched "it" twice', ["it"]),  # quoted
    ("It (2017) was scary", ["it"]),  # a year
    ("Pixar's Up made me cry", ["up"]),
    ("we saw Heat again", ["heat"]),
])
def test_common_word_titles_link_with_a_cue(text, expected):
    assert ids(text) == expected


def test_ambiguous_title_keeps_alternatives_and_prefers_popular():
    (m,) = link("I watched Dune", CAT)
    assert (m.item_id, m.alternatives, m.year) == ("dune21", ["dune84"], None)
    (m,) = link("I watched Dune (1984)", CAT)
    assert m.item_id == "dune84" and m.year == 1984


def test_popularity_breaks_ties_then_recency():
    cat = Catalog([Item("a", "Psycho", 1960, popularity=5), Item("b", "Psycho", 1998, popularity=1),
                   Item("c", "Psycho", 2013)])
    assert ids("Psycho", cat) == ["a"]
    assert ids("the new Psycho", cat) == ["c"]
    cat0 = Catalog([Item("a", "Psycho", 1960), Item("b", "Psycho", 1998)])
    assert ids("psycho", cat0) == ["b"]


def test_redial_at_ids():
    cat = Catalog([Item("111776", "Super Troopers", 2001)])
    (m,) = link("Have you seen @111776 ?", cat)
    assert (m.item_id, m.how, m.text) == ("111776", "at", "@111776")
    assert link("@999 is not in the catalog", cat) == []


def test_mention_spans_point_into_the_text():
    text = "Yes, I loved the matirx and Heat!"
    found = link(text, CAT)
    assert [(text[m.start:m.end], m.how) for m in found] == [("the matirx", "fuzzy"), ("Heat", "exact")]


def test_index_is_cached_per_catalog():
    assert index_for(CAT) is index_for(CAT)
    other = small_catalog()
    assert index_for(other) is not index_for(CAT)


def test_long_hostile_text_is_fine():
    assert ids("the " * 5000 + "Alien") == []  # beyond the searched prefix
    assert ids("\x00\x1b[31m🎬 Alien 🎬") == ["alien"]


def test_real_redial_catalog_links(data_dir):
    from convrec.catalog_sources import load_redial

    cat = load_redial(data_dir)
    godfather = [i.id for i in cat if i.title == "The Godfather" and i.year == 1972]
    assert ids("i loved the godfather", cat) == godfather
    assert ids("Jurasic Park (1993)", cat)[0] in {i.id for i in cat if i.title == "Jurassic Park"}
    assert ids("I like it and I like scary movies", cat) == []


# ---------------------------------------------------------------- lower case, typos (issue 4)

AT_CAT = Catalog([*small_catalog(), Item("101", "Super Troopers", 2001)], name="fixture+at")


@pytest.mark.parametrize("text,expected", [
    ("i loved the shining", ["shining"]),  # a verb of taste before it
    ("the shining is one of my favorites", ["shining"]),  # a verdict after it
    ("like the matrix", ["matrix"]),  # the whole message
    ("something like @101 or heat", ["101", "heat"]),  # a list with a ReDial @id (an everyday word: clause end)
    ("have you seen @101 and the matrix?", ["101", "matrix"]),
    ("my favorite movie is the matrix", ["matrix"]),
    ("i love heat.", ["heat"]),  # an everyday word needs the verb and the end of the clause
])
def test_lower_case_titles_link_in_context(text, expected):
    assert ids(text, AT_CAT) == expected


@pytest.mark.parametrize("text", [
    "i love heat in the summer", "the heat was unbearable", "i like it", "have you seen it?", "i love up there",
    "a matrix of options", "@matrix", "i like alien movies", "like it",
])
def test_lower_case_without_a_title_cue_does_not_link(text):
    assert [i for i in ids(text) if i in ("it", "up", "heat", "matrix", "alien")] == []


@pytest.mark.parametrize("text,expected", [
    ("something with aliens", []),  # a topic ("Liked: Aliens (1986)" had followed)
    ("a sci-fi movie without aliens", []),  # a topic avoided (Aliens had been liked, and Alien came first)
    ("a movie about aliens please", []),
    ("something like aliens", ["aliens"]),  # like: the film
    ("I loved aliens", ["aliens"]),
    ("something with Aliens vibes", ["aliens"]),  # capitals mark the title
])
def test_a_lower_case_topic_after_with_or_about_is_no_title(text, expected):
    assert ids(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("I loved Inceptoin", ["inception"]),  # a letter swapped
    ("I loved Incepion", ["inception"]),  # a letter dropped
    ("I loved Spirited Awway", ["spirited"]),  # a letter doubled
    ("I liked The Godfahter", ["gf1"]),
])
def test_one_edit_typos(text, expected):
    assert ids(text) == expected


def test_typo_needs_exactly_one_edit_and_no_name():
    from convrec.titles import edit_distance

    assert edit_distance("paanther", "panther") == 1 and edit_distance("paanther", "panthers") == 2
    assert edit_distance("inceptoin", "inception") == 1  # a swap is one edit
    cat = Catalog([Item("crown", "The Crown", 2016), Item("bp", "Black Panther", 2018),
                   Item("bps", "The Black Panthers: Vanguard of the Revolution", 2015)])
    assert ids("I loved Black Paanther", cat) == ["bp"]  # one edit from "black panther", two from "black panthers"
    assert ids("I have seen Russel Crowe in that", cat) == []  # a person, not a typo of "The Crown"


# ---------------------------------------------------------------- linker rules of issue 4, round 2

RULES_CAT = Catalog([
    Item("dh", "Die Hard", 1988, popularity=90), Item("ws", "Wonder Woman", 2017, popularity=80),
    Item("sm", "Scary Movie", 2000, popularity=95), Item("os", "Old School", 2003, popularity=70),
    Item("gs", "Game Night", 2018, popularity=1), *[Item(f"f{k}", f"Filler {k}", 2000) for k in range(20)],
    Item("lim", "Limitless", 2011, popularity=30), Item("bmc", "A Bad Moms Christmas", 2017, popularity=20),
    Item("bm", "Bad Moms", 2016, popularity=40), Item("dk", "The Dark Knight", 2008, popularity=90),
    Item("dn", "The Dark Night", 1989), Item("jw2", "John Wick: Chapter 2", 2017, popularity=30),
    Item("jw", "John Wick", 2014, popularity=50), Item("it66", "It", 1966, popularity=1),
    Item("it90", "It", 1990, popularity=27), Item("it17", "It", 2017, popularity=173),
    Item("comedy", "The Comedy", 2012), Item("clown", "The Clown", 2011),
], name="linker-rules")


@pytest.mark.parametrize("text,expected", [
    # a well-known title of everyday words links in lower case; a rare one, or one that is also chat, does not
    ("i have seen all the die hard movies", ["dh"]),
    ("have you seen logan or wonder woman", ["ws"]),
    ("we might do game night", []),  # not well known in this catalog
    ("i am looking for a good scary movie", []),  # "scary movie" is chat
    ("lets go old school", []),
    # typos: "Limitles" is not the singular of "Limitless"; a genre word inside a longer title can carry one
    ("Have you seen Limitles ?", ["lim"]),
    ("I havent seen A Bad Moms Chrisstmas", ["bmc"]),
    ("I like Comedys", []),  # still the genre, not "The Comedy"
    ("I love The Dark Kight", ["dk"]),  # the better-known of two one-edit titles
    ("I recently watched John Wick: Chpter 2", ["jw2"]),  # a typo in "Chapter" before a number
    # "the original It" is the better-known old one, not an obscure namesake
    ("I only saw the original It", ["it90"]),
    ("I liked the new It", ["it17"]),
    # after "a" a lower-case word is a noun: "he is a clown", not the film The Clown
    ("Vince Vaughn is a clown.", []),
    ("I liked the clown.", ["clown"]),
])
def test_linker_rules_round_2(text, expected):
    assert ids(text, RULES_CAT) == expected


ARTICLE_CAT = Catalog([Item("sh", "The Shining", 1980, popularity=85), Item("wed", "The Wedding", 2000, popularity=0),
                       Item("heat", "The Heat", 2013, popularity=60),
                       *[Item(f"f{k}", f"Filler {k}", 2000) for k in range(20)]], name="article-titles")


@pytest.mark.parametrize("text,expected", [
    # "the" + a common-but-not-everyday word: a well-known title links in lower case, a rare one does not,
    # and an everyday word ("heat") still needs capitals
    ("i was scared by the shining", ["sh"]),
    ("we went to the wedding", []),
    ("the heat was unbearable today", []),
    ("I loved The Heat", ["heat"]),
])
def test_well_known_article_titles_link_in_lower_case(text, expected):
    assert ids(text, ARTICLE_CAT) == expected


# ---------------------------------------------------------------- linker rules of issue 4, round 3

CONTEXT_CAT = Catalog([
    Item("nb04", "The Notebook", 2004, popularity=32), Item("nb13", "The Notebook", 2013, popularity=21),
    Item("thor", "Thor", 2011, popularity=40), Item("rag", "Thor: Ragnarok", 2017, popularity=60),
    Item("bp", "Black Panther", 2018, popularity=100), Item("tbp", "The Black Panther", 1977, popularity=1),
    Item("ring", "The Ring", 2002, popularity=14), Item("ring98", "Ring", 1998, popularity=3),
    Item("gb84", "Ghostbusters", 1984, popularity=29), Item("gb16", "Ghostbusters", 2016, popularity=20),
    *[Item(f"f{k}", f"Filler {k}", 2000) for k in range(20)],
], name="context")


@pytest.mark.parametrize("text,shown,expected", [
    # among films that share a title, the one the system showed; otherwise the better known
    ("I loved The Notebook", [], ["nb04"]),
    ("I loved The Notebook", ["nb13"], ["nb13"]),
    ("I loved The Notebook", ["nb13", "nb04"], ["nb04"]),  # the one shown last
    ("I loved The Notebook (2004)", ["nb13"], ["nb04"]),  # a year the user gave settles it
    ("I liked the new Ghostbusters", ["gb84"], ["gb16"]),  # so does "the new"
    ("I loved Thor", ["rag"], ["thor"]),  # a whole title beats a part of one, shown or not
])
def test_shown_films_settle_same_title_films(text, shown, expected):
    assert [m.item_id for m in link(text, CONTEXT_CAT, shown)] == expected


SHOWN_CAT = Catalog([Item("heat", "Heat", 1995, popularity=30), Item("up", "Up", 2009, popularity=40),
                     *[Item(f"f{k}", f"Filler {k}", 2000) for k in range(20)]], name="shown")


@pytest.mark.parametrize("text,shown,expected", [
    # an everyday-word title capitalised at the start of a message is the film only if it was just shown
    ("Heat sounds great, tell me more", ["heat"], ["heat"]),
    ("Heat sounds great, tell me more", [], []),
    ("Heat sounds great", ["up"], []),
    ("heat sounds great", ["heat"], []),  # no capital: the word
    ("Up looks fun", ["heat", "up"], ["up"]),
])
def test_a_shown_film_named_at_the_start_of_a_message_links(text, shown, expected):
    assert [m.item_id for m in link(text, SHOWN_CAT, shown)] == expected


@pytest.mark.parametrize("text,expected", [
    # a lower-case "the" before a title better known without it is the speaker's article
    ("I am now trying to see the Black Panther", ["bp"]),
    ("Have you watched the Black Panther movies?", ["bp"]),
    ("I loved The Black Panther", ["tbp"]),  # a capital "The" mid-sentence is part of the title
    ("I was scared by the Ring", ["ring"]),  # The Ring is the better known
])
def test_loose_article_before_a_better_known_title(text, expected):
    assert ids(text, CONTEXT_CAT) == expected


HEAT_CAT = Catalog([Item("heat", "Heat", 1995, popularity=44), Item("theheat", "The Heat", 2013, popularity=90),
                    Item("ring", "The Ring", 2002, popularity=14), Item("ring98", "Ring", 1998, popularity=3),
                    *[Item(f"f{k}", f"Filler {k}", 2000) for k in range(20)]], name="heat")


@pytest.mark.parametrize("text,expected", [
    # a title as typed beats a better-known one with an article the user did not write ("Heat" had been The Heat),
    # unless it is far less known
    ("Heat was meh", ["heat"]),
    ("I loved Heat", ["heat"]),
    ("I loved The Heat", ["theheat"]),
    ("I loved the Heat", ["theheat"]),  # the article was written
    ("I loved Ring", ["ring"]),
])
def test_a_title_as_typed_beats_one_with_an_added_article(text, expected):
    assert ids(text, HEAT_CAT) == expected


WEAK_CAT = Catalog([*RULES_CAT, Item("101", "Super Troopers", 2001), Item("split", "Split", 2017, popularity=40),
                    Item("logan", "Logan", 2017, popularity=60), Item("seven", "Seven", 1995, popularity=50),
                    Item("two", "2", 1980), Item("choice", "The Choice", 2016, popularity=5)], name="weak")


@pytest.mark.parametrize("text,expected", [
    # a weak word ("it") the sentence closes on after an @id in a list is a title; a pronoun goes on
    ("I really like @101 and it", ["101", "it17"]),
    ("I like @101 and it.", ["101", "it17"]),
    ("I saw @101 and it was great", ["101"]),
    ("have you seen it or @101?", ["101"]),  # before a list "it" can still be a pronoun
    # "the new" / "the original" before a weak word: a remake is talked about
    ("The new it was awesome.", ["it17"]),
    ("I haven't seen the new it", ["it17"]),
    ("it was okay, but the original it was better", ["it90"]),
    ("either that or the original it was based on", []),
    ("I loved the first 2 though", []),  # an ordinal is no remake
    ("I would look into the first choice", []),
    # questions about a film and a named actor after it
    ("what is split about?", ["split"]),
    ("what is it about?", []),
    ("can you tell me a little about logan?", ["logan"]),
    ("I will check seven out", ["seven"]),
    ("I love seven with Brad Pitt", ["seven"]),
    ("I like it with Brad Pitt", []),
])
def test_weak_words_and_questions_in_lower_case(text, expected):
    assert ids(text, WEAK_CAT) == expected


def test_a_title_opened_by_an_acronym_it_spells_out_links_by_the_acronym():
    cat = Catalog([Item("et", "E.T. the Extra-Terrestrial", 1982, ["Family"]),
                   Item("ai", "A.I. Artificial Intelligence", 2001, ["Sci-Fi"]),
                   Item("la", "L.A. Confidential", 1997, ["Crime"]), Item("ps", "P.S. I Love You", 2007, ["Romance"])])
    assert ids("I loved Die Hard and E.T.", cat) == ["et"]
    assert ids("more like ET please", cat) == ["et"] and ids("I liked A.I. a lot", cat) == ["ai"]
    # "LA" and "PS" are words, and those titles say more than their acronym: no alias
    assert ids("I loved LA when I lived there", cat) == [] and ids("ps I loved it", cat) == []
    assert ids("L.A. Confidential was great", cat) == ["la"]


@pytest.mark.parametrize("text, unknown", [
    ("something with Melissa McCarthy?", ["Melissa McCarthy"]),
    ("what's similar to The Office but as a movie?", ["The Office"]),  # a TV show: it had been asked nothing of
    ("I loved Heat and Melissa McCarthy", ["Melissa McCarthy"]),
    ("I loved The Zzyzx Chronicles", ["The Zzyzx Chronicles"]),
    ('have you seen "Blorp"?', ["Blorp"]),  # quoted: one word is enough
    ("I loved Heat", []),
    ("something with Tom Hanks or Al Pacino", []),
    ("movies by Christopher Nolan", []),
    ("I liked The Godfather Part II", []),
    ("I like Sci-Fi and Horror", []),
    ("I love Christmas movies, I'm Bob", []),  # one capitalised word after a cue is not enough
    ("I watched It Follows", []),  # "It" opens too many sentences to call it a title
    ("she liked Heat and Beetlejuice", ["Beetlejuice"]),  # one word no dictionary knows: it had been dropped silently
    ("I loved Paris", []),  # a dictionary word
    ("I liked Pacino in that one", []),  # a catalog person's surname
    # a performance praised names a film, however common its word: "he was great in Big" had been dropped
    ("he was great in Big. anything like that?", ["Big"]),
    ("loved him in Step Brothers and Heat", ["Step Brothers"]),
    ("I liked Beetlejuice. a lot", ["Beetlejuice"]),  # not "Beetlejuice. a"
    ("is The Hobbit any good?", ["The Hobbit"]),  # it had got "What's a film you loved recently?" alone
    ("is Heat any good?", []),
    ("is Tuesday good for you?", []),  # one everyday word
    ("the hobbit? is that any good?", ["the hobbit"]),  # asked about on its own, in lower case
    ("heat? is it any good?", []), ("the second one? any good?", []), ("hi? is it good?", []),
    # listed beside linked titles, an everyday word is a title too: Collateral had been dropped without a word
    ("my favorite movies are Heat, Collateral and Alien", ["Collateral"]),
    ("I liked Heat, Tom Hanks and Alien", []), ("I like Heat, Horror and Alien", []), ("I loved Heat and I", []),
    ("I liked Heat, Collateral and Drive. More from that guy?", ["Collateral", "Drive"]),  # not "Drive. More"
])
def test_unknown_names(text, unknown):
    assert mentions.unknown_names(text, CAT) == unknown


@pytest.mark.parametrize("text,expected", [
    ("seen psycho and the birds. what else?", ["Psycho", "The Birds"]),  # "the birds" had been no title
    ("i loved rear window, the birds and vertigo", ["Rear Window", "The Birds", "Vertigo"]),
    ("I fed the birds and the ducks", []),  # after no title, an everyday phrase
    ("we have seen the conjuring and get out", ["The Conjuring", "Get Out"]),  # "get out" needs the clause to end
    ("seen the conjuring and get out of here", ["The Conjuring"]),
    # the holiday is no title ("something scary for halloween" had marked Halloween (1978) liked and seen)
    ("something scary for halloween", []),
    ("a christmas movie for the kids", []),
    ("I loved Halloween", ["Halloween"]),
    ("have you seen halloween?", ["Halloween"]),
    ("I loved Psycho and the birds outside were loud", ["Psycho", "The Birds"]),  # the price: the list reading wins
])
def test_lower_case_titles_in_lists_and_holidays(text, expected):
    from convrec.catalog import load_demo

    demo = load_demo()
    assert [demo[m.item_id].title for m in link(text, demo)] == expected


def test_the_head_word_of_a_well_known_title_links_alone():
    """"loved shawshank" had linked nothing. Only a head word that is no English word, heads one title, names
    a well-known film and describes no other film is an alias."""
    films = [("shawshank", "The Shawshank Redemption", 100.0, "Two prisoners form a bond."),
             ("jp", "Jurassic Park", 90.0, "Dinosaurs escape."), ("jw", "Jurassic World", 80.0, "More dinosaurs."),
             ("emily", "The Exorcism of Emily Rose", 95.0, "A trial after an exorcism."),
             ("other", "Dark Rites", 1.0, "A priest performs an exorcism."),
             *[(f"f{n}", f"Filler {n}", 0.0, "") for n in range(20)]]
    cat = Catalog([Item(id=i, title=t, popularity=p, description=d) for i, t, p, d in films],
                  fame={i: p for i, _, p, _ in films})
    assert ids("I loved shawshank", cat) == ["shawshank"]
    assert ids("jurassic was fun", cat) == []  # two films start with it
    assert ids("a movie about an exorcism", cat) == []  # another film's description uses the word


def test_a_rare_last_word_in_no_other_title_links_alone():
    """"I've seen Spirited Away and Totoro" had said the catalog lacks Totoro, and listed My Neighbor Totoro next. A
    last word links alone when it is no English word (nor a plain form of one), in no other title and no name."""
    films = [("tot", "My Neighbor Totoro", 80.0), ("sil", "The Silence of the Lambs", 90.0),
             ("jb", "Jason Bourne", 90.0), ("bi", "The Bourne Identity", 90.0), ("leb", "The Big Lebowski", 90.0),
             *[(f"f{n}", f"Filler {n}", 50.0 + n) for n in range(20)]]
    cat = Catalog([Item(id=i, title=t, popularity=p, people=[Person("Jeff Lebowski", "actor")] if i == "f1" else [])
                   for i, t, p in films], fame={i: p for i, _, p in films})
    assert ids("I've seen Spirited Away and Totoro", cat) == ["tot"]
    assert ids("I loved lambs", cat) == [] and ids("bourne was fun", cat) == []  # "lamb"; in two titles
    assert ids("lebowski was great", cat) == []  # a person's name
    big = Catalog([*cat, *[Item(id=f"g{n}", title=f"Other {n}", popularity=1000.0) for n in range(1000)]], name="big")
    assert ids("I've seen Spirited Away and Totoro", big) == []  # in a big catalog only a well-known film's word


def test_the_first_two_words_of_a_well_known_title_link_alone():
    """"yes ferris bueller is a classic" had linked nothing, and the next list offered Ferris Bueller's Day Off.
    Two head words link when they start no other title, are no everyday pair and name a well-known film."""
    films = [("fb", "Ferris Bueller's Day Off", 100.0), ("slp", "Silver Linings Playbook", 90.0),
             ("af1", "Air Force One", 95.0), ("avp", "Alien vs. Predator", 80.0), ("dps", "Dead Poets Society", 1.0),
             ("sw4", "Star Wars: A New Hope", 90.0), ("sw5", "Star Wars: The Empire Strikes Back", 90.0),
             ("zq", "Zorblax-Quintar-Returns", 1.0),  # one written word, three title words (it crashed on MovieLens)
             *[(f"f{n}", f"Filler {n}", 50.0) for n in range(20)]]
    cat = Catalog([Item(id=i, title=t, popularity=p) for i, t, p in films], fame={i: p for i, _, p in films})
    assert ids("yes ferris bueller is a classic", cat) == ["fb"]  # the possessive dropped, as people type it
    assert ids("I loved ferris buellers", cat) == ["fb"]
    assert ids("silver linings was great", cat) == ["slp"]
    assert ids("my dad was in the air force", cat) == []  # an everyday pair
    assert ids("i liked dead poets", cat) == []  # not well known in this catalog (below its median)
    assert ids("alien vs what?", cat) == []
    # a small catalog (the demo's well-known films) takes a pair from a film of its better-known half: "I've seen
    # Grand Budapest" had named nothing (at 65, it is below the demo's top tenth)
    cat = Catalog([*cat.items, Item("gbh", "The Grand Budapest Hotel", popularity=65.0)], fame={"gbh": 65.0})
    assert ids("I've seen Grand Budapest", cat) == ["gbh"]


def test_a_dropped_g_title_links_with_the_g():
    """"old musicals like singing in the rain" had not linked Singin' in the Rain, which was then listed back."""
    cat = Catalog([Item("sitr", "Singin' in the Rain", 1952, ["Musical"]), Item("rain", "Rain Man", 1988)])
    assert ids("i really like old musicals like singing in the rain", cat) == ["sitr"]
    assert ids("I loved Singin' in the Rain", cat) == ["sitr"]
