"""The umlaut lint: ASCII transliterations in German text, and the words it must leave alone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from lints import lexicon
from lints.document import Document
from lints.errors import LintConfigError
from lints.rules.umlaut import build

Expected = list[tuple[int, int, str, str]]  # (line, col, flagged text, suggestion)


def findings(text: str, **options: Any) -> Expected:
    rule = build(options)
    doc = Document("doc.txt", text, text, "text")
    return [(f.line, f.col, text[f.start : f.end], f.suggestion or "") for f in rule.check(doc)]


FLAGGED: list[tuple[str, Expected]] = [
    ("Fuer die Kunden.", [(1, 1, "Fuer", "Für")]),
    ("Das ist fuer dich.", [(1, 9, "fuer", "für")]),
    ("FUER ALLE KUNDEN", [(1, 1, "FUER", "FÜR")]),
    ("Die Groesse der Strasse.", [(1, 5, "Groesse", "Größe"), (1, 17, "Strasse", "Straße")]),
    ("DIE GROESSE", [(1, 5, "GROESSE", "GRÖSSE")]),
    ("Wir muessen das aendern.", [(1, 5, "muessen", "müssen"), (1, 17, "aendern", "ändern")]),
    ("Ausserdem heisst es so.", [(1, 1, "Ausserdem", "Außerdem"), (1, 11, "heisst", "heißt")]),
    (
        "Die Uebersicht ist schliesslich da.",
        [(1, 5, "Uebersicht", "Übersicht"), (1, 20, "schliesslich", "schließlich")],
    ),
    ("Sie koennen das.", [(1, 5, "koennen", "können")]),
    (
        "Der Kundenaenderungsantrag liegt vor.",
        [(1, 5, "Kundenaenderungsantrag", "Kundenänderungsantrag")],
    ),
    ("Die Grossstadt lebt.", [(1, 5, "Grossstadt", "Großstadt")]),
    ("Das Angebot kommt von Mueller.", [(1, 23, "Mueller", "Müller")]),
    ("Erste Zeile\nund die zweite fuer dich", [(2, 16, "fuer", "für")]),
    ("Das Angebot gilt fuer fuenf Jahre.", [(1, 18, "fuer", "für"), (1, 23, "fuenf", "fünf")]),
    ("Wir nehmen sie auf-\nzubauen und fuegt sie ein.", [(2, 13, "fuegt", "fügt")]),
    ("Die neuen Geraete sind da.", [(1, 11, "Geraete", "Geräte")]),
]


@pytest.mark.parametrize(("text", "expected"), FLAGGED)
def test_transliterations_are_flagged_with_the_right_spelling(
    text: str, expected: Expected
) -> None:
    assert findings(text) == expected


LEGITIMATE = [
    "Israel",
    "Michael",
    "aktuell",
    "Quelle",
    "neue",
    "Feuer",
    "Mauer",
    "Poesie",
    "Duell",
    "Museum",
    "Aerodynamik",
    "Goethe",
    "Klasse",
    "Wasser",
    "aktuellen",
    "bauen",
    "aufzubauen",
    "Aussenden",
    "Zuerst",
]


@pytest.mark.parametrize("word", LEGITIMATE)
def test_words_spelt_with_the_pairs_are_not_flagged(word: str) -> None:
    assert findings(f"Wir sprechen heute über {word} und mehr.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Die Masse ist groß.",  # Masse / Maße
        "Die Busse fahren.",  # Busse / Buße
        "Die Massen kamen.",
    ],
)
def test_ambiguous_ss_pairs_are_not_flagged(text: str) -> None:
    assert findings(text) == []


@pytest.mark.parametrize("text", ["DIE STRASSE", "AUSSERDEM", "HEISST"])
def test_capital_ss_is_never_turned_into_sharp_s(text: str) -> None:
    assert findings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Der daemon läuft.",
        "Ein Daemonprozess startet.",
        "Die Daemonen laufen.",
        "Der gross margin steigt.",
        "Die mass storage ist voll.",
        "Wir fliegen nach Phoenix.",
        "Das doesn't passen.",
    ],
)
def test_english_words_in_german_text_are_skipped(text: str) -> None:
    assert findings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Siehe muenchen.de für mehr.",
        "Die Datei datei_fuer_x liegt hier.",
        "Der Wert fuer2 ist gesetzt.",
        "Rufe getGroesse auf.",
        "Der Pfad /etc/fuer/x existiert.",
        "Schreibe an fuer@example.org bitte.",
    ],
)
def test_identifiers_paths_and_addresses_are_not_prose(text: str) -> None:
    assert findings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Das schrieb von Gerald Schaefer im Jahr.",  # first name, then surname
        "Das schrieb Grant R. Guenther im Jahr.",  # initial, then surname
    ],
)
def test_surnames_after_a_first_name_or_initial_are_not_flagged(text: str) -> None:
    assert findings(text) == []


def test_identity_names_are_never_flagged() -> None:
    text = "Die Schaefer AG und Schaefers Angebot."
    assert findings(text) == [(1, 5, "Schaefer", "Schäfer"), (1, 21, "Schaefers", "Schäfers")]
    assert findings(text, identity_names=["Schaefer AG"]) == []


def test_allow_list_words_are_never_flagged_in_any_case() -> None:
    text = "Die Jaeger und JAEGER kommen."
    assert findings(text, allow=["jaeger"]) == []
    assert findings(text) == [(1, 5, "Jaeger", "Jäger"), (1, 16, "JAEGER", "JÄGER")]


def test_swiss_german_accepts_ss_and_checks_only_umlauts() -> None:
    text = "Die Strasse ist gross, die Groesse fuer Fussball auch."
    assert findings(text, lang="de-CH") == [
        (1, 28, "Groesse", "Grösse"),
        (1, 36, "fuer", "für"),
    ]


GERMAN_AND_ENGLISH = (
    "Dieses Angebot ist fuer unsere Kunden und gilt ab sofort.\n"
    "\n"
    "This offer was written by Mueller and is valid for all of our customers.\n"
    "\n"
    "Die Groesse wird spaeter festgelegt.\n"
)


def test_auto_checks_only_paragraphs_that_look_german() -> None:
    assert findings(GERMAN_AND_ENGLISH, lang="auto") == [
        (1, 20, "fuer", "für"),
        (5, 5, "Groesse", "Größe"),
        (5, 18, "spaeter", "später"),
    ]
    assert (3, 27, "Mueller", "Müller") in findings(GERMAN_AND_ENGLISH, lang="de")


def test_auto_judges_a_paragraph_without_telling_words_by_the_whole_document() -> None:
    english = "# Groesse\n\nThis document is written in English and it is about the size.\n"
    german = "# Groesse\n\nDieses Dokument ist auf Deutsch und es geht um die Größe.\n"
    assert findings(english, lang="auto") == []
    assert findings(german, lang="auto") == [(1, 3, "Groesse", "Größe")]


def test_findings_point_at_the_text_for_fix() -> None:
    text = "Das ist fuer dich."
    rule = build({})
    [finding] = rule.check(Document("a.md", text, text))
    assert (finding.rule, finding.path, finding.start, finding.end) == ("umlaut", "a.md", 8, 12)
    assert finding.message == 'write "für", not "fuer": ASCII transliteration of an umlaut or ß'
    assert finding.suggestion == "für"


def test_only_prose_is_checked() -> None:
    text = "Das ist `fuer` und fuer."
    prose = "Das ist        und fuer."
    rule = build({})
    assert [(f.col, f.suggestion) for f in rule.check(Document("a.md", text, prose))] == [
        (20, "für")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Nothing to see here.", False), ("Eine neue Quelle.", False), ("Das ist fuer dich.", True)],
)
def test_might_match_is_true_only_when_a_token_is_flagged(text: str, expected: bool) -> None:
    assert build({}).might_match(text, "markdown") is expected


BAD_OPTIONS: list[tuple[Mapping[str, Any], tuple[str | int, ...], str]] = [
    ({"lang": "fr"}, ("lang",), "`fr` is not a language: use de, de-CH or auto"),
    ({"allow": "Jaeger"}, ("allow",), "must be a list of words"),
    ({"allow": ["Jaeger", 3]}, ("allow", 1), "each entry must be a non-empty string"),
    ({"langs": "de"}, ("langs",), "unknown key `langs` (the umlaut lint knows `lang`, `allow`)"),
]


@pytest.mark.parametrize(("options", "key_path", "message"), BAD_OPTIONS)
def test_bad_options_name_the_key(
    options: Mapping[str, Any], key_path: tuple[str | int, ...], message: str
) -> None:
    with pytest.raises(LintConfigError) as raised:
        build(options)
    assert (raised.value.key_path, raised.value.message) == (key_path, message)


def test_options_may_be_absent() -> None:
    assert build({}).options.lang == "de"
    assert build({"lang": "auto", "allow": None}).options.allow == frozenset()


@pytest.mark.parametrize(
    "transliteration", ["fuer", "koennen", "mueller", "groesse", "strasse", "aenderung"]
)
def test_the_lexicon_does_not_contain_transliterations(transliteration: str) -> None:
    assert transliteration not in lexicon.german()


@pytest.mark.parametrize(
    "word", ["für", "können", "müller", "größe", "straße", "änderung", "neue", "klasse", "a", "zz"]
)
def test_the_lexicon_contains_the_real_words(word: str) -> None:
    expected = word not in ("a", "zz")
    assert (word in lexicon.german()) is expected


def test_the_english_list_skips_borrowed_words_but_not_german_loans() -> None:
    english = lexicon.english()
    assert {"daemon", "gross", "phoenix", "sued"} <= english
    assert not {"weiss", "fuehrer", "muesli"} & english


class FakeWords:
    """A small German word list for the word-level rules, independent of the lexicon."""

    def __init__(self, *words: str) -> None:
        self.words = frozenset(words)

    def __contains__(self, word: object, /) -> bool:
        return word in self.words

    def starting_with(self, prefix: str) -> frozenset[str]:
        return frozenset(w for w in self.words if w.startswith(prefix))


SPELLER_CASES: list[tuple[tuple[str, ...], str, str | None]] = [
    # (word list, token, suggestion)
    (("gefäße", "gefässe"), "Gefaesse", "Gefäße"),  # Swiss ss beside ß before a vowel
    (("mäßiges", "mässiges"), "maessiges", "mäßiges"),
    (("lässt", "läßt"), "laesst", "lässt"),  # ß before a consonant: old spelling, keep ss
    (("fährt",), "befaehrt", "befährt"),  # inseparable prefix
    (("gesprungen",), "uebersprungenem", "übersprungenem"),  # participle without ge
    (("löschten",), "verloeschten", "verlöschten"),
    (("zerreißen", "zerreißend"), "zerreiss", "zerreiß"),  # imperative: the bare stem
    (("zerreißen",), "zerreiss", None),  # no participle listed: not known to be a verb
    (("einfügen", "einfügend", "modus"), "Einfuegemodus", "Einfügemodus"),  # verb stem part
    (("einfügen", "modus"), "Einfuegemodus", None),
    (("störung", "rungen", "gewitter"), "Gewitterstoerung", "Gewitterstörung"),
    # A Swiss ss after a diphthong is flagged unless two words meet there.
    (("fließt", "fliesst"), "abfliesst", "abfließt"),
    (("meißelten", "meisselten", "selten"), "meisselten", "meißelten"),
    (("meißelten", "meisselten", "meis", "selten"), "meisselten", None),  # meis|selten
    (("reis", "suppe", "reissuppe", "reißuppe"), "Reissuppe", None),
    (("aus", "senden", "außen", "den"), "Aussenden", None),
    # Derivations: -ig/-isch/-lich and diminutives from nouns, -ität, feminines, superlatives.
    (("form", "sägezahn"), "saegezahnfoermige", "sägezahnförmige"),
    (("woche",), "woechige", "wöchige"),
    (("samt",), "saemtliche", "sämtliche"),
    (("karte",), "Kaertchens", "Kärtchens"),
    (("monoton",), "Monotonitaet", "Monotonität"),
    (("portabel",), "Portabilitaet", "Portabilität"),
    (("orthopäde",), "Orthopaedinnen", "Orthopädinnen"),
    (("groß",), "groesstes", "größtes"),
    (("düster",), "duestre", "düstre"),  # the e of düster drops before an ending
    (("röcheln",), "geroechelt", "geröchelt"),  # participle of an -eln verb
    (("zünden",), "entzuendetes", "entzündetes"),
    (("ecken", "entzücken"), "entzueckter", "entzückter"),  # not ent|zu|eck|ter
    # A noun less its final e leads a compound, when five letters or longer.
    (("adresse", "änderung"), "Adressaenderung", "Adressänderung"),
    (("zunge", "grad"), "Zungsgraed", None),
    # A compound that splits into fewer parts with an umlaut spelling is read that way.
    (
        ("wiederherstellung", "mass", "nahmen", "maßnahmen"),
        "Wiederherstellungsmassnahmen",
        "Wiederherstellungsmaßnahmen",
    ),
    (("wiederherstellung", "mass", "nahmen"), "Wiederherstellungsmassnahmen", None),
    (("masse", "maße", "verlust"), "Masseverlust", None),  # as many parts: ambiguous
]


@pytest.mark.parametrize(("words", "token", "expected"), SPELLER_CASES)
def test_speller_word_level_rules(words: tuple[str, ...], token: str, expected: str | None) -> None:
    from lints.rules._german import Speller

    assert Speller(FakeWords(*words)).suggest(token) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Datei ist gross.", [(1, 15, "gross", "groß")]),
        ("Gross- und Kleinschreibung", [(1, 1, "Gross", "Groß")]),
        ("Der Wind kommt aus Sued.", [(1, 20, "Sued", "Süd")]),
        ("Der gross margin steigt.", []),  # an English neighbour
        ("The gross national product.", []),
        ("Die Marge ist gross\n\nmargin", [(1, 15, "gross", "groß")]),  # not across paragraphs
        ("Gross\n", []),  # no neighbour at all: a heading, a name
        ("Der Daemon startet.", []),  # a German loan, not a transliteration
    ],
)
def test_gross_and_sued_are_german_among_german_words(text: str, expected: Expected) -> None:
    assert findings(text) == expected


def test_a_learned_part_leads_a_compound_but_never_ends_one() -> None:
    from lints.rules._german import Speller

    speller = Speller(FakeWords("würfel", "farbe"), parts=FakeWords("farb"))
    assert speller.suggest("Farbwuerfel") == "Farbwürfel"
    assert speller.suggest("Wuerfelfarb") is None
    assert Speller(FakeWords("würfel", "farbe")).suggest("Farbwuerfel") is None


def test_learned_parts_are_no_words_and_never_hold_a_pair() -> None:
    from lints.lexicon import GERMAN_PARTS

    with open(GERMAN_PARTS, encoding="utf-8") as handle:
        parts = handle.read().split()
    assert parts == sorted(parts)
    assert {"farb", "audio", "krypto", "puffer"} <= set(parts)
    assert not {"versch", "schl", "schm"} & set(parts)  # fragments of Verschreibung, Schlaf
    german = lexicon.german()
    assert [p for p in parts if p in german] == []
    assert [p for p in parts if any(pair in p for pair in ("ae", "oe", "ue", "ss"))] == []


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("Farbunterstuetzung", "Farbunterstützung"),  # farb: a learned part
        ("Kryptowaehrung", "Kryptowährung"),
        ("Audiogeraete", "Audiogeräte"),
        ("Datenverschluesselung", "Datenverschlüsselung"),
        ("Einbussen", "Einbußen"),  # not Einbus|sen: einbus is no word
        ("Ertragseinbusse", "Ertragseinbuße"),
        ("Busse", None),  # Bus|se beside Buße: ambiguous, never flagged
        ("Omnibusse", None),
        ("Fehlerumgehungsmassnahme", "Fehlerumgehungsmaßnahme"),  # not mass|nahme
        ("Gruss", "Gruß"),  # the lemma Gruß ends in ß: Gruss is Swiss
        ("Gefaess", "Gefäß"),
        ("Mutterschoss", "Mutterschoß"),
        ("Auslandspässe", None),  # Auslands|pässe beside Ausland|späße: never flagged
        ("Auslandspass", None),
        ("Messergebnis", None),
        ("Masseverlust", None),
    ],
)
def test_compounds_with_the_real_lexicon(token: str, expected: str | None) -> None:
    assert build({"lang": "de"}).speller.suggest(token) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Gefaesse sind voll.", [(1, 5, "Gefaesse", "Gefäße")]),
        ("Er befaehrt die Strecke.", [(1, 4, "befaehrt", "befährt")]),
    ],
)
def test_standard_spelling_is_suggested_with_the_real_lexicon(
    text: str, expected: Expected
) -> None:
    assert findings(text) == expected


def test_previous_word_read_backwards_is_the_forward_search() -> None:
    """`_previous_word` gives what PREVIOUS_WORD's forward search gives, on random windows
    of letters, numeric signs, dots, blanks and newlines."""
    import random
    import re

    from lints.rules.umlaut import PREVIOUS_WORD, _previous_word

    forward = re.compile(PREVIOUS_WORD)
    rng = random.Random(5)
    alphabet = ["a", "Z", "ü", "ß", "²", "3", "_", ".", " ", "\t", "\n", ",", "-"]
    matched = 0
    for _ in range(5000):
        window = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        expected = forward.search(window)
        got = _previous_word(window)
        if expected is None:
            assert got is None, repr(window)
        else:
            matched += 1
            assert got == (expected.group(1), expected.group(2), expected.start()), repr(window)
    assert matched > 300


def test_prefilter_of_a_long_file_asks_its_first_lines_then_the_whole() -> None:
    from lints.rules._prefixes import PREFIX_SIZES

    filler = "Die Anwendung liest ihre Einstellungen beim Start.\n" * (PREFIX_SIZES[-1] // 40)
    assert len(filler) > PREFIX_SIZES[-1]
    rule = build({})
    assert rule.might_match("Fuer den Start.\n" + filler) is True
    assert rule.might_match(filler + "Fuer das Ende.\n") is True
    assert rule.might_match(filler + filler) is False


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Die Groesse, fuer alle.", ["Groesse", "fuer"]),
        ("łGroesse und Groesseł und łaeł", ["łGroesse", "Groesseł", "łaeł"]),
        ("Zürich—Groesse „fuer“ 3fuer a_fuer _fuer **fuer**", ["Groesse", "fuer", "fuer", "fuer"]),
        ("sss AE aE Ue", ["sss", "AE", "Ue"]),
        ("ae", ["ae"]),
    ],
)
def test_candidates_are_the_words_with_a_pair_as_str_isalpha_reads_them(
    text: str, words: list[str]
) -> None:
    from lints.rules.umlaut import _candidates

    assert [text[start:end] for start, end in _candidates(text)] == words


def _candidates_one_by_one(text: str) -> list[tuple[int, int]]:
    """The words with a pair, found character by character: what `_candidates` must give."""
    from lints.rules.umlaut import PAIR_SPELLINGS, _opens_emphasis

    found: list[tuple[int, int]] = []
    last_end = -1
    for hit in range(len(text) - 1):
        if text[hit : hit + 2] not in PAIR_SPELLINGS or hit < last_end:
            continue
        start = hit
        while start and text[start - 1].isalpha():
            start -= 1
        last_end = hit + 2
        while last_end < len(text) and text[last_end].isalpha():
            last_end += 1
        before = text[start - 1] if start else " "
        if not (before.isalnum() or before == "_") or _opens_emphasis(text, start):
            found.append((start, last_end))
    return found


def test_candidates_match_a_scan_character_by_character_on_random_text() -> None:
    import random

    from lints.rules.umlaut import _candidates

    rng = random.Random(13)
    alphabet = "aeouAEOUsSßäx _*3²łΩ—\n.-"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert list(_candidates(text)) == _candidates_one_by_one(text), text


def test_prefixes_end_after_a_line_and_are_shorter_than_the_text() -> None:
    from lints.rules._prefixes import PREFIX_SIZES, prefixes

    line = "x" * 99 + "\n"
    text = line * (PREFIX_SIZES[-1] // 50)
    cuts = list(prefixes(text))
    assert [len(prefix) for prefix in cuts] == [(size // 100 + 1) * 100 for size in PREFIX_SIZES]
    assert all(text.startswith(prefix) and prefix.endswith("\n") for prefix in cuts)
    assert list(prefixes(line * 3)) == []
    assert list(prefixes("x" * (PREFIX_SIZES[-1] * 2))) == []  # no line end to cut at
