"""Safe-messaging checks: examples that pass and examples that fail."""

import pytest

from smartmed.content.safemessaging import check_article, check_tip


def found(problems: list) -> list[str]:
    return [str(p) for p in problems]


@pytest.mark.parametrize("body", [
    "Low mood can feel heavy. Small steps help.\n\nTalk to your doctor.",
    "If you have chest pain that is new to you, get medical help at once.",
    # Mentions in a marked article, with no method near them.
    "If you are having thoughts of suicide, you are not alone: call a crisis line now.",
    "Self-harm is a sign of deep distress. Help is there, and you deserve it.",
])
def test_caring_text_passes(body: str) -> None:
    assert check_article("a.md", 10, body, sensitive=True) == []


def test_a_mention_needs_an_article_marked_sensitive() -> None:
    body = "Intro.\n\nSome people have thoughts of suicide when low."
    assert found(check_article("a.md", 10, body, sensitive=False)) == [
        "a.md:12: body: mentions 'suicide': mark the article 'sensitive: true' so that it "
        "carries the urgent-help block at the top"]


@pytest.mark.parametrize(("body", "method"), [
    ("People who self-harm by cutting need care.", "cutting"),
    ("An overdose of pills is a common suicide attempt.", "overdose"),
    ("Bridges are sometimes chosen for suicide.", "Bridges"),
])
def test_methods_near_a_mention_are_errors_even_when_marked(body: str, method: str) -> None:
    problems = check_article("a.md", 1, body, sensitive=True)
    assert len(problems) == 1 and not problems[0].warning
    assert f"describes methods or means ({method!r})" in str(problems[0])


def test_method_words_far_from_any_mention_pass() -> None:
    body = ("Cut your screen time at night." + " Rest well." * 30
            + " If you have thoughts of suicide, call a crisis line.")
    assert check_article("a.md", 1, body, sensitive=True) == []


@pytest.mark.parametrize("text", [
    "Palpitations are harmless.",
    "This feeling is nothing to worry about.",
    "A racing heart is never dangerous.",
])
def test_absolute_reassurance_is_a_warning_pointing_to_the_rule(text: str) -> None:
    problems = check_article("a.md", 5, text, sensitive=False)
    assert len(problems) == 1 and problems[0].warning
    assert "Say when to get medical help" in str(problems[0])
    assert str(problems[0]).startswith("a.md:5: body: warning: ")


def test_tips_never_mention_suicide_and_get_the_same_checks() -> None:
    assert check_tip("t.yaml", 3, "Breathe out slowly for a count of six.") == []
    assert found(check_tip("t.yaml", 3, "If you think about suicide, breathe.")) == [
        "t.yaml:3: text: mentions 'suicide': only a tip marked 'help: true' carries the "
        "urgent-help block; mark it, or write about this in an article marked "
        "'sensitive: true'"]
    assert check_tip("t.yaml", 3, "If you think about suicide, breathe.",
                     carries_help=True) == []
    assert check_tip("t.yaml", 3, "It is harmless.")[0].warning
