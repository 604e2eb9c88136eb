"""Mentions: each in-article entity with its article and roles (a :class:`Member`), and the people
co-mentioned in the same articles, weighed against chance (the evidence used to merge names).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from storyline.link.people.names import PersonName
from storyline.link.people.roles import role_key
from storyline.link.people.tuning import COMENTION_SAMPLE, SURPRISE_CAP
from storyline.records import Entity


@dataclass(slots=True)
class Member:
    """One in-article entity being merged: its article, its roles as (role key, title), and
    for a person its parsed name (set when people are linked)."""

    article_id: str
    entity: Entity
    roles: tuple[tuple[str, str], ...] = ()  # (role key, title) for each role the entity has
    person: PersonName | None = None


def gather_members(entities: Iterable[tuple[str, Entity]]) -> list[Member]:
    """One member per (article_id, entity), in a fixed order whatever the input order."""
    role_keys: dict[str, str] = {}  # titles repeat a lot: fold each once per call
    members = []
    for article_id, entity in sorted(entities, key=lambda p: (p[0], p[1].id, p[1].name, p[1].type)):
        roles = []
        for role in entity.roles:
            title = role.title.strip()
            if title not in role_keys:
                role_keys[title] = role_key(title)
            if role_keys[title]:
                roles.append((role_keys[title], title))
        members.append(Member(article_id, entity, tuple(roles)))
    return members


@dataclass(slots=True, frozen=True)
class CorpusCounts:
    """In how many articles of the whole corpus each person (surname key) is mentioned, and how
    many articles mention anybody: what co-mentions are weighed against when only a part of
    the corpus is being merged (link/people/incremental.py)."""

    frequency: dict[str, int]
    articles: int


@dataclass(slots=True, frozen=True)
class Company:
    """Who a set of articles mentions: people (surname keys) -> articles, over ``articles``."""

    counts: Counter[str]
    articles: int


class Comentions:
    """Which people each article mentions (by surname key), and which of them keep a name's
    company more often than chance would."""

    def __init__(self, members: list[Member], people: list[int], corpus: CorpusCounts | None = None) -> None:
        self.by_article: dict[str, set[str]] = defaultdict(set)
        self.display: dict[str, str] = {}
        for i in people:
            name = members[i].person
            if name is not None and name.surname_key:
                self.by_article[members[i].article_id].add(name.surname_key)
                self.display.setdefault(name.surname_key, name.display.split()[-1])
        if corpus is None:  # the members are the whole corpus
            self.frequency = Counter(k for keys in self.by_article.values() for k in keys)
            self.total = max(len(self.by_article), 1)
        else:  # a part of it: chance is judged by the counts over the whole
            self.frequency = Counter(corpus.frequency)
            self.total = max(corpus.articles, 1)

    def company(self, articles: Iterable[str]) -> Company:
        sample = sorted(set(articles))[:COMENTION_SAMPLE]
        return Company(Counter(k for a in sample for k in self.by_article.get(a, ())), len(sample))

    def evidence(self, keys: Iterable[str], company: Company) -> tuple[float, str]:
        """How surprising the company's co-mentions of ``keys`` are: the total surprise, and
        the most telling people as text ("Jeffries 3/3, Schumer 2/3": in 3 of 3 articles...)."""
        found = []
        for key in keys:
            seen = company.counts.get(key, 0)
            expected = self.frequency[key] / self.total * company.articles
            if (score := surprise(seen, expected)) > 0:
                found.append((-score, self.display[key], seen))
        found.sort()
        text = ", ".join(f"{name} {seen}/{company.articles}" for _, name, seen in found[:5])
        return -sum(score for score, _, _ in found), text


def surprise(seen: int, expected: float) -> float:
    """-log10 of the chance of seeing something ``seen`` or more times where ``expected`` is
    the mean (Poisson), capped at SURPRISE_CAP; 0 when ``seen`` is not above the mean.

    The tail is bounded by its first term times the geometric series that dominates the rest.
    """
    if seen <= expected or seen == 0:
        return 0.0
    if expected <= 0:
        return SURPRISE_CAP
    log_first = -expected + seen * math.log(expected) - math.lgamma(seen + 1)
    log_tail = log_first - math.log(1 - expected / (seen + 1))
    return min(max(-log_tail / math.log(10), 0.0), SURPRISE_CAP)
