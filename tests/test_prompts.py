"""The prompt loader: templates by name, strict about variables, documented in the README."""
from __future__ import annotations

import pytest

from convrec import prompts


def test_render_fills_every_variable():
    text = prompts.render("select", dialogue="USER: hi", preferences="likes Alien (1979)", candidates="A. Heat (1995)")
    assert "USER: hi" in text and "likes Alien (1979)" in text and "A. Heat (1995)" in text
    assert "{" not in text and text.endswith("### Response:")


def test_missing_variable_raises_named_error():
    with pytest.raises(prompts.MissingVariable) as err:
        prompts.render("select", dialogue="USER: hi", candidates="A. x")
    assert err.value.variable == "preferences" and "preferences" in str(err.value)


def test_unknown_and_bad_names(tmp_path):
    with pytest.raises(prompts.PromptError, match="no prompt named"):
        prompts.render("does_not_exist")
    with pytest.raises(prompts.PromptError):
        prompts.load("../convrec/config")


def test_custom_directory_braces_and_values_not_reparsed(tmp_path):
    (tmp_path / "t.txt").write_text("{{literal}} {name}\n")
    assert prompts.render("t", directory=tmp_path, name="{x}") == "{literal} {x}"
    assert prompts.variables("t", directory=tmp_path) == ["name"]
    (tmp_path / "broken.txt").write_text("unclosed {brace")
    with pytest.raises(prompts.PromptError, match="malformed"):
        prompts.render("broken", directory=tmp_path)


def test_every_template_is_documented():
    readme = (prompts.PROMPT_DIR / "README.md").read_text()
    names = [p.name for p in prompts.PROMPT_DIR.iterdir() if p.suffix in prompts.SUFFIXES]
    assert names
    for name in names:
        assert f"`{name}`" in readme, name


def test_output_template_is_one_label():
    from convrec.generator import label_choices

    assert label_choices(3) == [" A", " B", " C"]
