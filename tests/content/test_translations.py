"""Translations: folders per language, translation_of, stale and missing translations."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import TODAY, ContentFactory, article, tip
from smartmed.content.loader import check, load


def german(source: str = "sleep-better", *, published: str = "2026-11-05",
           extra: str = "") -> str:
    """A German translation of ``source`` (the fixture's articles are English)."""
    body = ("Ruhe ist wichtig. Hier ist eine kurze Anleitung, wie du nachts gut ruhst.\n\n"
            "## Fang klein an\n\n- Steh jeden Tag zur selben Zeit auf.\n")
    return article("Besser schlafen", published=published, body=body,
                   extra=f"translation_of: {source}\n{extra}").replace("lang: en", "lang: de")


def translated(make_content: ContentFactory, **files: str) -> Path:
    """The fixture's content with both articles translated into German, plus ``files``."""
    return make_content({
        "articles/de/besser-schlafen.md": german(),
        "articles/de/zur-ruhe-kommen.md": german("calm-down", published="2026-11-12"),
        **files,
    })


def problems(root: Path) -> list[str]:
    return [str(p) for p in check(root, today=TODAY)[1].problems]


def test_versions_link_a_source_and_its_translations(make_content: ContentFactory) -> None:
    library = load(translated(make_content), today=TODAY)
    source, de = library.article("sleep-better"), library.article("besser-schlafen")
    assert source is not None and de is not None
    assert (source.translation_of, de.translation_of, de.lang) == (None, "sleep-better", "de")
    assert library.versions(source) == library.versions(de) == {"en": source, "de": de}
    calm = library.article("calm-down")
    assert calm is not None and library.versions(calm)["de"].slug == "zur-ruhe-kommen"


def test_a_fully_translated_library_has_no_problems(make_content: ContentFactory) -> None:
    assert problems(translated(make_content)) == []


def test_an_untranslated_article_is_a_warning_naming_the_languages(
        make_content: ContentFactory) -> None:
    root = make_content({"articles/de/besser-schlafen.md": german()})
    library, report = check(root, today=TODAY)
    assert library is not None, "a missing translation is a warning, not an error"
    assert [str(p) for p in report.problems] == [
        "content/articles/calm-down.md:1: translation_of: warning: no translation in de yet: "
        "add articles/<lang>/<slug>.md with translation_of: calm-down (content/README.md, "
        "'Translating an article')"]
    alone = load(root, today=TODAY).article("calm-down")
    assert alone is not None and library.versions(alone) == {"en": alone}


def test_a_translation_older_than_its_sources_change_is_flagged(
        make_content: ContentFactory) -> None:
    changed = article(extra="updated: 2026-11-20\n")
    found = problems(translated(make_content, **{"articles/sleep-better.md": changed}))
    assert found == [
        "content/articles/de/besser-schlafen.md:12: translation_of: warning: the source "
        "'sleep-better' changed on 2026-11-20 (its updated/published), after this "
        "translation's 2026-11-05: bring the translation in line with the source, then set "
        "its updated to the day you do"]
    caught_up = german(extra="updated: 2026-11-21\n")
    assert problems(translated(make_content, **{"articles/sleep-better.md": changed,
                                                "articles/de/besser-schlafen.md": caught_up})) == []
    same_day = german(extra="updated: 2026-11-20\n")
    assert problems(translated(make_content, **{"articles/sleep-better.md": changed,
                                                "articles/de/besser-schlafen.md": same_day})) == []


@pytest.mark.parametrize(("files", "expected"), [
    ({"articles/de/besser-schlafen.md": german("no-such-article")},
     "content/articles/de/besser-schlafen.md:12: translation_of: 'no-such-article' names no "
     "article"),
    ({"articles/de/besser-schlafen.md": german("zur-ruhe-kommen")},
     "content/articles/de/besser-schlafen.md:12: translation_of: 'zur-ruhe-kommen' is a 'de' "
     "article; a translation names the 'en' original it translates"),
    ({"articles/copy.md": article(extra="translation_of: sleep-better\n")},
     "content/articles/copy.md:12: translation_of: this article and 'sleep-better' are both "
     "'en': a translation is in another language than its source"),
    ({"articles/de/noch-einmal.md": german()},
     "content/articles/de/noch-einmal.md:12: translation_of: 'sleep-better' already has a 'de' "
     "translation, content/articles/de/besser-schlafen.md: one per language"),
    ({"articles/de/besser-schlafen.md": german(extra="translation_of: x\n")},
     "content/articles/de/besser-schlafen.md:13: yaml: invalid YAML: duplicate key "
     "'translation_of'"),
    ({"articles/de/besser-schlafen.md": german().replace("lang: de", "lang: en")},
     "content/articles/de/besser-schlafen.md:4: lang: 'en' does not match its folder, which "
     "holds 'de'"),
    ({"articles/fr/dormir.md": article()},
     "content/articles/fr/dormir.md:1: lang: folder articles/fr/ is not one of site.yaml's "
     "languages (en, de)"),
    ({"tips/de/schlaf.yaml": tip("de-1", extra="lang: en")},
     "content/tips/de/schlaf.yaml:5: lang: 'en' does not match its folder, which holds 'de'"),
    ({"tips/de/schlaf.yaml": tip("de-1", extra="article: sleep-better")},
     "content/tips/de/schlaf.yaml:5: article: 'sleep-better' is in 'en'; a 'de' tip links to "
     "the 'de' version of the article"),
])
def test_translation_mistakes_are_errors(make_content: ContentFactory, files: dict[str, str],
                                         expected: str) -> None:
    found = problems(translated(make_content, **files))
    assert any(p.startswith(expected) for p in found), found
    assert check(translated(make_content, **files), today=TODAY)[0] is None


def test_the_folder_gives_the_language_when_lang_is_absent(
        make_content: ContentFactory) -> None:
    root = translated(make_content, **{
        "articles/de/besser-schlafen.md": german().replace("lang: de\n", ""),
        "tips/de/schlaf.yaml": tip("de-1", text="Steh jeden Morgen zur selben Zeit auf.",
                                   extra="article: besser-schlafen"),
    })
    library = load(root, today=TODAY)
    assert library.article("besser-schlafen").lang == "de"
    assert {t.id: t.lang for t in library.tips}["de-1"] == "de"
    assert {t.id: t.lang for t in library.tips}["sleep-1"] == "en"


def test_a_source_that_fails_is_reported_once_not_again_by_its_translation(
        make_content: ContentFactory) -> None:
    broken = article(topics="[nope]")
    found = problems(translated(make_content, **{"articles/sleep-better.md": broken}))
    assert [p for p in found if "sleep-better" in p] == [
        "content/articles/sleep-better.md:3: topics: unknown topic 'nope'; known: sleep, "
        "anxiety, stress"]
