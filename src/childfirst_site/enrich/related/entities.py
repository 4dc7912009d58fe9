"""Named organisations and platforms in a post: shared ones say two stories are about the
same actors ("NSPCC", "Instagram", "Ofsted")."""
from __future__ import annotations

import functools
import re

from ...model import Post

# Names the sector's news turns on; site.yaml can add more (related.entities).
KNOWN_ENTITIES = (
    "NSPCC", "Ofsted", "Ofcom", "Childline", "Barnardo's", "Cafcass", "Action for Children", "The Children's Society",
    "Children's Commissioner", "Department for Education", "Home Office", "Local Government Association",
    "ADCS", "Association of Directors of Children's Services", "Youth Justice Board", "Europol", "YouGov",
    "Instagram", "Facebook", "WhatsApp", "Messenger", "Snapchat", "TikTok", "YouTube", "Twitter", "Discord",
    "Roblox", "Online Safety Bill", "Online Harms Bill", "Online Safety Act", "Child Safeguarding Practice Review Panel",
    "Early Intervention Foundation", "CELCIS", "EHRC", "Social Work England", "BASW",
)
# Capitals that are not organisations.
_NOT_NAMES = frozenset({"UK", "THE", "AND", "FOR", "CEO", "MP", "MPS", "PM", "BBC", "COVID", "II", "III"})
# Both patterns start with a capital, not with \b (checked just after it, looking back):
# a pattern that starts with a set of characters is searched for by skipping, in C, to the
# next one of them, and \b first had the whole pattern tried at every character of every
# post (41-45 µs a post each, against 13-16 µs, on the benchmark corpus).
_ACRONYM = re.compile(r"[A-Z](?<=\b[A-Z])[A-Z]{2,5}\b")   # \b[A-Z]{3,6}\b


@functools.lru_cache(maxsize=16)
def entity_pattern(extra: tuple[str, ...] = ()) -> re.Pattern[str]:
    """Any of the names, whole words, longest first; a curly apostrophe for a straight one.
    A name is found only where it starts with a capital A-Z (others never are)."""
    names = sorted({*KNOWN_ENTITIES, *extra}, key=len, reverse=True)
    return re.compile(r"(?:%s)\b" % "|".join(_starting_a_word(name) for name in names if "A" <= name[:1] <= "Z"))


def _starting_a_word(name: str) -> str:
    """`name` as a pattern that matches only at the start of a word (see _ACRONYM)."""
    rest = re.escape(name[1:]).replace("'", "['’]")
    return f"{name[0]}(?<=\\b{name[0]}){rest}"


def post_entities(post: Post, text: str, pattern: re.Pattern[str]) -> set[str]:
    """Organisations and platforms named in `text` (the post's title, summary and body)."""
    found = {name.replace("’", "'") for name in set(pattern.findall(text))}
    found |= {a for a in set(_ACRONYM.findall(text)) if a not in _NOT_NAMES}
    found |= set(post.source_organisations)
    return found
