"""The umlaut lint on German that nobody here wrote (issue #13): each category of false
flag and of miss that held-out text showed, with the real word lists."""

from __future__ import annotations

from typing import Any

import pytest

from lints.document import Document
from lints.engine import document_from_text
from lints.rules.umlaut import build

Found = list[tuple[str, str]]  # (flagged text, suggestion)


def flagged(text: str, kind: str = "text", **options: Any) -> Found:
    rule = build(options)
    if kind == "text":
        doc = Document("doc.txt", text, text, "text")
    else:
        doc = document_from_text("doc.md", text, "markdown")
    return [(text[f.start : f.end], f.suggestion or "") for f in rule.check(doc)]


# False flags: proper nouns, product names, loans.
NOT_FLAGGED = [
    "Der Vortrag von Jürgen Weiss beginnt um neun.",
    "Das Protokoll schrieb Herr Strasser gestern.",
    "Wir danken Frau Kaeser und Herrn Weiss für die Hilfe.",
    "Die Firma Kaeser liefert die Kompressoren.",
    "Die Strasser Werke bauen Maschinen.",
    "Vite unterstützt Sass und Less ohne weitere Plugins.",
    "Die Sass Datei wird übersetzt.",
    "An der Börse herrscht eine Hausse wie selten zuvor.",
    "Die Reise führte nach Oeste, einer Region in Portugal.",
    "Der Daemon läuft im Hintergrund und die Daemonen schlafen.",
    "Ein Vortrag von R. Guenther über Netze.",
    "Das sagte Thomas Mueller gestern.",
]


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_names_products_and_loans_are_not_flagged(text: str) -> None:
    assert flagged(text) == []


# Misses: each category of the issue, and the suggestion that must be made.
FLAGGED: list[tuple[str, Found]] = [
    # A capitalised word after a capitalised word that is a German word, not a given name.
    ("Das Thema Fluechtlinge beschäftigt uns.", [("Fluechtlinge", "Flüchtlinge")]),
    ("Bis Ende Maerz ist Zeit.", [("Maerz", "März")]),
    ("Bitte prüfen Sie Ihre Aenderungen.", [("Aenderungen", "Änderungen")]),
    ("Ihre Aenderungen werden gespeichert.", [("Aenderungen", "Änderungen")]),
    # A long or noun-shaped token is no surname, even after an unknown capitalised word.
    ("So holt John Jessicas Aenderungen ab.", [("Aenderungen", "Änderungen")]),
    ("Wie Vite Abhaengigkeiten behandelt.", [("Abhaengigkeiten", "Abhängigkeiten")]),
    # Emphasis, strikethrough, the gender star and colon, also in plain text.
    ("Das gilt **waehrend** der Sitzung.", [("waehrend", "während")]),
    ("Das gilt _waehrend_ der Sitzung.", [("waehrend", "während")]),
    ("Das gilt ~~waehrend~~ der Sitzung.", [("waehrend", "während")]),
    ("Alle Kaeufer*innen erhalten eine Mail.", [("Kaeufer", "Käufer")]),
    ("Alle Kaeufer:innen erhalten eine Mail.", [("Kaeufer", "Käufer")]),
    ("Alle Kaeufer_innen erhalten eine Mail.", [("Kaeufer", "Käufer")]),
    # Acronyms.
    (
        "Die OEVP und die SPOE streiten, die OEBB streikt.",
        [
            ("OEVP", "ÖVP"),
            ("SPOE", "SPÖ"),
            ("OEBB", "ÖBB"),
        ],
    ),
    # z. B. and d. h. are no initials.
    ("Das sind z. B. Aenderungen am Code.", [("Aenderungen", "Änderungen")]),
    ("Das sind z.B. Aenderungen am Code.", [("Aenderungen", "Änderungen")]),
    ("Das sind d. h. Aenderungen am Code.", [("Aenderungen", "Änderungen")]),
    # Words that are also English (or English with a German ending) among German words.
    ("Wir fahren in den Sueden und an die Boerse.", [("Sueden", "Süden"), ("Boerse", "Börse")]),
    ("Im Sueden ist es warm.", [("Sueden", "Süden")]),
    ("Die Datei ist gross und der Fuss schmerzt.", [("gross", "groß"), ("Fuss", "Fuß")]),
    # ge + ü and compounds whose first part ends in -e.
    ("Der Beruf wird ausgeuebt.", [("ausgeuebt", "ausgeübt")]),
    ("Das ist geraeteuebergreifend gelöst.", [("geraeteuebergreifend", "geräteübergreifend")]),
    ("Das wurde geuebt.", [("geuebt", "geübt")]),
    # Suggestions: a correct ss stays, and ß is restored where it belongs.
    ("Die Gefaengnisinsassen warten.", [("Gefaengnisinsassen", "Gefängnisinsassen")]),
    ("Das ist muessig.", [("muessig", "müßig")]),
    ("Die Gefaesse sind maessig voll.", [("Gefaesse", "Gefäße"), ("maessig", "mäßig")]),
]


@pytest.mark.parametrize(("text", "expected"), FLAGGED)
def test_the_categories_of_misses_are_found(text: str, expected: Found) -> None:
    assert flagged(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Das gilt **waehrend** der Sitzung.\n", [("waehrend", "während")]),
        (
            "Alle Kaeufer*innen erhalten ~~fuer~~ immer Post.\n",
            [
                ("Kaeufer", "Käufer"),
                ("fuer", "für"),
            ],
        ),
    ],
)
def test_emphasis_and_gender_star_in_markdown(text: str, expected: Found) -> None:
    assert flagged(text, kind="markdown") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Siehe foo_aenderung_bar und bar_fuer.",
        "Die Datei *.fuer_x bleibt.",
        "Ein Pfad wie ~/aenderung/ bleibt.",
        "Die neue Steuer ist teuer, der brandneue Wagen auch.",
    ],
)
def test_identifiers_and_eu_words_stay_unflagged(text: str) -> None:
    assert flagged(text) == []


def test_english_neighbours_keep_an_english_word_english() -> None:
    assert flagged("The gross margin and the suede shoes.") == []
    assert flagged("Mass Storage und Boerse") == [("Boerse", "Börse")]


def test_a_surname_in_capitals_keeps_its_ss() -> None:
    assert flagged("JÜRGEN WEISS UND DIE STRASSE") == []


NAMES_ONLY = "lint:\n  identity:\n    names: [GitHub]\n"
ENGLISH_DOC = "# Styles\n\nThe build compiles Sass to CSS, and the Groesse field is the size.\n"
GERMAN_DOC = "# Stile\n\nDer Build übersetzt die Dateien, und das ist fuer alle gleich.\n"


def test_only_umlaut_without_a_section_checks_only_german_paragraphs(
    build_tree: Any, run_cli: Any
) -> None:
    root = build_tree({"rulesync.yaml": NAMES_ONLY, "en.md": ENGLISH_DOC, "de.md": GERMAN_DOC})
    english = run_cli("-C", root, "lint", "--only", "umlaut", "en.md")
    assert (english.exit_code, english.stdout) == (0, "")
    german = run_cli("-C", root, "lint", "--only", "umlaut", "de.md")
    assert german.exit_code == 1
    assert german.stdout == (
        'de.md:3:46: umlaut: write "für", not "fuer": ASCII transliteration of an umlaut'
        " or ß (für)\n"
    )


def test_a_section_without_lang_still_means_standard_german(build_tree: Any, run_cli: Any) -> None:
    config = NAMES_ONLY + "  umlaut: {}\n"
    root = build_tree({"rulesync.yaml": config, "en.md": ENGLISH_DOC})
    result = run_cli("-C", root, "lint", "--only", "umlaut", "en.md")
    assert result.exit_code == 1
    assert result.stdout.startswith('en.md:3:41: umlaut: write "Größe", not "Groesse"')
    assert "Sass" not in result.stdout


def test_a_transliterated_neighbour_counts_as_german() -> None:
    assert flagged("Wenn die Abhaengigkeit gross ist.") == [
        ("Abhaengigkeit", "Abhängigkeit"),
        ("gross", "groß"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ich weiss es nicht.", [("weiss", "weiß")]),
        ("Die Strasse ist lang.", [("Strasse", "Straße")]),
        ("Das Wasser ist heiss.", [("heiss", "heiß")]),
        ("Die Insassen sind ruhig.", []),
    ],
)
def test_ordinary_words_beside_the_names_are_still_judged(text: str, expected: Found) -> None:
    assert flagged(text) == expected
