"""Counts in the singular or the plural, never "mesure(s)": the deck's and the report's sentences
(:func:`roadmap.exports.text.say`) and the tool converters' messages (:class:`Conversion`)."""

from __future__ import annotations

import re

import pytest

from roadmap.exports.text import _TEXT, say
from roadmap.importing.tools.common import Conversion

LAZY = re.compile(r"\w\((?:s|e|es|x)\)")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_export_sentence_has_a_lazy_plural(lang):
    assert [key for key, text in _TEXT[lang].items() if LAZY.search(text)] == []


@pytest.mark.parametrize(
    ("key", "count", "lang", "expected"),
    [
        ("why_red", 1, "fr", "1 risque reste au-dessus de son niveau cible en fin de plan : R1."),
        ("why_red", 2, "fr", "2 risques restent au-dessus de leur niveau cible en fin de plan : R1."),
        ("why_red", 1, "en", "1 risk stays above its target level at the end of the plan: R1."),
        ("why_red", 0, "en", "0 risks stay above their target level at the end of the plan: R1."),
        ("n_scheduled", 1, "fr", "1 mesure planifiée"),
        ("n_scheduled", 0, "fr", "0 mesure planifiée"),  # French: 0 takes the singular
        ("n_scheduled", 12, "en", "12 measures scheduled"),
        ("unblock", 1, "fr", "Débloquer 1 mesure, hors de portée quelle que soit la capacité :"),
        ("fig_deferred_detail", 3, "fr", "dont 3 bloquées"),
    ],
)
def test_an_export_sentence_agrees_with_its_count(key, count, lang, expected):
    assert say(key, count, lang, ids="R1", blocked=count) == expected


@pytest.mark.parametrize(
    ("count", "lang", "expected"),
    [
        ("1", "fr", "1 tâche récapitulative lue comme le domaine des tâches qu’elle regroupe : Lot A"),
        ("3", "fr", "3 tâches récapitulatives lues comme le domaine des tâches qu’elles regroupent : Lot A"),
        ("1", "en", "1 summary task read as the domain of the tasks under it: Lot A"),
        ("3", "en", "3 summary tasks read as the domain of the tasks under them: Lot A"),
    ],
)
def test_a_conversion_agrees_with_its_count(count, lang, expected):
    conversion = Conversion(
        "{count} summary task read as the domain of the tasks under it: {names}",
        (("count", count), ("names", "Lot A")),
        "{count} summary tasks read as the domain of the tasks under them: {names}",
    )
    assert conversion.text(lang) == expected
