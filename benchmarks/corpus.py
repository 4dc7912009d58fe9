"""A seeded synthetic corpus in the site's own shapes: posts of ~500 words with a
heading, a quote, a list of figures and a link, 1-3 topics each, clustered subjects,
named organisations, and a Zipf-like vocabulary. Same seed, same corpus."""
from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

from childfirst_site.model import Block, Post, PostKind
from childfirst_site.sources.blocks_html import blocks_to_html

TOPICS = ["online-safety", "policy-and-legislation", "child-protection", "rights-and-wellbeing",
          "social-work-practice", "education-and-send"]
ORGANISATIONS = ["NSPCC", "Ofsted", "Ofcom", "Barnardo's", "Cafcass", "Childline", "Instagram", "Snapchat",
                 "TikTok", "Department for Education", "Local Government Association", "Youth Justice Board"]
SYLLABLES = ["ka", "lo", "mi", "ren", "tas", "vel", "dor", "pin", "sul", "gra", "fen", "bor", "lim", "sto", "war",
             "quen", "hal", "mer", "tri", "ond"]


class Vocabulary:
    def __init__(self, rng: random.Random, size: int = 12_000, subjects: int = 300) -> None:
        seen: set[str] = set()
        words: list[str] = []
        while len(words) < size:
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
            if word not in seen:
                seen.add(word)
                words.append(word)
        self.common = words[:2_000]
        self.rare = words[2_000:]
        # Each subject has its own words, as stories about one subject share their terms.
        self.subjects = [rng.sample(self.rare, 25) for _ in range(subjects)]
        # Zipf-like weights for the common words.
        self.weights = [1.0 / (rank + 1) for rank in range(len(self.common))]

    def sentence(self, rng: random.Random, subject: list[str], length: int) -> str:
        words = []
        for _ in range(length):
            pool = subject if rng.random() < 0.25 else None
            words.append(rng.choice(pool) if pool else rng.choices(self.common, self.weights)[0])
        return " ".join(words).capitalize() + "."


def make_posts(count: int, seed: int = 1) -> list[Post]:
    rng = random.Random(seed)
    vocabulary = Vocabulary(rng)
    start = dt.date(2015, 1, 1)
    posts = []
    for i in range(count):
        subject_index = rng.randrange(len(vocabulary.subjects))
        subject = vocabulary.subjects[subject_index]
        topics = rng.sample(TOPICS, rng.randint(1, 3))
        organisations = rng.sample(ORGANISATIONS, rng.randint(0, 2))
        paragraphs = [vocabulary.sentence(rng, subject, rng.randint(14, 26)) + " "
                      + vocabulary.sentence(rng, subject, rng.randint(10, 20)) for _ in range(9)]
        paragraphs[1] += f" {' and '.join(organisations)} said so." if organisations else ""
        figures = [f"{rng.randint(2, 95)}% of {vocabulary.sentence(rng, subject, 6).lower()}" for _ in range(3)]
        blocks = [Block("paragraph", (p,)) for p in paragraphs[:4]]
        blocks += [Block("subheading", (vocabulary.sentence(rng, subject, 4).rstrip("."),)),
                   Block("quote", (f"“{vocabulary.sentence(rng, subject, 18)}” said a spokesperson.",), speaker=None),
                   Block("list", tuple(figures))]
        blocks += [Block("paragraph", (p,)) for p in paragraphs[4:]]
        title = vocabulary.sentence(rng, subject, rng.randint(6, 10)).rstrip(".")
        posts.append(Post(
            source=f"posts/{i:05d}.md", kind=PostKind.ARTICLE, title=title, slug=f"post-{i:05d}",
            date=start + dt.timedelta(days=rng.randrange(3650)), summary=paragraphs[0], blocks=blocks,
            body_html=blocks_to_html(blocks), topics=topics, source_organisations=organisations,
        ))
    return posts


def write_corpus(folder: Path, count: int, seed: int = 1) -> None:
    """The same corpus as Markdown posts with front matter, for whole-site benchmarks."""
    folder.mkdir(parents=True, exist_ok=True)
    for post in make_posts(count, seed):
        body = []
        for block in post.blocks:
            if block.kind == "paragraph":
                body.append(block.lines[0])
            elif block.kind == "subheading":
                body.append(f"## {block.lines[0]}")
            elif block.kind == "quote":
                body.append(f"> {block.lines[0]}")
            else:
                body.append("\n".join(f"- {item}" for item in block.lines))
        body.append("Read more [on our about page](/about/).")
        (folder / f"{post.slug}.md").write_text(
            f"---\ntitle: \"{post.title}\"\ndate: {post.date.isoformat()}\ntopics: [{', '.join(post.topics)}]\n"
            f"source_organisations: [{', '.join(post.source_organisations)}]\n---\n" + "\n\n".join(body) + "\n",
            encoding="utf-8")


def bench_site(root: Path, name: str, count: int, seed: int = 1) -> Path:
    """A whole site in .cache/bench/NAME-COUNT-SEED: the project's site.yaml and pages with
    the synthetic posts. Made once and reused: the corpus takes a while to generate."""
    folder = root / ".cache" / "bench" / f"{name}-{count}-{seed}"
    if not (folder / "content" / "posts").is_dir():
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "content").mkdir(parents=True)
        shutil.copy(root / "content" / "site.yaml", folder / "content" / "site.yaml")
        shutil.copytree(root / "content" / "pages", folder / "content" / "pages")
        write_corpus(folder / "content" / "posts", count, seed)
    return folder
