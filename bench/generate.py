"""Write a large synthetic content directory for the scale benchmark (never for the library).

The text is assembled from a fixed vocabulary with a seeded random generator: it only has
to look like real articles to the loader (headings, lists, links, ~800 words).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORDS = tuple(
    """
    calm breath body mind sleep rest walk light morning evening habit notice gentle
    steady slow pause return attention kindness friend moment small step plan routine
    energy mood stress anxiety worry thought feeling space quiet movement stretch
    daylight tea journal list write reflect connect listen support care balance pace
    simple practice ease time
    """.split()  # noqa: SIM905 - a word list reads best as text
)
TOPICS = ["stress", "anxiety", "sleep", "mindfulness", "mood", "self-compassion",
          "relationships", "movement", "medication", "therapy"]


def sentence(rnd: random.Random) -> str:
    words = [rnd.choice(WORDS) for _ in range(rnd.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def paragraph(rnd: random.Random, sentences: int) -> str:
    return " ".join(sentence(rnd) for _ in range(sentences))


def body(rnd: random.Random, target_words: int = 800) -> str:
    parts: list[str] = []
    words = 0
    section = 0
    while words < target_words:
        section += 1
        parts.append(f"## Section {section}: {rnd.choice(WORDS)} and {rnd.choice(WORDS)}")
        text = paragraph(rnd, 4)
        parts.append(text + f" See [a related page](https://example.org/{rnd.choice(WORDS)}).")
        items = [f"- **{rnd.choice(WORDS)}**: {sentence(rnd)}" for _ in range(3)]
        parts.append("\n".join(items))
        words += len(text.split()) + sum(len(i.split()) for i in items) + 4
    return "\n\n".join(parts) + "\n"


def front_review(medical: bool) -> str:
    """Review fields the validator accepts: medicine articles need a medicines reviewer on
    a 6-month cycle (content/reviewers.yaml, copied beside them)."""
    if medical:
        return ("reviewed_by: pharmacist-reviewer\n"
                "last_reviewed: 2026-11-01\nnext_review: 2027-05-01\n")
    return ("reviewed_by: psychotherapist-reviewer\n"
            "last_reviewed: 2026-11-01\nnext_review: 2027-11-01\n")


def languages() -> list[str]:
    """The bundled site's languages, the default first (site.yaml is copied as it is)."""
    site = yaml.safe_load((ROOT / "content" / "site.yaml").read_text(encoding="utf-8"))
    default = site["default_lang"]
    return [default, *(lang for lang in site.get("languages", [default]) if lang != default)]


def generate(target: Path, articles: int, tips: int, seed: int = 7) -> Path:
    """``articles`` articles counted across the site's languages: each English original
    with its translations (translation_of), a language's share each; ``tips`` tips in
    every language's own library."""
    rnd = random.Random(seed)
    langs = languages()
    if target.exists():
        shutil.rmtree(target)
    (target / "articles").mkdir(parents=True)
    (target / "tips").mkdir()
    shutil.copy(ROOT / "content" / "site.yaml", target / "site.yaml")
    shutil.copy(ROOT / "content" / "partners.yaml", target / "partners.yaml")
    shutil.copy(ROOT / "content" / "reviewers.yaml", target / "reviewers.yaml")
    # site.yaml and partners.yaml name countries: their urgent-help files come along.
    shutil.copytree(ROOT / "content" / "help", target / "help")
    start = dt.date(2016, 1, 1)
    for n in range(articles):
        group, lang = divmod(n, len(langs))
        lang = langs[lang]
        original = f"article-{group:05d}"
        slug = original if lang == langs[0] else f"{lang}-{original}"
        folder = target / "articles" / ("" if lang == langs[0] else lang)
        folder.mkdir(exist_ok=True)
        published = start + dt.timedelta(days=group % 3650)
        topics = rnd.sample(TOPICS, 2)
        link = "" if lang == langs[0] else f"translation_of: {original}\n"
        (folder / f"{slug}.md").write_text(
            "---\n"
            f"title: Article {n} on {rnd.choice(WORDS)} and {rnd.choice(WORDS)}\n"
            f"topics: [{', '.join(topics)}]\n"
            f"lang: {lang}\n{link}author: Smart Meditation editorial team\n"
            + front_review("medication" in topics) +
            f"published: {published}\n"
            f"medical: {'true' if 'medication' in topics else 'false'}\n---\n\n" + body(rnd),
            encoding="utf-8",
        )
    for lang in langs:
        lines = []
        for n in range(tips):
            added = start + dt.timedelta(days=n)
            lines.append(f"- id: {lang}-tip-{n:05d}\n  text: \"{paragraph(rnd, 1)}\"\n"
                         f"  topic: {rnd.choice(TOPICS[:8])}\n  lang: {lang}\n"
                         f"  added: {added}\n  technique: technique-{n:05d}\n")
        folder = target / "tips" / ("" if lang == langs[0] else lang)
        folder.mkdir(exist_ok=True)
        for chunk in range(0, len(lines), 300):  # files stay under the size limit
            (folder / f"tips-{chunk // 300:03d}.yaml").write_text(
                "".join(lines[chunk : chunk + 300]), encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("target", type=Path)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--tips", type=int, default=3650)
    args = parser.parse_args()
    generate(args.target, args.articles, args.tips)


if __name__ == "__main__":
    main()
