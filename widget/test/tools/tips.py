"""Prints every tip of a content directory as JSON, as the service loads it (for sizing.test.mjs).

The browser test answers the widget's /v1/tips request with each of these tips in turn,
inside the service's real answer for today, to measure the card for every tip in the
library, in every language the library has.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from smartmed.content.loader import load


def main(root: str) -> None:
    library = load(Path(root), today=dt.date.today())
    tips = []
    for tip in library.tips:
        article = library.article(tip.article) if tip.article else None
        tips.append({"id": tip.id, "lang": tip.lang, "topic": tip.topic, "text": tip.text,
                     "article": article.title if article else None})
    json.dump(tips, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
