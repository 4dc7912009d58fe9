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
_ACRONYM = re.compile(r"\b[A-Z]{3,6}\b")


@functools.lru_cache(maxsize=16)
def entity_pattern(extra: tuple[str, ...] = ()) -> re.Pattern[str]:
    names = sorted({*KNOWN_ENTITIES, *extra}, key=len, reverse=True)
    # Anchored on a capital letter: the alternation is tried only where a name can start.
    return re.compile(r"\b(?=[A-Z])(?:%s)\b" % "|".join(re.escape(n).replace("'", "['’]") for n in names))


def post_entities(post: Post, text: str, pattern: re.Pattern[str]) -> set[str]:
    """Organisations and platforms named in `text` (the post's title, summary and body)."""
    found = {name.replace("’", "'") for name in set(pattern.findall(text))}
    found |= {a for a in set(_ACRONYM.findall(text)) if a not in _NOT_NAMES}
    found |= set(post.source_organisations)
    return found
