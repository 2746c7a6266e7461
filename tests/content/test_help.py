"""content/help/: the urgent-help data, its checks, and what the loader builds from it."""

import datetime as dt
import json
from pathlib import Path

import pytest

from helpers import (
    GB,
    HELP_SITE,
    NOW,
    PARTNERS,
    SITE,
    TODAY,
    ContentFactory,
    article,
    tip,
    translated_or_other,
)
from smartmed.catalog.catalog import Catalog
from smartmed.catalog.encoding import dumps
from smartmed.cli import main
from smartmed.content import help as helpdata
from smartmed.content.bundled import content_dir as bundled_content
from smartmed.content.loader import check


def problems(root: Path, today: dt.date = TODAY) -> list[str]:
    """Every problem but the fixture's "no German translation yet" warnings."""
    _library, report = check(root, today=today)
    return [str(p) for p in report.problems if translated_or_other(p)]


def with_help(make_content: ContentFactory, gb: str = GB, **files: str) -> Path:
    return make_content({"site.yaml": HELP_SITE, "help/GB.yaml": gb, **files})


def test_help_data_loads_by_country_and_partner(make_content: ContentFactory) -> None:
    partners = PARTNERS.replace("  theme: dark\n", "  theme: dark\n  country: GB\n")
    root = with_help(make_content, **{"partners.yaml": partners})
    library, report = check(root, today=TODAY)
    assert library is not None, report.problems
    gb = library.help["GB"]
    assert gb.emergency == ("999",)
    assert [s.name for s in gb.services] == ["Samaritans", "Shout"]
    assert gb.services[1].sms_text == "SHOUT"
    assert library.partners["calm-clinic"].country == "GB"
    assert library.help_for(None) is gb
    assert library.help_for(library.partners["open-partner"]) is gb  # no country: the site's


def test_content_without_help_data_has_no_help(content_dir: Path) -> None:
    library, _ = check(content_dir, today=TODAY)
    assert library is not None
    assert library.help == {} and library.help_for(None) is None


@pytest.mark.parametrize(("today", "expected"), [
    (dt.date(2027, 4, 1), None),  # five months: fine
    (dt.date(2027, 6, 1), "content/help/GB.yaml:7: last_verified: warning: checked on "
                          "2026-11-01, over 6 months ago"),
    (dt.date(2027, 11, 2), "content/help/GB.yaml:7: last_verified: checked on 2026-11-01, "
                           "over 12 months ago"),
])
def test_stale_checks_warn_after_six_months_and_fail_after_twelve(
        make_content: ContentFactory, today: dt.date, expected: str | None) -> None:
    found = problems(with_help(make_content), today)
    if expected is None:
        assert found == []
    else:
        assert any(p.startswith(expected) for p in found), found


def test_today_can_be_pinned_from_the_command_line(make_content: ContentFactory,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    root = with_help(make_content)
    assert main(["check", str(root), "--today", "2027-06-01"]) == 0  # a warning only
    out = capsys.readouterr()
    # All three help checks, and the two articles' reviews (due 2027-05-02) are overdue too;
    # and neither article has its German translation yet.
    assert "2 partners, urgent help in 1 country, 7 warning(s)" in out.out
    assert "content/help/GB.yaml:7: last_verified: warning: checked on 2026-11-01" in out.out \
        + out.err
    assert main(["check", str(root), "--today", "2027-11-02"]) == 1


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('phone: "116 123"', 'phone: "116-123"',
     "content/help/GB.yaml:13: phone: '116-123' is not in the normalised form"),
    ('phone: "116 123"', 'phone: "+44 116 123"',
     "content/help/GB.yaml:13: phone: '+44 116 123' is not in the normalised form"),
    ('phone: "116 123"', 'phone: "116  123"',
     "content/help/GB.yaml:13: phone: '116  123' is not in the normalised form"),
    ('numbers: ["999"]', "numbers: [000]",
     "content/help/GB.yaml:5: numbers: 0 must be quoted"),
    ("    source: https://example.org/samaritans\n", "",
     "content/help/GB.yaml:9: source: required field is missing"),
    ("    last_verified: 2026-11-01\n  - name: Shout",
     "  - name: Shout", "content/help/GB.yaml:9: last_verified: required field is missing"),
    ("      de: Jemand zum Reden.\n", "",
     "content/help/GB.yaml:10: purpose: has no text in de: every language the site serves"),
    ("  de: Vereinigtes Königreich\n", "",
     "content/help/GB.yaml:1: name: has no text in de"),
    ('    sms: "85258"\n', "", "content/help/GB.yaml:23: sms_text: needs the number"),
    ("  source: https://example.nhs.uk/urgent", "  source: nhs.uk",
     "content/help/GB.yaml:6: source: 'nhs.uk' must be an absolute"),
])
def test_bad_help_data_is_reported_as_path_line_field_message(
        make_content: ContentFactory, old: str, new: str, expected: str) -> None:
    assert old in GB
    found = problems(with_help(make_content, GB.replace(old, new, 1)))
    assert any(p.startswith(expected) for p in found), found


def test_countries_named_by_the_site_and_partners_must_have_help_data(
        make_content: ContentFactory) -> None:
    partners = PARTNERS.replace("  theme: dark\n", "  theme: dark\n  country: FR\n")
    root = make_content({"site.yaml": SITE + "default_country: IE\n", "help/GB.yaml": GB,
                         "help/gb-old.yaml": GB, "partners.yaml": partners})
    found = problems(root)
    assert "content/site.yaml:1: default_country: 'IE' has no valid help data in " \
        "help/IE.yaml" in found
    assert any(p.startswith("content/partners.yaml:6: country: 'FR' has no help data")
               for p in found), found
    assert any(p.startswith("content/help/gb-old.yaml:1: file: 'gb-old' is not an ISO 3166-1")
               for p in found), found


def test_a_sensitive_article_needs_help_data(make_content: ContentFactory) -> None:
    root = make_content({"articles/x.md": article(extra="sensitive: true\n")})
    assert any("sensitive: content about suicide or self-harm must carry the help block" in p
               for p in problems(root))
    assert problems(with_help(make_content, **{
        "articles/x.md": article(extra="sensitive: true\n")})) == []


def test_tel_links_are_the_digits() -> None:
    assert helpdata.tel("0800 111 0 111") == "08001110111"
    assert helpdata.page_url("https://x.example", "GB") == "https://x.example/help/gb"


def test_the_bundled_help_data_has_a_source_for_every_service() -> None:
    library, report = check(bundled_content(), today=dt.date(2026, 12, 1))
    assert library is not None and report.warnings == [], report.problems
    assert set(library.help) >= {"GB", "IE", "US", "CA", "AU", "FR"}
    assert library.site.default_country == "GB"
    for country in library.help.values():
        assert country.emergency_source.startswith("https://")
        for service in country.services:
            assert service.source.startswith("https://") and service.last_verified
    assert all(p.country in library.help for p in library.partners.values())


def test_tips_are_checked_too(make_content: ContentFactory) -> None:
    root = with_help(make_content, **{"tips/x.yaml": tip("bad", text="This is harmless.")})
    assert any(p.startswith("content/tips/x.yaml:2: text: warning: 'harmless' is absolute")
               for p in problems(root))


def test_article_bytes_with_help_equal_the_document_serialized_whole(
        make_content: ContentFactory) -> None:
    library, _ = check(with_help(make_content), today=TODAY)
    assert library is not None and library.help
    for base in ("https://service.example", "https://other.example/sub"):
        catalog = Catalog(library, base, 16, NOW)
        for a in library.articles:
            body = catalog.article(a.slug, None).body
            assert body == dumps(catalog.article_doc(a, None))
            assert json.loads(body)["help"]["url"] == f"{base}/help/gb"
