"""Markdown to sanitized HTML, and to plain text for snippets."""

from __future__ import annotations

from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "em", "strong", "code", "pre",
    "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "ol": {"start"}, "th": {"align"},
                      "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
MAX_NESTING = 20


def _parser() -> MarkdownIt:
    # Raw HTML in Markdown is shown as text, never passed through: nh3 is the second wall.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "maxNesting": MAX_NESTING})
    md.enable("table").enable("strikethrough")
    md.disable("image")

    def heading_open(renderer: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        # The page title is the only h1: body headings start at h2.
        token = tokens[idx]
        if token.tag == "h1":
            token.tag = "h2"
            tokens[idx + 2].tag = "h2"
        return md.renderer.renderToken(tokens, idx, options, env)

    def link_open(renderer: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        href = str(tokens[idx].attrGet("href") or "")
        if href.startswith(("http://", "https://", "//")):
            tokens[idx].attrSet("rel", "noopener noreferrer")
        return md.renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("heading_open", heading_open)
    md.add_render_rule("link_open", link_open)
    return md


_MD = _parser()


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def render(markdown: str) -> str:
    return sanitize(_MD.render(markdown))


def plain_text(markdown: str) -> str:
    """The readable text of a Markdown document, blocks joined by single spaces."""
    parts: list[str] = []
    for token in _MD.parse(markdown):
        if token.type == "inline" and token.children:
            parts.append(_inline_text(token.children))
        elif token.type in {"code_block", "fence"}:
            parts.append(token.content.strip())
    return " ".join(p for p in parts if p)


def _inline_text(children: list[Token]) -> str:
    out: list[str] = []
    for child in children:
        if child.type in {"text", "code_inline", "html_inline"}:
            out.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            out.append(" ")
    return " ".join("".join(out).split())
