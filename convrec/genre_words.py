"""The words of each genre: the catalog spellings a genre concept matches and the words in a message that mean it,
with the narrower kinds ("slasher", "heist"), the adjectives ("scary", "funny") and the words for a kids' audience.

Data only; ``convrec.attributes`` reads it (and re-exports it) to find genres in free text.

    from convrec.genre_words import GENRES
    GENRES["Horror"]  # -> (("horror",), ("horror", "horrors", "scary", ...))
"""
from __future__ import annotations

import re

# concept -> (catalog genre spellings it matches, words/phrases in text that mean it)
GENRES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Horror": (("horror",), ("horror", "horrors", "scary", "scarier", "spooky", "creepy", "slasher", "slashers", "frightening",
                            "terrifying", "scare", "scares", "scariest")),  # "what's the scariest movie you have?"
    "Comedy": (("comedy",), ("comedy", "comedies", "funny", "funnier", "hilarious", "humor", "humour", "comedic", "laughs",
                            "rom com", "romcom", "rom-com", "romcoms", "rom-coms", "laugh", "funniest")),  # "I want
    # to laugh" had got a question back
    "Sci-Fi": (("sci-fi", "science fiction", "sci fi", "scifi"), ("sci fi", "sci-fi", "scifi", "science fiction",
                                                                  "futuristic", "space movies", "space movie")),
    "Action": (("action",), ("action", "action-packed", "action-y", "actiony", "explosions", "shoot em up")),
    "Romance": (("romance",), ("romance", "romantic", "romances", "love story", "love stories", "chick flick",
                               "chick flicks", "rom com", "romcom", "rom-com", "romcoms", "rom-coms")),
    "Drama": (("drama",), ("drama", "dramas", "dramatic", "more story", "more plot", "story-driven", "plot-driven",
                           "story driven", "plot driven")),  # "something with a bit more story" after action films
    # had listed The Phantom Menace
    "Thriller": (("thriller",), ("thriller", "thrillers", "suspense", "suspenseful")),
    "Animation": (("animation", "animated"), ("animated", "animation", "cartoon", "cartoons", "pixar", "anime")),
    "Family": (("family",), ("family", "kids", "kid", "kid friendly", "kid-friendly", "children", "childrens", "children's",
                            "niece", "nieces", "nephew", "nephews", "grandkids", "grandchildren", "toddler",
                            "toddlers", "family-friendly", "family friendly")),  # the demo's tag: "for adults" had
    # still got The Lion King (filed under Adventure, Animation, Drama, tagged family-friendly)
    "Documentary": (("documentary",), ("documentary", "documentaries", "docs", "docu")),
    "Fantasy": (("fantasy",), ("fantasy", "fantasies", "magical")),
    "Mystery": (("mystery",), ("mystery", "mysteries", "whodunit", "whodunnit", "whodunits", "whodunnits",
                              "detective", "detectives")),
    "Crime": (("crime",), ("crime", "gangster", "gangsters", "mob", "mafia", "heist", "heists")),
    "War": (("war",), ("war movies", "war movie", "war films", "war film", "war dramas", "war ones", "war one",
                       "war stuff", "wwii", "ww2")),  # "more of his, but not the war ones" (Tom Hanks) had read nothing
    "Western": (("western",), ("western", "westerns", "cowboy", "cowboys", "spaghetti western", "spaghetti westerns")),
    "Musical": (("musical", "music"), ("musical", "musicals", "singing", "sing-along", "singalong", "songs",
                                       "with music", "lots of music")),  # "something else with music" after Coco
    # and Encanto had said nothing
    # films about music and musicians ("a documentary... something about music maybe" had got Klaus and Zootopia);
    # not a bare "music": "anything with good music" on ReDial test had then lost a popularity target
    "Music": (("music",), ("about music", "music movie", "music movies", "music film", "music films", "music documentary",
                           "music documentaries", "musician", "musicians", "concert film", "concert films", "rock band",
                           "jazz")),
    "Adventure": (("adventure",), ("adventure", "adventures", "adventurous")),
    "Biography": (("biography",), ("biopic", "biopics", "biography", "biographies", "true story", "true stories")),
    "History": (("history",), ("historical", "period piece", "period pieces")),
    "Sport": (("sport", "sports"), ("sports", "sport")),
    "Superhero": (("superhero",), ("superhero", "superheroes", "super hero", "comic book", "marvel")),
}
NARROW_GENRE_WORDS = {"slasher", "slashers", "heist", "heists", "anime", "pixar", "marvel", "comic book", "gangster",
                      "spaghetti western", "spaghetti westerns",
                      "gangsters", "mob", "mafia", "space movies", "space movie", "whodunit", "whodunnit",
                      "whodunits", "whodunnits", "detective", "detectives"}  # "any other whodunits?" after Knives
# Out had been Mystery alone; "a good detective movie" had got Psycho (the demo tags 8 films detective)
# a kind within a genre: wanting it wants the genre, but "not slashers" avoids slashers, not every horror film
ADJECTIVE_GENRE_WORDS = {"scary", "spooky", "creepy", "funny", "hilarious", "romantic", "dramatic", "animated", "laugh",
                         "scariest", "funniest", "magical", "adventurous", "historical", "suspenseful", "futuristic"}

# words for Family that name the audience: watching with children also means no horror (The Evil Dead
# was in the list after "I'm watching with my kids tonight")
AUDIENCE_WORDS = {"kids", "kid", "kid friendly", "kid-friendly", "children", "childrens", "children's", "niece", "nieces",
                  "nephew", "nephews", "grandkids", "grandchildren", "toddler", "toddlers", "family-friendly",
                  "family friendly"}  # "a cartoon for my niece"
# watching with the family is the kids' audience too (no horror, nothing violent; ``convrec.tastes``)
WITH_FAMILY_RE = re.compile(r"\b(?:with|for)\s+(?:the\s+|my\s+|our\s+)?(?:whole\s+|entire\s+)?family\b")
