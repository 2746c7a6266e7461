from smartmed.markdown import plain_text, render


def test_headings_lists_and_emphasis_render() -> None:
    html = render("## Start\n\n- one\n- two\n\n*calm* **steady**")
    assert "<h2>Start</h2>" in html
    assert "<ul>\n<li>one</li>" in html
    assert "<em>calm</em> <strong>steady</strong>" in html


def test_a_body_h1_becomes_h2_because_the_title_is_the_h1() -> None:
    assert render("# Title\n\ntext").startswith("<h2>Title</h2>")


def test_raw_html_is_shown_as_text_never_passed_through() -> None:
    html = render('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_dangerous_link_schemes_are_dropped() -> None:
    for url in ("javascript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<b>x</b>"):
        html = render(f"[click]({url})")
        assert "href" not in html, url


def test_external_links_get_noopener_and_internal_links_do_not() -> None:
    assert 'rel="noopener noreferrer"' in render("[x](https://example.org/a)")
    assert "rel=" not in render("[x](/articles/b)")


def test_images_are_not_rendered_so_no_third_party_request_is_made() -> None:
    assert "<img" not in render("![pixel](https://tracker.example/p.gif)")


def test_plain_text_joins_blocks_without_markup() -> None:
    assert plain_text("# Hi\n\nSome *text* here.\n\n- a\n- b") == "Hi Some text here. a b"


def test_every_bundled_article_renders_exactly_as_markdown_it_py_renders_it() -> None:
    from pathlib import Path

    from smartmed.markdown import reference, sanitize

    articles = Path(__file__).resolve().parent.parent / "content" / "articles"
    for path in sorted(articles.glob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        expected = sanitize(reference().render(body).replace("<h1>", "<h2>")
                            .replace("</h1>", "</h2>"))
        assert render(body).replace(' rel="noopener noreferrer"', "") == expected, path.name


def test_text_the_fast_parser_panics_on_is_rendered_by_the_reference() -> None:
    import pytest

    from smartmed import markdown

    # markdown-it-pyrs 0.4 panics on this (found by tests/test_loader_fuzz.py).
    with pytest.raises(BaseException, match="index out of bounds"):
        markdown._MD.render("See [the `check")
    assert render("See [the `check") == "<p>See [the `check</p>\n"
    assert plain_text("See [the `check") == "See [the `check"
    assert render("[a](https://example.org) and *b*") == (  # and the fast parser still works
        '<p><a href="https://example.org" rel="noopener noreferrer">a</a> and <em>b</em></p>\n')


def test_bodies_nested_beyond_the_parsers_depth_are_refused_not_crashed() -> None:
    import pytest

    from smartmed.markdown import MAX_PREFIX_CHARS, TooDeep

    assert "<blockquote>" in render("> " * 200 + "fine")
    with pytest.raises(TooDeep) as info:
        render("intro\n\n" + "> " * 100_000 + "deep")
    assert info.value.line == 3
    with pytest.raises(TooDeep):
        render(" " * (MAX_PREFIX_CHARS + 1) + "- x")
