"""A small hand-made catalog for the tracker, linker, policy and dialogue tests (no data needed)."""
from __future__ import annotations

from convrec.catalog import Catalog, Item, Person

_ROWS = [  # id, title, year, genres, director, actors, popularity
    ("alien", "Alien", 1979, ["Horror", "Sci-Fi"], "Ridley Scott", ["Sigourney Weaver"], 90),
    ("aliens", "Aliens", 1986, ["Action", "Sci-Fi"], "James Cameron", ["Sigourney Weaver"], 80),
    ("dune84", "Dune", 1984, ["Sci-Fi"], "David Lynch", ["Kyle MacLachlan"], 40),
    ("dune21", "Dune", 2021, ["Sci-Fi", "Adventure"], "Denis Villeneuve", ["Timothée Chalamet"], 95),
    ("ts1", "Toy Story", 1995, ["Animation", "Comedy", "Family"], "John Lasseter", ["Tom Hanks"], 90),
    ("ts2", "Toy Story 2", 1999, ["Animation", "Comedy", "Family"], "John Lasseter", ["Tom Hanks"], 70),
    ("ts3", "Toy Story 3", 2010, ["Animation", "Comedy", "Family"], "Lee Unkrich", ["Tom Hanks"], 75),
    ("gf1", "The Godfather", 1972, ["Crime", "Drama"], "Francis Ford Coppola", ["Marlon Brando", "Al Pacino"], 95),
    ("gf2", "The Godfather Part II", 1974, ["Crime", "Drama"], "Francis Ford Coppola", ["Al Pacino"], 85),
    ("it", "It", 2017, ["Horror"], "Andy Muschietti", ["Bill Skarsgård"], 60),
    ("matrix", "The Matrix", 1999, ["Action", "Sci-Fi"], "Lana Wachowski", ["Keanu Reeves"], 95),
    ("shining", "The Shining", 1980, ["Horror"], "Stanley Kubrick", ["Jack Nicholson"], 80),
    ("superbad", "Superbad", 2007, ["Comedy"], "Greg Mottola", ["Jonah Hill"], 60),
    ("notebook", "The Notebook", 2004, ["Romance", "Drama"], "Nick Cassavetes", ["Ryan Gosling"], 60),
    ("inception", "Inception", 2010, ["Action", "Sci-Fi", "Thriller"], "Christopher Nolan", ["Leonardo DiCaprio"], 95),
    ("lebowski", "The Big Lebowski", 1998, ["Comedy", "Crime"], "Joel Coen", ["Jeff Bridges"], 70),
    ("up", "Up", 2009, ["Animation", "Adventure", "Comedy"], "Pete Docter", ["Ed Asner"], 70),
    ("empire", "Star Wars: Episode V - The Empire Strikes Back", 1980, ["Sci-Fi", "Adventure"], "Irvin Kershner",
     ["Mark Hamill"], 90),
    ("castaway", "Cast Away", 2000, ["Drama", "Adventure"], "Robert Zemeckis", ["Tom Hanks"], 70),
    ("heat", "Heat", 1995, ["Crime", "Thriller"], "Michael Mann", ["Al Pacino", "Robert De Niro"], 75),
    ("amelie", "Amélie", 2001, ["Comedy", "Romance"], "Jean-Pierre Jeunet", ["Audrey Tautou"], 60),
    ("spirited", "Spirited Away", 2001, ["Animation", "Fantasy"], "Hayao Miyazaki", ["Rumi Hiiragi"], 80),
    ("conjuring", "The Conjuring", 2013, ["Horror", "Mystery"], "James Wan", ["Vera Farmiga"], 70),
    ("hangover", "The Hangover", 2009, ["Comedy"], "Todd Phillips", ["Bradley Cooper"], 75),
]


def small_catalog() -> Catalog:
    items = []
    for id_, title, year, genres, director, actors, pop in _ROWS:
        people = [Person(director, "director")] + [Person(a, "actor") for a in actors]
        items.append(Item(id=id_, title=title, year=year, genres=list(genres), people=people, popularity=float(pop),
                          description=f"{title}, a {genres[0].lower()} film."))
    return Catalog(items, name="fixture")
