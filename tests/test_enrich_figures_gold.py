"""Key figures against the seed gold, scored as the annotation rules suggest: a figure
matches a gold entry when number (to one decimal) and unit agree and its sentence is the
gold sentence or one of its also_in; further matches of an already matched figure are
neither hits nor false positives."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from childfirst_site.enrich.figures import extract_figures
from childfirst_site.model import Figure
from childfirst_site.sources.metadata import Metadata
from childfirst_site.sources.raw_post import read_raw_post
from conftest import GOLD


def norm(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Score:
    hits: int = 0
    false_positives: int = 0
    misses: int = 0
    wrong_qualifier: int = 0

    @property
    def precision(self) -> float:
        return self.hits / (self.hits + self.false_positives) if self.hits + self.false_positives else 1.0

    @property
    def recall(self) -> float:
        return self.hits / (self.hits + self.misses) if self.hits + self.misses else 1.0

    def add(self, other: "Score") -> None:
        self.hits += other.hits
        self.false_positives += other.false_positives
        self.misses += other.misses
        self.wrong_qualifier += other.wrong_qualifier


def score(figures: list[Figure], gold: list[dict]) -> Score:
    result = Score()
    matched: set[int] = set()
    for figure in figures:
        sentences = {norm(figure.sentence), *(norm(s) for s in figure.also_in)}
        candidates = [i for i, g in enumerate(gold)
                      if round(float(g["number"]), 1) == round(float(figure.number), 1) and g["unit"] == figure.unit
                      and sentences & {norm(g["sentence"]), *(norm(s) for s in g.get("also_in", []))}]
        fresh = [i for i in candidates if i not in matched]
        if fresh:
            matched.add(fresh[0])
            result.hits += 1
            if gold[fresh[0]]["qualifier"] != figure.qualifier:
                result.wrong_qualifier += 1
        elif not candidates:
            result.false_positives += 1
    result.misses = len(gold) - len(matched)
    return result


def figures_of(path: Path) -> list[Figure]:
    # The date plays no part in extraction; a fixed one spares pages that name none.
    post = read_raw_post(path.read_text(encoding="utf-8"), path.name, Metadata(date=dt.date(2024, 1, 1)), [])
    return extract_figures(post)


GOLD_FILES = sorted(GOLD.glob("*.yaml"))


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=lambda p: p.stem)
def test_each_seed_matches_gold(gold_file):
    gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
    figures = figures_of(GOLD / gold["source"])
    result = score(figures, gold["stats"])
    assert (result.misses, result.false_positives, result.wrong_qualifier) == (0, 0, 0), \
        [(f.value, f.unit, f.sentence[:40]) for f in figures]
    values = {f.value for f in figures}
    for wrong in gold["not_stats"]:
        assert wrong["text"] not in values, wrong


def test_seed_precision_and_recall_are_one(capsys):
    total = Score()
    for gold_file in GOLD_FILES:
        gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
        total.add(score(figures_of(GOLD / gold["source"]), gold["stats"]))
    with capsys.disabled():
        print(f"\nkey figures on seed gold: precision {total.precision:.3f}, recall {total.recall:.3f} "
              f"({total.hits} hits, {total.false_positives} false positives, {total.misses} misses)")
    assert total.precision == 1.0 and total.recall == 1.0
