"""Cache-Control: one table, named by kind of response.

nginx's cache and browsers both follow these. Lists and pages change when content reloads,
so they are kept minutes; a day's tip is kept an hour while that day is still running
somewhere on Earth, and a day once it has ended everywhere; files addressed by their digest
never change. Anything that depends on who asks, or that counts something, is never stored.
"""

from __future__ import annotations

CURRENT_SECONDS = 3600
LIST_SECONDS = 300

CACHE_CONTROL: dict[str, str] = {
    # a date that has ended everywhere: its tip never changes again
    "past": "public, max-age=86400",
    # a date that is still today somewhere
    "current": f"public, max-age={CURRENT_SECONDS}",
    # lists, article documents, pages, the latest widget script and its manifest
    "list": f"public, max-age={LIST_SECONDS}",
    # the OpenAPI document
    "schema": "public, max-age=3600",
    # the favicon, whose address has no digest
    "icon": "public, max-age=86400",
    # /tips/today: a redirect that moves with the site's calendar
    "redirect": "public, max-age=60",
    # static files and widget builds, addressed by their digest
    "immutable": "public, max-age=31536000, immutable",
    # errors, health, metrics, partner stats, anything personal or counted
    "never": "no-store",
}


def until(seconds_left: int, longest: int = CURRENT_SECONDS) -> str:
    """For answers that change at a midnight ``seconds_left`` away: kept until then, and
    never longer than ``longest``."""
    return f"public, max-age={min(longest, seconds_left)}"
