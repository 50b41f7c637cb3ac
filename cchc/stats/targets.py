"""Signed counting targets: the beacon names what it counts with a token in the page.

The token is signed, so a forged section or article cannot be counted and the beacon
needs no lookup to know the unit, the section and the article.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from django.core import signing

TOKEN_SALT = "cchc.stats.target"  # noqa: S105 - a signing namespace, not a secret
MAX_TOKEN_LENGTH = 200

_signer = signing.Signer(salt=TOKEN_SALT)


class Target(NamedTuple):
    unit_id: int
    section_id: int
    page_id: int  # the article, or the section page itself

    @property
    def is_article(self) -> bool:
        return self.page_id != self.section_id


def target_for_page(page) -> Target:
    """The counting target of a news page (any object with `stats_target()`)."""
    section = getattr(page, "__dict__", {}).get("section")
    if section is not None and section.pk != page.pk:
        # A topic or article whose section the page already holds: no query.
        article_id = page.pk if page._meta.model_name == "articlepage" else None
        unit_id = section.unit_id or getattr(page, "unit_id", 0)
        return Target(int(unit_id), int(section.pk), int(article_id or section.pk))
    unit_id, section_id, article_id = page.stats_target()
    return Target(int(unit_id), int(section_id), int(article_id or section_id))


def target_token(target: Target) -> str:
    return _signer.sign(f"{target.unit_id}.{target.section_id}.{target.page_id}")


def target_from_token(token: str) -> Target | None:
    """The target a token names, or None if it is malformed or forged."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return _target_from_token(token)


# A page's token is the same for every reader: checked once per process.
@functools.lru_cache(maxsize=4096)
def _target_from_token(token: str) -> Target | None:
    try:
        value = _signer.unsign(token)
    except signing.BadSignature:
        return None
    parts = value.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    target = Target(*(int(p) for p in parts))
    return target if min(target) > 0 else None
