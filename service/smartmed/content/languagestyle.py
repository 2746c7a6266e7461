"""House style and safe-messaging words, one table per language.

tipstyle.py, safemessaging.py and evidence.py apply the same rules in every language;
what differs (the quotation marks, what starts a sentence, spellings, the words that
assume a car or a partner, the words for suicide, methods and absolute reassurance) is
here, a ``Language`` per code. A language site.yaml serves needs an entry: without one,
nothing could tell that a text in it names suicide (siteconfig.py refuses it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_I = re.IGNORECASE
# Latin capitals, accented ones included (Á É Í Ó Ú Ñ Ä Ö Ü …): what starts a sentence.
CAPITALS = "A-ZÀ-ÖØ-Þ"
# A sentence ends at . ! ? or …, maybe followed by a closing quotation mark.
_END = r"(?:(?<=[.!?…])|(?<=[.!?…][»“”’'\"]))\s+"


# The characters Python's case-insensitive matching equates with a Latin letter that their
# str.lower() does not give (İ and ı with i, ſ with s); tests/content/test_languagestyle.py
# finds them among all of Unicode. A text holding one is always scanned in full.
CASE_ODDITIES = ("İ", "ı", "ſ")


@dataclass(frozen=True)
class Words:
    """A pattern, and words (in lower case) of which each of its matches holds one.

    Python's ``re`` tries a long alternation at every position of a text, some 50 ns a
    character: scanning an 800-word article with the four rules below took 1-2 ms. Most
    texts hold none of the anchor words, which ``in`` finds in microseconds: only texts
    that hold one are scanned. tests/content/test_languagestyle.py checks, with matches
    generated from each pattern, that every match holds an anchor.
    """

    pattern: re.Pattern[str]
    anchors: tuple[str, ...]

    def may_match(self, text: str) -> bool:
        if any(odd in text for odd in CASE_ODDITIES):
            return True
        lowered = text.lower()
        return any(anchor in lowered for anchor in self.anchors)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self.may_match(text) else iter(())

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.may_match(text) else None


def _words(pattern: str, flags: int, *anchors: str) -> Words:
    return Words(re.compile(pattern, flags), anchors)


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in English, for messages
    # The house quotation marks, as a reader would write them ('like this'), and the
    # marks that break that style.
    quotes_example: str
    wrong_quotes: Words
    # A sentence boundary: the end, then a capital or an opening mark (¿ ¡ „ « …).
    sentence_end: re.Pattern[str]
    # Spellings that are not the house variety (UK English); None: no such rule.
    spellings: re.Pattern[str] | None
    spelling_hint: str
    # What not every reader has (a car, a garden, money to spend, a partner), and the
    # words that offer an alternative in the same tip ('or', 'if').
    assumes: re.Pattern[str]
    alternative: re.Pattern[str]
    # The sleep article: after about twenty minutes awake, get up.
    lying_awake_is_rest: re.Pattern[str]
    # Safe messaging: naming suicide or self-harm; methods or means; absolute reassurance.
    mention: Words
    method: re.Pattern[str]
    reassurance: Words
    # An appeal to evidence that names none ("research suggests").
    vague_evidence: Words


def _sentence_end(openers: str) -> re.Pattern[str]:
    return re.compile(_END + f"(?=[{CAPITALS}{openers}])")


ENGLISH = Language(
    code="en", name="English",
    quotes_example="single quotes ('like this')",
    wrong_quotes=_words(r"[\"“”]", 0, '"', "“", "”"),
    sentence_end=_sentence_end("'‘\"“"),
    spellings=re.compile(
        r"\b(?:colors?|colored|favorite\w*|behavior\w*|neighbor\w*|center(?:s|ed)?|"
        r"gray|mom|practicing|practiced|realiz\w+|organiz\w+|apologiz\w+|recogniz\w+|"
        r"analyz\w+|cozy|pajamas|toward|fiber|traveling|canceled|program(?!me)s?)\b", _I),
    spelling_hint="is US spelling; write UK English",
    assumes=re.compile(
        r"\b(?:car|garden|gym membership|buy|buying|purchase|treat yourself to|partner|"
        r"spouse|husband|wife)\b", _I),
    alternative=re.compile(r"\bor\b|\bif\b", _I),
    lying_awake_is_rest=re.compile(
        r"(?:lying|lie|resting)\b[^.]{0,60}\b(?:still does you good|is (?:just )?as good as "
        r"sleep|counts as rest)"
        # ... or makes getting up sound optional ('leaving the bed for a while is fine')
        r"|\b(?:leav\w*|get\w*)\s+(?:up\s+|out\s+of\s+)?(?:the\s+|your\s+)?bed\b[^.]{0,40}"
        r"\b(?:is fine|is optional|if you like)", _I),
    mention=_words(
        r"\b(?:suicid\w*|self[- ]?harm\w*|self[- ]injur\w*|kill(?:s|ing)? (?:yourself|myself|"
        r"themselves|himself|herself)|(?:end|ending|take|taking) (?:your|my|their|his|her) "
        r"own life)\b", _I,
        "suicid", "harm", "injur", "kill", "own life"),
    method=re.compile(
        r"\b(?:methods?|means|how to|overdos\w*|pills?|tablets?|hang(?:ing|ed)?|rope|"
        r"ligature|jump(?:ing|ed)?|bridges?|cliffs?|poison\w*|guns?|firearms?|shoot\w*|knife|"
        r"knives|blades?|razors?|cut(?:s|ting)?|lethal|dose|drown\w*|carbon monoxide)\b", _I),
    reassurance=_words(
        r"\b(?:harmless|nothing to worry about|never dangerous|not dangerous at all|"
        r"can(?:not|'t|’t) (?:hurt|harm) you|(?:completely|perfectly|totally) safe)\b", _I,
        "harm", "nothing to worry", "dangerous", "hurt you",
        "completely safe", "perfectly safe", "totally safe"),
    vague_evidence=_words(
        r"\b(?:research|studies|evidence|science)\s+(?:suggests?|shows?|has shown|have shown|"
        r"says|proves?)\b", _I,
        "suggest", "show", "says", "prove"),
)

SPANISH = Language(
    code="es", name="Spanish",
    quotes_example="comillas angulares («así»)",
    # Double quotes of any kind, or a single quote opening a quotation ('así').
    wrong_quotes=_words(r"[\"“”„]|(?:^|(?<=[\s(]))['‘](?=\w)", 0,
                        '"', "“", "”", "„", "'", "‘"),
    sentence_end=_sentence_end("¿¡«'‘\"“"),
    spellings=None, spelling_hint="",
    assumes=re.compile(
        r"\b(?:coches?|carro|jard[ií]n|jardines|huerto|gimnasio|compra(?:r|s|te)?|"
        r"c[oó]mprate|date el capricho|pareja|espos[oa]|marido)\b", _I),
    alternative=re.compile(r"\b(?:o|u|si|ni)\b", _I),
    lying_awake_is_rest=re.compile(
        r"(?:tumbad[oa]|acostad[oa]|en la cama)\b[^.]{0,60}(?:también (?:te )?descansa|"
        r"te sigue (?:haciendo bien|sentando bien)|es (?:igual de bueno|tan bueno) como dormir"
        r"|cuenta como descanso)", _I),
    mention=_words(
        r"\b(?:suicid\w*|autolesi\w*|quitar(?:se|te|me) la vida|"
        r"(?:acabar|terminar) con (?:tu|su|mi) (?:propia )?vida|"
        r"matar(?:se|te|me)|hacer(?:se|te|me) daño a (?:s[ií]|ti|m[ií]) mism[oa]s?)\b", _I,
        "suicid", "autolesi", "quitar", "acabar con", "terminar con", "matar", "daño a"),
    method=re.compile(
        r"\b(?:m[eé]todos?|medios para|c[oó]mo hacerlo|sobredosis|pastillas?|comprimidos?|"
        r"ahorc\w*|cuerdas?|saltar|puentes?|acantilados?|venen\w*|envenen\w*|armas?|"
        r"pistolas?|escopetas?|disparo\w*|cuchill\w*|navajas?|hojas? de afeitar|"
        r"cort(?:e|es|ar|arse|arte|ándo(?:se|te|me)?)|letal\w*|dosis|ahog\w*|"
        r"mon[oó]xido de carbono)\b",
        _I),
    reassurance=_words(
        r"\b(?:inofensiv[oa]s?|no hay (?:nada )?(?:de )?qu[eé] preocuparse|"
        r"nunca (?:es|son) peligros[oa]s?|no (?:es|son) peligros[oa]s? en absoluto|"
        r"no (?:te )?puede(?:n)? hacer(?:te)? (?:ningún )?daño|"
        r"(?:es|son) (?:completamente|totalmente|perfectamente) segur[oa]s?)\b", _I,
        "inofensiv", "preocuparse", "peligros", "daño", "completamente segur",
        "totalmente segur", "perfectamente segur"),
    vague_evidence=_words(
        r"\b(?:la investigaci[oó]n|las investigaciones|los estudios|la evidencia|la ciencia)"
        r"\s+(?:sugiere|sugieren|muestra|muestran|ha demostrado|han demostrado|dice|dicen|"
        r"demuestra|demuestran|prueba|prueban)\b", _I,
        "sugiere", "muestra", "demostrado", "dice", "demuestra", "prueba"),
)

GERMAN = Language(
    code="de", name="German",
    quotes_example="deutsche Anführungszeichen („so“)",
    # Straight or English double quotes, guillemets, and “ where it opens a quotation
    # (the German closing “ follows the quoted word and is fine).
    wrong_quotes=_words(r"[\"”«»]|(?:^|(?<=[\s(]))“(?=\w)", 0,
                        '"', "”", "«", "»", "“"),
    sentence_end=_sentence_end("„»«'‘\"“"),
    spellings=None, spelling_hint="",
    assumes=re.compile(
        r"\b(?:autos?|gärten|garten|schrebergarten|fitnessstudio\w*|kauf\w*|gönn dir|"
        r"partner\w*|ehepartner\w*|ehemann|ehefrau)\b", _I),
    alternative=re.compile(r"\b(?:oder|wenn|falls)\b", _I),
    lying_awake_is_rest=re.compile(
        r"(?:liegen|im bett bleiben|liegenbleiben)\b[^.]{0,60}(?:tut (?:dir )?trotzdem gut|"
        r"ist (?:genauso|fast so) gut wie schlaf|zählt als erholung)", _I),
    mention=_words(
        r"\b(?:suizid\w*|selbstmord\w*|selbsttötung\w*|selbstverletz\w*|"
        r"(?:sich|dir|dich|mich|mir) (?:selbst )?das leben (?:zu )?nehmen|"
        r"(?:sich|dich|mich) (?:selbst )?(?:zu )?(?:umbringen|töten)|"
        r"(?:sich|dich|mich) selbst (?:zu )?verletzen)\b", _I,
        "suizid", "selbstmord", "selbsttötung", "verletz", "leben nehmen",
        "leben zu nehmen", "umbringen", "töten"),
    method=re.compile(
        r"\b(?:methoden?|mittel|wie man|überdosis|tabletten?|pillen?|erhäng\w*|aufhäng\w*|"
        r"stricks?|seil\w*|springen|sprung|brücken?|klippen?|gift\w*|vergift\w*|waffen?|"
        r"schusswaffen?|pistolen?|erschieß\w*|messer\w*|klingen?|rasierklingen?|"
        r"schneid\w*|ritzen|tödlich\w*|dosis|ertr[äi]nk\w*|kohlenmonoxid)\b", _I),
    reassurance=_words(
        r"\b(?:harmlos\w*|kein grund zur sorge|nie(?:mals)? gefährlich|"
        r"überhaupt nicht gefährlich|kann (?:dir|dich) nicht schaden|"
        r"(?:völlig|vollkommen|absolut|ganz) ungefährlich)\b", _I,
        "harmlos", "grund zur sorge", "gefährlich", "nicht schaden"),
    vague_evidence=_words(
        r"\b(?:die forschung|studien|die wissenschaft|die evidenz)\s+(?:zeigt|zeigen|"
        r"legt nahe|legen nahe|hat gezeigt|haben gezeigt|sagt|sagen|beweist|beweisen|belegt|"
        r"belegen)\b", _I,
        "zeig", "nahe", "sag", "beweis", "beleg"),
)

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (ENGLISH, SPANISH, GERMAN)}


def style(code: str) -> Language:
    """The table for ``code``; siteconfig.py refuses a language without one."""
    return LANGUAGES[code]
