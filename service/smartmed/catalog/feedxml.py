"""RSS 2.0 and Atom (RFC 4287) bytes for a feeds.Feed, written by feedgen 1.0.0.

feedgen 1.0.0 has traps; each is handled here and pinned by a test in tests/catalog/test_feedxml.py:
- naive datetimes raise: every date is made in the site's time zone (clock.start_of_day);
- ``add_entry`` prepends by default: entries are added with ``order="append"``;
- Atom ``content type="CDATA"`` is not a type RFC 4287 allows: content is ``type="html"``;
- Atom entry links lose ``rel``/``type``: _AtomEntryLinks puts them back;
- ``updated`` without ``published`` gives no RSS ``pubDate``: both are always set;
- the channel's ``lastBuildDate`` and an entry's Atom ``updated`` default to now: both are
  always set from the content;
- ``entry.description()`` overwrites the Atom content unless ``isSummary=True``: the
  summary is set with ``entry.summary()``, which leaves the content alone;
- the RSS channel ``<link>`` is the *last* feed link added, whatever its rel: the self
  link is added first, the HTML page last;
- RSS ``<author>`` needs an e-mail address (feedgen drops it without one): ``dc:creator``.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator

if TYPE_CHECKING:
    from smartmed.catalog.feeds import Feed, Item

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
TTL_MINUTES = 60


# feedgen ships no type information, so its base class is Any to mypy (the one ignore).
class _AtomEntryLinks(BaseEntryExtension):  # type: ignore[misc]
    """Restores the rel, type and title of an Atom entry's links.

    feedgen 1.0.0's ``FeedEntry.atom_entry`` rebinds its loop variable to the new element
    before reading the link's attributes, so every entry link comes out as a bare href:
    a ``rel="related"`` link would read as a second alternate. feedgen cannot express
    these attributes, so this extension (feedgen's own hook, run on the finished entry
    element) writes them onto the links feedgen wrote, in the order they were added.
    """

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry: Any) -> Any:
        # feedgen builds Atom elements in no namespace and declares xmlns as a plain
        # attribute on <feed>, so in the tree being built they are found unqualified.
        elements = entry.findall("link")
        for element, link in zip(elements, self.links, strict=True):
            for attr in ("rel", "type", "title"):
                if link.get(attr):
                    element.set(attr, link[attr])
        return entry


def _generator(feed: Feed, fmt: str, media_type: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(feed.home)
    fg.title(feed.title)
    # RSS description and Atom subtitle. Readers render an RSS channel <description> as
    # HTML, as they do an item's: its plain text (topic titles, reviewers) is escaped once.
    fg.description(html.escape(feed.description, quote=False) if fmt == "rss"
                   else feed.description)
    fg.author({"name": feed.author, "uri": feed.base})
    # The RSS channel <link> is the last link added: the self link goes first.
    fg.link(href=feed.url(fmt), rel="self", type=media_type)
    fg.link(href=feed.home, rel="alternate", type="text/html")
    fg.language(feed.lang)  # RSS <language>, Atom xml:lang
    # Square icons for readers. feedgen's logo() and image() each set both Atom <logo> and
    # RSS <image>: one is called per format. RSS: the largest square it allows (144 px),
    # titled and linked as the channel is, as RSS 2.0 asks. Atom: a small icon, a big logo.
    if fmt == "rss":
        fg.image(url=feed.icon(144), title=feed.title, link=feed.home, width="144",
                 height="144")
    else:
        fg.icon(feed.icon(64))
        fg.logo(feed.icon(512))
    fg.ttl(TTL_MINUTES)
    fg.updated(feed.updated)  # Atom <updated> and RSS <lastBuildDate>; else "now"
    fg.pubDate(feed.updated)
    for item in feed.items:  # newest first, kept in that order
        _entry(fg, feed, item)
    return fg


def _entry(fg: FeedGenerator, feed: Feed, item: Item) -> None:
    fe = fg.add_entry(order="append")
    fe.guid(item.id, permalink=True)  # RSS <guid isPermaLink="true"> and Atom <id>
    fe.title(item.title)
    links = [{"href": item.url, "rel": "alternate", "type": "text/html"}]
    if item.related:
        links.append({"href": item.related[0], "rel": "related", "type": "text/html",
                      "title": item.related[1]})
    fe.link([dict(link) for link in links])  # the RSS <link> is the alternate one
    fe.register_extension("atomlinks", _AtomEntryLinks, atom=True, rss=False)
    fe.atomlinks.links = links
    fe.content(item.content_html, type="html")  # RSS content:encoded, Atom content
    # RSS readers read <description> as HTML, so plain text is escaped once for them.
    fe.summary(html.escape(item.summary, quote=False), type="html")
    fe.published(item.published)
    fe.updated(item.updated)
    fe.author({"name": item.author})  # Atom only: RSS would need an e-mail address
    fe.dc.dc_creator(item.author)
    if item.topics:
        fe.category([{"term": t.id, "label": t.title_in(feed.lang), "scheme": feed.topic_scheme}
                     for t in item.topics])


def render_rss(feed: Feed) -> bytes:
    body: bytes = _generator(feed, "rss", RSS_TYPE).rss_str(pretty=False, encoding="UTF-8")
    return body


def render_atom(feed: Feed) -> bytes:
    body: bytes = _generator(feed, "atom", ATOM_TYPE).atom_str(pretty=False, encoding="UTF-8")
    return body
