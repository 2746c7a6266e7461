from smartmed.content.markdown import render, render_with_text


def plain_text(markdown: str) -> str:
    return render_with_text(markdown)[1]


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

    from smartmed.content.markdown import reference, sanitize

    articles = Path(__file__).resolve().parents[2] / "content" / "articles"
    for path in sorted(articles.glob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        expected = sanitize(reference().render(body).replace("<h1>", "<h2>")
                            .replace("</h1>", "</h2>"))
        assert render(body).replace(' rel="noopener noreferrer"', "") == expected, path.name


def test_text_the_fast_parser_panics_on_is_rendered_by_the_reference() -> None:
    import pytest

    from smartmed.content import markdown

    # markdown-it-pyrs 0.4 panics on this (found by tests/content/test_loader_fuzz.py).
    with pytest.raises(BaseException, match="index out of bounds"):
        markdown._MD.render("See [the `check")
    assert render("See [the `check") == "<p>See [the `check</p>\n"
    assert plain_text("See [the `check") == "See [the `check"
    assert render("[a](https://example.org) and *b*") == (  # and the fast parser still works
        '<p><a href="https://example.org" rel="noopener noreferrer">a</a> and <em>b</em></p>\n')


def test_bodies_nested_beyond_the_parsers_depth_are_refused_not_crashed() -> None:
    import pytest

    from smartmed.content.markdown import MAX_PREFIX_CHARS, TooDeep

    assert "<blockquote>" in render("> " * 200 + "fine")
    with pytest.raises(TooDeep) as info:
        render("intro\n\n" + "> " * 100_000 + "deep")
    assert info.value.line == 3
    with pytest.raises(TooDeep):
        render(" " * (MAX_PREFIX_CHARS + 1) + "- x")


def test_the_depth_check_finds_the_line_the_whole_text_pattern_finds() -> None:
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from smartmed.content.markdown import MAX_PREFIX_CHARS, TooDeep, check_depth

    # The definition: a line starting with more than MAX_PREFIX_CHARS nesting characters.
    whole = re.compile(rf"^[ \t>*+\-\d.)]{{{MAX_PREFIX_CHARS + 1}}}", re.MULTILINE)
    prefix = st.text(alphabet=" \t>*+-0123456789.)٣", min_size=MAX_PREFIX_CHARS - 2,
                     max_size=MAX_PREFIX_CHARS + 2)
    line = st.one_of(prefix, prefix.map(lambda p: p + "x"), st.text(max_size=20),
                     st.just("x" * (MAX_PREFIX_CHARS + 5)))

    @settings(max_examples=200, deadline=None)
    @given(st.lists(line, max_size=5), st.sampled_from(["\n", "\r\n", "\r"]))
    def same(lines: list[str], newline: str) -> None:
        text = newline.join(lines)
        match = whole.search(text)
        expected = text.count("\n", 0, match.start()) + 1 if match else None
        try:
            check_depth(text)
            found = None
        except TooDeep as exc:
            found = exc.line
        assert found == expected

    same()


def test_raw_text_is_the_plain_text_before_whitespace_is_normalized() -> None:
    from smartmed.content.markdown import render_with_raw_text, render_with_text

    body = "# Hi\n\nSome *text*   here.\n\n- a\n- b &amp; c\n\n| x | y |\n|---|---|\n| 1 | 2 |\n"
    html, raw = render_with_raw_text(body)
    assert (html, " ".join(raw.split())) == render_with_text(body)
    assert raw != " ".join(raw.split())


def test_the_reusable_sanitizer_cleans_as_nh3_clean_does() -> None:
    from pathlib import Path

    import nh3

    from smartmed.content import markdown

    hostile = Path(__file__).resolve().parents[1] / "hostile"
    samples = [p.read_text(encoding="utf-8") for p in sorted(hostile.rglob("*.md"))]
    samples += ['<a href="javascript:x" rel="x" onclick="y">a</a><!-- c --><script>z</script>',
                '<table><tr><th align="left">h</th></tr></table><img src=x><ol start="3">']
    for html in samples + [markdown.to_html(s) for s in samples]:
        assert markdown.sanitize(html) == nh3.clean(
            html, tags=markdown.ALLOWED_TAGS, attributes=markdown.ALLOWED_ATTRIBUTES,
            url_schemes=markdown.URL_SCHEMES, link_rel=None, strip_comments=True)


def test_rendering_many_bodies_gives_what_rendering_each_alone_gives() -> None:
    import html as html_lib
    from pathlib import Path

    from smartmed.content import markdown
    from smartmed.content.markdown import TooDeep, render_many

    def one(body: str) -> tuple[str, str]:
        """The steps for one body, as render_with_text took them before batching."""
        markdown.check_depth(body)
        html = markdown.sanitize(markdown._H1.sub(r"<\1h2>", markdown.to_html(body)))
        html = markdown._EXTERNAL_LINK.sub(r'<a href="\1" rel="noopener noreferrer"', html)
        text = markdown._INLINE_TAG.sub("", markdown._BLOCK_TAG.sub(" ", html))
        return html, html_lib.unescape(text)

    articles = Path(__file__).resolve().parents[2] / "content" / "articles"
    bodies = [p.read_text(encoding="utf-8").split("\n---\n", 1)[1]
              for p in sorted(articles.glob("*.md"))]
    bodies += ["# Title\n\ntext", "intro\n\n" + "> " * 2000 + "deep", "See [the `check", "",
               "[a](https://example.org) [b](//cdn.example) [c](/local) <h1>raw</h1>"]
    many = render_many(bodies)
    assert len(many) == len(bodies)
    for body, rendered in zip(bodies, many, strict=True):
        if isinstance(rendered, TooDeep):
            try:
                one(body)
            except TooDeep as exc:
                assert exc.line == rendered.line
            else:
                raise AssertionError("render_many refused a body that renders alone")
        else:
            assert rendered == one(body)
    assert isinstance(many[-4], TooDeep)
    assert 'href="https://example.org" rel="noopener noreferrer"' in many[-1][0]
