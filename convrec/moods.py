"""Moods in the vocabulary of the chat: the words that name each mood, the genres that suit it, the tags that
carry it, and which moods exclude each other. Data and two small helpers; ``convrec.attributes`` finds the
words in text (and re-exports these names).

    mood_tags("silly")                       # ("silly", "silly", "goofy", ..., "slapstick", ...)
    avoided_moods(["not silly", "for kids"])  # ["silly"]
"""
from __future__ import annotations

MOODS: dict[str, tuple[str, ...]] = {
    "lighter": ("lighter", "light", "light-hearted", "lighthearted", "easy watch", "easygoing", "not too heavy", "fluffy",
                # "I'm tired and want something easy" had got The Shining and The Return of the King
                "something easy", "easy to watch", "easy watching", "nothing demanding", "turn my brain off",
                "something fun", "anything fun", "fun movie", "fun movies", "fun film", "fun films", "a fun one",
                "something entertaining", "entertaining movie", "chill", "relaxing", "calmer",
                # "I just broke up ..., I need something to take my mind off it" had got Eternal Sunshine of the
                # Spotless Mind and A Beautiful Mind, by the words "mind" and "broke up"
                "take my mind off", "take my mind of", "get my mind off", "distract me", "distraction"),  # "something fun"
    # had got a question back; a bare "fun" is a reaction ("sounds fun"), no wish
    "feel-good": ("feel-good", "feel good", "uplifting", "heartwarming", "happy", "wholesome", "cheerful", "cozy",
                  "happier", "upbeat", "cheerier", "happy ending", "cheer me up", "cheering up", "cheer up",
                  "pick-me-up", "pick me up", "rainy day", "rainy sunday", "rainy afternoon", "lazy sunday"),
    # "nah, something happier" had said nothing; "a movie for a rainy sunday afternoon" had got a question back
    "mind-bending": ("mind-bending", "mind bending", "mindbending", "mind-blowing", "mind blowing", "trippy", "twist",
                     "twists", "twisty", "cerebral", "confusing", "puzzle", "mindfuck", "complex", "complicated",
                     "convoluted",  # "not too complicated" after time-travel films had got Tenet
                     # "a good movie to watch while high?" had got High Noon by its title word
                     "psychedelic", "while high", "when high", "when i'm high", "stoned", "while stoned"),
    "dark": ("dark", "gritty", "bleak", "grim", "disturbing", "twisted", "darker", "grittier"),
    "sad": ("sad", "tearjerker", "tear-jerker", "tearjerkers", "tear-jerkers", "tear jerker", "tear jerkers", "emotional", "cry", "moving", "depressing", "sadder", "melancholy",
            "melancholic", "sad ending", "sad endings", "unhappy ending", "unhappy endings"),  # "not sad" had offered Her (tagged melancholy) after The Notebook;
    # "suggest me some tearjerkers" had matched no word, and Die Hard came second
    "thought-provoking": ("thought-provoking", "thought provoking", "deep", "philosophical", "smart", "intelligent",
                          "clever", "make me think", "makes you think", "make you think", "makes me think"),  # "a
    # movie that will make me think" had got a question back
    "intense": ("intense", "edge of my seat", "edge-of-your-seat", "gripping", "tense", "adrenaline", "exciting",
                "more intense"),
    "epic": ("epic", "epics", "grand"),
    "quirky": ("quirky", "offbeat", "indie", "weird", "strange", "odd", "weirder"),
    "violent": ("violent", "violence", "bloody", "brutal", "gory", "gore", "gorey", "graphic"),  # "a good war
    # movie, not too graphic" had got Saving Private Ryan (a graphic novel is no mood: convrec.attributes)  # "hates gore" had said nothing
    "inspiring": ("inspiring", "inspirational", "motivating"),
    "nostalgic": ("nostalgic", "nostalgia"),
    "silly": ("silly", "goofy", "dumb fun", "slapstick", "stupid funny", "stupid", "dumb", "mindless"),
    "classic": ("classic", "classics"),
    "sentimental": ("sentimental", "sappy", "mushy", "schmaltzy", "syrupy", "saccharine", "soppy", "cheesy", "corny"),
    # "romantic but less cheesy" after Titanic had got The Notebook; "date night,
    # nothing too sappy" had got The Notebook
    "date-night": ("date movie", "date movies", "date night", "date film", "first date", "romantic evening"),
    # "an underrated gem from the 80s" had got the best-known films, each "popular" (convrec.signals)
    "lesser-known": ("underrated", "hidden gem", "hidden gems", "lesser known", "lesser-known", "less known",
                     "less well known", "less well-known", "not well known", "not so well known", "obscure",
                     "under the radar", "overlooked", "underappreciated", "deep cut", "deep cuts", "less popular",
                     "not so popular", "not mainstream", "less mainstream", "off the beaten path"),
    # the pace: "something less slow" after Arrival had got Annihilation and Blade Runner 2049 (tagged slow-burn)
    "slow": ("slow", "slow-burn", "slow burn", "slow-paced", "slow paced", "slower", "meditative"),
    # a kind of horror, not the genre: "a good horror movie, but nothing with jump scares" had avoided Horror
    "jump-scares": ("jump scares", "jump scare", "jumpscares", "jumpscare", "jump-scares", "jump-scare"),
}
JUMP_SCARES = "jump-scares"
LESSER_KNOWN = "lesser-known"  # scores the middle of the popularity prior (convrec.signals) and leaves out the
# best-known films (convrec.filters)
# moods that cannot hold together: a new one replaces its opposites ("ok maybe something uplifting instead"
# after "something sad" had kept both, and the reasons said "tagged feel-good, romance, for something sad")
MOOD_OPPOSITES = {"sad": ("feel-good", "lighter", "silly"), "dark": ("feel-good", "lighter", "silly"),
                  "feel-good": ("sad", "dark"), "lighter": ("sad", "dark", "intense"), "silly": ("sad", "dark"),
                  "intense": ("lighter", "slow"), "slow": ("intense",)}
# a word that rules out more than its mood: "a sci-fi movie that isn't depressing" had got A Clockwork Orange
# (tagged dark and disturbing, not sad)
ALSO_AVOIDED = {"depressing": ("dark",), "intense": ("violent",)}  # "like Whiplash but less intense" had got Drive
# ... or a tag: "I hate sad endings" had got Casablanca and La La Land (tagged bittersweet)
ALSO_AVOIDED_TAGS = {w: ("bittersweet",) for w in ("sad ending", "sad endings", "unhappy ending", "unhappy endings")}
MOOD_AVOIDS = {"lighter": "Horror", "feel-good": "Horror",  # "something lighter" also means: no horror
               "date-night": "Family",  # and a date night no family film (Kung Fu Panda had come for "not too cheesy")
               "sad": "Horror"}  # and "a good cry" no horror (The Babadook, tagged grief, had come)
MOOD_GENRES: dict[str, tuple[str, ...]] = {  # genres that suit a mood; retrieval favours them (AttributeSignal),
    # because few items carry mood tags: without this, "something lighter" after Alien got Schindler's List.
    # Not Adventure or Romance alone: "boring. something lighter please" had got Interstellar, Casablanca and The
    # Great Escape (a light adventure or romance is also a comedy, an animation or a family film)
    "lighter": ("Comedy", "Animation", "Family", "Musical"),
    "feel-good": ("Comedy", "Animation", "Family", "Musical"),
    "date-night": ("Romance", "Comedy"),  # "what's a good date movie?" had only got a question back
    "silly": ("Comedy", "Animation"),
    "mind-bending": ("Sci-Fi", "Mystery", "Thriller"),
    "dark": ("Crime", "Thriller", "Horror", "Mystery"),
    "sad": ("Drama", "Romance"),
    "thought-provoking": ("Drama", "Sci-Fi", "Mystery"),
    "intense": ("Thriller", "Action"),
    "epic": ("Adventure", "Fantasy", "History", "War"),
    "violent": ("Action", "Crime", "War"),
    "inspiring": ("Biography", "Sport", "Drama"),
    "sentimental": ("Romance", "Drama"),
    "jump-scares": ("Horror",),
}
WORD_MOOD = {w: mood for mood, words in MOODS.items() for w in (mood, *words)}  # every word (and name) of a mood
# ... of the moods no genre stands for ("too violent", "too dark"; "too scary" is Horror's business)
MOOD_WORDS = {w: mood for w, mood in WORD_MOOD.items() if mood in ("violent", "dark", "sad", "silly", "intense",
                                                                   "quirky", "sentimental", "mind-bending", "slow")}
AVOIDED_MOOD_PREFIX = "not "  # a negated mood is kept as the constraint "not silly" (convrec.tastes)


def avoided_moods(constraints: list[str]) -> list[str]:
    """The moods a user ruled out ("funny but not silly" keeps the constraint "not silly")."""
    return [c[len(AVOIDED_MOOD_PREFIX):] for c in constraints
            if c.startswith(AVOIDED_MOOD_PREFIX) and c[len(AVOIDED_MOOD_PREFIX):] in MOODS]


# tags that carry a mood without naming it: "scary but not too gory" had got The Texas Chain Saw Massacre
# and "something less violent" after Oldboy had got Train to Busan and John Wick (tagged zombies, hitman, gun fu).
# Not "gangsters": Some Like It Hot has them
MOOD_KIND_TAGS = {"violent": ("slasher", "body horror", "splatter", "serial killer", "zombies", "hitman", "gun fu",
                              "gangster", "mafia", "mob", "one-man army", "shootout", "vigilante"),  # "mob": The
                  # Departed had followed "not too violent"
                  "sentimental": ("tearjerker", "nicholas sparks", "melodrama"),
                  # "is Grave of the Fireflies sad?" had said "not tagged sad"; "nothing sad" now also rules these out
                  "sad": ("heartbreaking", "devastating", "tragic", "grief", "harrowing"),
                  "jump-scares": ("slasher",),
                  # "like Gone Girl but less dark" had got Get Out and Zodiac (tagged scary, serial killer)
                  "dark": ("serial killer", "slasher", "scary", "creepy"),
                  # "a movie that will make me think" had got The Conjuring (three films carry the mood's words)
                  "thought-provoking": ("existential", "moral dilemma", "mind-bending", "dystopia", "identity")}


def mood_tags(mood: str) -> tuple[str, ...]:
    """Tags that give an item a mood: its label and its words ("silly": silly, goofy, slapstick...)."""
    return (mood, *MOODS.get(mood, ()), *MOOD_KIND_TAGS.get(mood, ()))


HEAVY_TAGS = ("devastating", "harrowing", "heartbreaking", "tragic", "bleak", "depressing", "disturbing")  # never a
# light film while a light mood stands: "anything lighter?" had offered Grave of the Fireflies (an animation). Not
# "tearjerker" or "grief": Up and Coco are both, and feel-good
MOOD_FILTERS = ("lighter", "feel-good", "silly")  # asked for in the latest message, these keep only items of
# their genres (as "more comedies" does; retrieval.RetrievalConfig.liked_genre_filter): "something lighter" after
# Alien and The Thing still offered Arrival; the others (dark, sad, epic...) only boost
