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


@pytest.mark.parametrize(("lang", "body", "mention"), [
    ("es", "Algunas personas tienen pensamientos suicidas cuando están mal.", "suicidas"),
    ("es", "Hablar del suicidio con cuidado salva vidas.", "suicidio"),
    ("es", "La autolesión es una señal de mucho malestar.", "autolesión"),
    ("es", "Quien piensa en quitarse la vida merece ayuda.", "quitarse la vida"),
    ("de", "Manche Menschen haben Suizidgedanken, wenn es ihnen schlecht geht.",
     "Suizidgedanken"),
    ("de", "Über Selbstmord zu sprechen, kann entlasten.", "Selbstmord"),
    ("de", "Selbstverletzendes Verhalten ist ein Zeichen großer Not.", "Selbstverletzendes"),
    ("de", "Wer daran denkt, sich das Leben zu nehmen, verdient Hilfe.",
     "sich das Leben zu nehmen"),
])
def test_a_spanish_or_german_mention_needs_the_help_block_as_in_english(
        lang: str, body: str, mention: str) -> None:
    assert found(check_article("a.md", 1, body, sensitive=False, lang=lang)) == [
        f"a.md:1: body: mentions {mention!r}: mark the article 'sensitive: true' so that it "
        "carries the urgent-help block at the top"]
    assert check_article("a.md", 1, body, sensitive=True, lang=lang) == []
    tip_problems = found(check_tip("t.yaml", 3, body, lang=lang))
    assert len(tip_problems) == 1 and f"mentions {mention!r}" in tip_problems[0]
    assert check_tip("t.yaml", 3, body, carries_help=True, lang=lang) == []


@pytest.mark.parametrize(("lang", "body", "method"), [
    ("es", "Una sobredosis de pastillas es un intento de suicidio frecuente.", "sobredosis"),
    ("es", "Quien se autolesiona cortándose necesita cuidados.", "cortándose"),
    ("de", "Eine Überdosis Tabletten ist ein häufiger Suizidversuch.", "Überdosis"),
    ("de", "Brücken werden manchmal für einen Suizid gewählt.", "Brücken"),
])
def test_methods_near_a_spanish_or_german_mention_are_errors(lang: str, body: str,
                                                             method: str) -> None:
    problems = check_article("a.md", 1, body, sensitive=True, lang=lang)
    assert len(problems) == 1 and not problems[0].warning
    assert f"describes methods or means ({method!r})" in str(problems[0])


@pytest.mark.parametrize(("lang", "text"), [
    ("es", "Las palpitaciones son inofensivas."),
    ("es", "Esta sensación no es nada de qué preocuparse; no hay de qué preocuparse."),
    ("es", "Un corazón acelerado nunca es peligroso."),
    ("de", "Herzklopfen ist harmlos."),
    ("de", "Dieses Gefühl ist kein Grund zur Sorge."),
    ("de", "Ein rasendes Herz ist nie gefährlich."),
])
def test_absolute_reassurance_is_a_warning_in_each_language(lang: str, text: str) -> None:
    problems = check_article("a.md", 5, text, sensitive=False, lang=lang)
    assert problems and all(p.warning for p in problems)
    assert "Say when to get medical help" in str(problems[0])


@pytest.mark.parametrize(("lang", "body"), [
    ("es", "Si tienes pensamientos de hacerte daño, llama ya a una línea de crisis."),
    ("es", "Corta el tiempo de pantalla por la noche y descansa."),
    ("de", "Schneide abends die Bildschirmzeit ab und ruh dich aus."),
    ("de", "Wenn du Schmerzen in der Brust hast, hol dir sofort ärztliche Hilfe."),
])
def test_caring_spanish_and_german_text_passes(lang: str, body: str) -> None:
    assert check_article("a.md", 1, body, sensitive=False, lang=lang) == []
