"""Markdown to sanitized HTML, and to plain text for snippets.

The parser is markdown-it-pyrs, the Rust port of markdown-it: the same CommonMark rules as
markdown-it-py, about 25 times faster, which is what keeps a cold start of 10,000 articles
within seconds (docs/benchmarks.md). tests/test_markdown.py renders every bundled article
with both and requires identical HTML. markdown-it-pyrs 0.4 panics on some text (as short
as "[`"): such a body is rendered again by markdown-it-py, the reference, configured alike.
"""

from __future__ import annotations

import functools
import html as html_lib
import re

import markdown_it_pyrs
import nh3
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
RULES = ["blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph",
         "reference", "autolink", "backticks", "emphasis", "entity", "escape", "link",
         "newline", "table", "strikethrough"]
# The parser recurses once per nesting level and has no limit of its own; a body nested
# tens of thousands of levels deep would overflow its stack. Real prose never comes close.
MAX_PREFIX_CHARS = 1000
_TOO_DEEP = re.compile(rf"^[ \t>*+\-\d.)]{{{MAX_PREFIX_CHARS + 1}}}", re.MULTILINE)
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
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).disable(
        ["image", "html_block", "html_inline"])


def to_html(markdown: str) -> str:
    try:
        return _MD.render(markdown)
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        if type(exc).__name__ != "PanicException":
            raise
        return reference().render(markdown)


class TooDeep(ValueError):
    def __init__(self, line: int) -> None:
        super().__init__(f"line {line} is nested more than {MAX_PREFIX_CHARS} levels deep")
        self.line = line


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def check_depth(markdown: str) -> None:
    if match := _TOO_DEEP.search(markdown):
        raise TooDeep(markdown.count("\n", 0, match.start()) + 1)


def render_with_text(markdown: str) -> tuple[str, str]:
    """Sanitized HTML, and its plain text with blocks joined by single spaces."""
    check_depth(markdown)
    # The page title is the only h1: body headings start at h2.
    html = sanitize(_H1.sub(r"<\1h2>", to_html(markdown)))
    html = _EXTERNAL_LINK.sub(r'<a href="\1" rel="noopener noreferrer"', html)
    text = html_lib.unescape(_INLINE_TAG.sub("", _BLOCK_TAG.sub(" ", html)))
    text = " ".join(text.split())
    return html, text


def render(markdown: str) -> str:
    return render_with_text(markdown)[0]


def plain_text(markdown: str) -> str:
    return render_with_text(markdown)[1]
