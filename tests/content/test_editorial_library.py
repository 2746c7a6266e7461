"""The real editorial library: size, spread and originality of the tips."""

import datetime as dt
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from smartmed.content.loader import load
from smartmed.content.model import Library
from smartmed.content.observances import RulePin
from smartmed.content.rotation import Rotations

CONTENT = Path(__file__).resolve().parents[2] / "content"

# What differs between the languages' editorial checks; the checks are the same.
@dataclass(frozen=True)
class Editorial:
    stopwords: frozenset[str]
    medication: re.Pattern[str]  # medication advice, diagnosis or a promised cure
    red_flags: re.Pattern[str]  # symptoms the articles send to a doctor
    points_to_care: re.Pattern[str]
    dizziness: re.Pattern[str]  # the stress article's caveat for paced breathing
    professional_help: re.Pattern[str]  # what an article's last paragraph points to


EDITORIAL = {
    "en": Editorial(
        stopwords=frozenset("""
            a an the and or but if so of to in on at by for with from into onto over under
            about after before as is are was were be been being am do does did doing have
            has had having it its it's this that these those there here then than too very
            can could will would should may might must shall you your yours yourself i me my
            we us our they them their he she his her him not no nor only just also even up
            down out off again once all any each few more most other some such own same what
            which who whom when where why how let lets get gets one two
            """.split()),  # noqa: SIM905 - a word list reads best as text
        medication=re.compile(r"\b(mg|milligram|dose|dosage|pill|pills|tablet|prescription|"
                              r"medication|medicine|drug|drugs|cure|cures|diagnos\w*)\b", re.I),
        red_flags=re.compile(r"chest pain|in your chest|breathless|faint|snor", re.I),
        points_to_care=re.compile(r"\b(?:GP|doctor|medical help)\b"),
        dizziness=re.compile(r"dizz|light-headed|head swim", re.I),
        professional_help=re.compile(r"\b(GP|doctor|therapist|professional|crisis line)\b"),
    ),
    "es": Editorial(
        stopwords=frozenset("""
            a al algo ante como con cuando de del desde donde el en entre era es esa ese eso
            esta este esto estas estos fue ha hay la las le les lo los mas me mi muy nada ni
            no nos o para pero por que se si sin sobre su sus tambien te ti tu tus un una uno
            unos y ya yo puedes puede tu un vez cada solo
            """.split()),  # noqa: SIM905
        medication=re.compile(r"\b(mg|miligramos?|dosis|posología|pastillas?|comprimidos?|"
                              r"recetad\w*|con receta|medicaci[oó]n|medicamentos?|f[aá]rmacos?|"
                              r"drogas?|cura|curan|diagn[oó]stic\w*)\b", re.I),
        red_flags=re.compile(r"dolor (?:en el|de) pecho|en tu pecho|falta de aire|sin aliento|"
                             r"desmay|\bronc", re.I),
        points_to_care=re.compile(r"\b(?:m[eé]dic[oa]s?|centro de salud|urgencias|atenci[oó]n "
                                  r"m[eé]dica)\b", re.I),
        dizziness=re.compile(r"mare|aturd|la cabeza (?:te )?da vueltas", re.I),
        professional_help=re.compile(r"\b(m[eé]dic[oa]|terapeuta|profesional|psic[oó]log[oa]|"
                                     r"l[ií]nea de atenci[oó]n en crisis)\b", re.I),
    ),
    "de": Editorial(
        stopwords=frozenset("""
            ab aber als am an auch auf aus bei bin bis bist da dann das dass dein deine deinem
            deinen deiner dem den der des dich die dir doch du ein eine einem einen einer es
            für hat hast ich im in ist ja kann kannst mal man mit nach nicht noch nur ob oder
            sich sie so um und uns von vor was weil wenn wie wir zu zum zur über
            """.split()),  # noqa: SIM905
        medication=re.compile(r"\b(mg|milligramm|dosis|dosierung|pillen?|tabletten?|"
                              r"rezeptpflichtig\w*|verschreib\w*|medikament\w*|arznei\w*|"
                              r"drogen?|heilt|heilung|diagnos\w*)\b", re.I),
        red_flags=re.compile(r"brustschmerz|schmerzen in der brust|in der brust|atemnot|"
                             r"kurzatmig|ohnmacht|ohnmächtig|schnarch", re.I),
        points_to_care=re.compile(r"\b(?:arzt|ärztin|ärzte\w*|ärztlich\w*|hausarzt\w*|hausärzt\w*|notruf|"
                                  r"medizinische\w* hilfe)\b", re.I),
        dizziness=re.compile(r"schwindel|benommen", re.I),
        professional_help=re.compile(r"\b(hausärztin|hausarzt|ärztin|arzt|psychotherapeut\w*|"
                                     r"fachperson|krisentelefon)\b", re.I),
    ),
}
LANGS = tuple(EDITORIAL)


def tips_folder(lang: str) -> Path:
    """tips/ holds the default language's tips, tips/<lang>/ each other language's."""
    return CONTENT / "tips" if lang == "en" else CONTENT / "tips" / lang


def articles_folder(lang: str) -> Path:
    return CONTENT / "articles" if lang == "en" else CONTENT / "articles" / lang


def load_tips(lang: str = "en") -> list[dict]:
    tips: list[dict] = []
    for path in sorted(tips_folder(lang).glob("*.yaml")):
        tips.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return tips


def words(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", text.lower().replace("’", "").replace("'", "")).split()


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def content_words(text: str, stopwords: frozenset[str]) -> set[str]:
    return {w for w in words(text) if w not in stopwords}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


@pytest.fixture(scope="module", params=LANGS)
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def tips(lang: str) -> list[dict]:
    return load_tips(lang)


@pytest.fixture(scope="module")
def library() -> Library:
    return load(CONTENT, today=dt.date(2026, 12, 1))


def test_every_tip_file_is_in_its_languages_folder(tips: list[dict], lang: str) -> None:
    assert tips and all(t.get("lang", "en") == lang for t in tips)


def test_library_holds_a_year_of_unpinned_tips(tips: list[dict]) -> None:
    unpinned = [t for t in tips if "date" not in t]
    assert len(unpinned) >= 366


def test_every_topic_has_at_least_thirty_tips(tips: list[dict]) -> None:
    counts = Counter(t["topic"] for t in tips)
    assert len(counts) >= 6
    assert min(counts.values()) >= 30, counts


def test_tips_are_short_plain_text(tips: list[dict]) -> None:
    for tip in tips:
        assert len(tip["text"]) <= 180, tip["id"]
        assert "<" not in tip["text"] and "http" not in tip["text"], tip["id"]


def test_no_two_tips_share_a_five_word_sequence(tips: list[dict]) -> None:
    seen: dict[tuple[str, ...], str] = {}
    clashes = []
    for tip in tips:
        for gram in shingles(tip["text"]):
            if gram in seen and seen[gram] != tip["id"]:
                clashes.append((seen[gram], tip["id"], " ".join(gram)))
            seen.setdefault(gram, tip["id"])
    assert not clashes, clashes[:20]


def test_no_two_tips_are_near_duplicates(tips: list[dict], lang: str) -> None:
    sets = [(t["id"], content_words(t["text"], EDITORIAL[lang].stopwords)) for t in tips]
    close = [
        (a, b, round(jaccard(sa, sb), 2))
        for (a, sa), (b, sb) in itertools.combinations(sets, 2)
        if jaccard(sa, sb) > 0.5
    ]
    assert not close, close[:20]


def test_at_least_a_third_of_tips_link_to_an_article(tips: list[dict], lang: str) -> None:
    linked = [t for t in tips if t.get("article")]
    assert len(linked) * 3 >= len(tips)
    slugs = {p.stem for p in articles_folder(lang).glob("*.md")}
    assert {t["article"] for t in linked} <= slugs


def test_tips_give_no_medication_advice_diagnosis_or_cure(tips: list[dict], lang: str) -> None:
    flagged = [t["id"] for t in tips if EDITORIAL[lang].medication.search(t["text"])]
    assert not flagged, flagged


# Symptoms that the grounding, stress, movement and sleep articles send to a doctor when
# new, different or persistent (chest pain, breathlessness, fainting, loud snoring).
def test_a_tip_naming_a_red_flag_symptom_also_points_to_medical_help(tips: list[dict],
                                                                     lang: str) -> None:
    """Never reassure absolutely about a physical symptom: a tip that names one says when
    to get it checked, as the articles do (a tip once called snoring 'not a sign of
    trouble'; another promised breathing eases 'that tight feeling in your chest')."""
    rules = EDITORIAL[lang]
    flagged = [t["id"] for t in tips
               if rules.red_flags.search(t["text"]) and not rules.points_to_care.search(t["text"])]
    assert not flagged, flagged


# Techniques that change the breath on purpose (pace, hold, extra air): the stress article
# tells readers to go back to normal breathing if they feel dizzy or light-headed.
PACED_BREATHING = frozenset({"long-out-breath", "box-breathing", "physiological-sigh",
                             "belly-breathing"})


def test_a_paced_breathing_tip_says_what_to_do_if_it_makes_you_dizzy(tips: list[dict],
                                                                     lang: str) -> None:
    """Four breathing tips once taught a paced breath without the stress article's caveat."""
    paced = [t for t in tips if t.get("technique") in PACED_BREATHING]
    assert len(paced) >= 4
    missing = [t["id"] for t in paced if not EDITORIAL[lang].dizziness.search(t["text"])]
    assert not missing, missing


def test_each_observance_pin_wins_its_day_in_every_rotation_it_belongs_to(
        library: Library) -> None:
    rotations = Rotations(library.tips)
    for lang in LANGS:
        pinned = [t for t in library.tips if t.pin is not None and t.lang == lang]
        assert len(pinned) >= 4, lang
        for tip in pinned:
            pin = tip.pin
            day = pin.day_in(2027) if isinstance(pin, RulePin) else \
                dt.date(pin.year or 2027, pin.month, pin.day)
            assert rotations.tip_for(tip.lang, None, day) == tip
            assert rotations.tip_for(tip.lang, tip.topic, day) == tip
            before = day - dt.timedelta(days=1)
            assert rotations.tip_for(tip.lang, None, before) != tip


@pytest.mark.parametrize("lang", LANGS)
def test_a_full_year_including_a_leap_day_shows_no_tip_twice(library: Library,
                                                             lang: str) -> None:
    rotations = Rotations(library.tips)
    start = dt.date(2028, 1, 1)  # 2028 is a leap year
    shown = [rotations.tip_for(lang, None, start + dt.timedelta(days=n)) for n in range(366)]
    assert all(t is not None and t.lang == lang for t in shown)
    assert len({t.id for t in shown if t}) == 366


@pytest.mark.parametrize("lang", LANGS)
def test_the_site_topic_list_is_exactly_what_the_content_uses(library: Library,
                                                              lang: str) -> None:
    articles = [a for a in library.articles if a.lang == lang]
    used = {t.topic for t in library.tips if t.lang == lang} | \
        {x for a in articles for x in a.topics}
    assert used == {t.id for t in library.site.topics}
    assert len(articles) >= 8
    assert len({x for a in articles for x in a.topics}) >= 5


def test_every_language_has_the_same_topics_help_texts_and_articles(library: Library) -> None:
    """What a reader sees around the content exists in each language: the topics' titles,
    the disclaimer, each tip library's review, every urgent-help text, and each article."""
    site = library.site
    assert site.languages == LANGS
    for topic in site.topics:
        assert set(topic.titles) == set(LANGS), topic.id
        assert len({topic.title_in(lang) for lang in ("en", "es")}) == 2 or topic.id in {
            "mindfulness"}, topic.id  # "Mindfulness" is the Spanish word too
    assert set(site.disclaimers) == set(site.tips_reviews) == set(LANGS)
    assert len(library.help) >= 6
    for country in library.help.values():
        assert set(country.name) == set(LANGS), country.code
        for service in country.services:
            for texts in (service.purpose, service.hours, service.cost):
                assert texts is None or set(texts) == set(LANGS), (country.code, service.name)
    originals = [a for a in library.articles if a.lang == "en"]
    for article in originals:
        assert set(library.versions(article)) == set(LANGS), article.slug
    assert all(a.translation_of for a in library.articles if a.lang != "en")


@pytest.mark.parametrize("lang", LANGS)
def test_articles_are_substantial_structured_and_end_pointing_to_help(library: Library,
                                                                      lang: str) -> None:
    articles = [a for a in library.articles if a.lang == lang]
    assert articles
    for article in articles:
        words = article.word_count
        assert 500 <= words <= 1200, (article.slug, words)
        assert "<h2>" in article.html and ("<ul>" in article.html or "<ol>" in article.html)
        assert article.summary, article.slug
        last_paragraph = article.html.rsplit("<p>", 1)[-1]
        assert EDITORIAL[lang].professional_help.search(last_paragraph), article.slug
        assert "team" in article.author


def test_articles_about_medication_or_treatment_are_marked_medical(library: Library) -> None:
    baclofen = library.article("can-baclofen-help-anxiety")
    assert baclofen is not None and baclofen.medical
    assert all(v.medical and v.sensitive == baclofen.sensitive
               for v in library.versions(baclofen).values())
    for article in library.articles:
        if "medication" in article.topics or "therapy" in article.topics:
            assert article.medical, article.slug
