"""Markdown to sanitized HTML, and to plain text for snippets.

The parser is markdown-it-pyrs, the Rust port of markdown-it: the same CommonMark rules as
markdown-it-py, about 25 times faster, which is what keeps a cold start of 10,000 articles
within seconds (docs/benchmarks.md). tests/content/test_markdown.py renders every bundled article
with both and requires identical HTML. markdown-it-pyrs 0.4 panics on some text (as short
as "[`"): such a body is rendered again by markdown-it-py, the reference, configured alike.
"""

from __future__ import annotations

import functools
import html as html_lib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import markdown_it_pyrs
import nh3

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "em", "strong", "code", "pre",
    "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "del",
}
# `rel` is not allowed from the source: the service adds it to external links itself.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"},
                      "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
# No raw HTML (html_block, html_inline: shown as text) and no images (no third-party
# requests from a partner's page); everything else CommonMark has, plus tables.
RULES: list[Any] = ["blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph",
         "reference", "autolink", "backticks", "emphasis", "entity", "escape", "link",
         "newline", "table", "strikethrough"]
# The parser recurses once per nesting level and has no limit of its own; a body nested
# tens of thousands of levels deep would overflow its stack. Real prose never comes close.
MAX_PREFIX_CHARS = 1000
_TOO_DEEP = re.compile(rf"[ \t>*+\-\d.)]{{{MAX_PREFIX_CHARS + 1}}}")
# Sanitized HTML is well formed: tags can be dropped by pattern. Block tags become spaces.
_BLOCK_TAG = re.compile(r"</?(?:p|h\d|li|ul|ol|blockquote|pre|hr|br|table|thead|tbody|tr|td|th)"
                        r"\b[^>]*>")
_INLINE_TAG = re.compile(r"<[^>]*>")
_H1 = re.compile(r"<(/?)h1>")
_EXTERNAL_LINK = re.compile(r'<a href="((?:https?:)?//[^"]*)"')

_MD = markdown_it_pyrs.MarkdownIt("zero").enable_many(RULES)


@functools.cache
def reference() -> MarkdownIt:
    """markdown-it-py with the same rules: raw HTML shown as text, no images, tables."""
    # Imported here: only a body the fast parser panics on needs it, and every process
    # that compiles articles (the server, each loader worker) would pay for the import.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).disable(
        ["image", "html_block", "html_inline"])


def to_html(markdown: str) -> str:
    try:
        html: str = _MD.render(markdown)
        return html
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        if type(exc).__name__ != "PanicException":
            raise
        fallback: str = reference().render(markdown)
        return fallback


class TooDeep(ValueError):
    def __init__(self, line: int) -> None:
        super().__init__(f"line {line} is nested more than {MAX_PREFIX_CHARS} levels deep")
        self.line = line


# Built once (nh3.clean would build its sanitizer again on every call).
_CLEANER = nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                       url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True)


def sanitize(html: str) -> str:
    return _CLEANER.clean(html)


def check_depth(markdown: str) -> None:
    # Only a line longer than the limit can be too deep: the pattern is tried on those
    # alone, not at every line start of every body.
    if len(markdown) <= MAX_PREFIX_CHARS:
        return
    for number, line in enumerate(markdown.split("\n"), 1):
        if len(line) > MAX_PREFIX_CHARS and _TOO_DEEP.match(line):
            raise TooDeep(number)


def _with_rel(link: re.Match[str]) -> str:
    # Appended to the match, the same as the template '<a href="\1" rel=...>' builds, without
    # expanding a template for every link.
    return link.group() + ' rel="noopener noreferrer"'


def render_with_raw_text(markdown: str) -> tuple[str, str]:
    """Sanitized HTML, and its plain text, whitespace not yet normalized.

    For callers that only split the text into words or cut an excerpt from its head
    (snippets.excerpt normalizes what it keeps): normalizing all of it is waste.
    """
    (rendered,) = render_many([markdown])
    if isinstance(rendered, TooDeep):
        raise rendered
    return rendered


def render_many(bodies: Sequence[str]) -> list[tuple[str, str] | TooDeep]:
    """render_with_raw_text of each body, or the TooDeep it raises, in the same order.

    One step at a time for all the bodies (parse, sanitize, extract the text), not body
    by body: the Markdown parser's and the sanitizer's code and tables stay in the
    processor's caches, which makes a loader's batch of articles a fifth faster.
    """
    out: list[tuple[str, str] | TooDeep] = []
    todo: list[int] = []
    for index, body in enumerate(bodies):
        try:
            check_depth(body)
        except TooDeep as exc:
            out.append(exc)
        else:
            out.append(("", ""))
            todo.append(index)
    parsed = [to_html(bodies[index]) for index in todo]
    # The page title is the only h1: body headings start at h2.
    parsed = [_H1.sub(r"<\1h2>", html) if "h1>" in html else html for html in parsed]
    for index, html in zip(todo, [sanitize(html) for html in parsed], strict=True):
        html = _EXTERNAL_LINK.sub(_with_rel, html)
        out[index] = html, html_lib.unescape(_INLINE_TAG.sub("", _BLOCK_TAG.sub(" ", html)))
    return out


def render_with_text(markdown: str) -> tuple[str, str]:
    """Sanitized HTML, and its plain text with blocks joined by single spaces."""
    html, text = render_with_raw_text(markdown)
    return html, " ".join(text.split())


def render(markdown: str) -> str:
    return render_with_text(markdown)[0]
