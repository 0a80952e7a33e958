"""The ``Recommender`` protocol every system implements, and the registry of systems.

A recommender takes a dialogue state and returns ranked catalog ids with explanations.
The evaluation harness and the app only talk to this interface, so systems
(``popularity``, ``retrieval``, ``base``, ``full``) are interchangeable.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol

from convrec.state import DialogueState


@dataclass
class Recommendation:
    item_ids: list[str]  # ranked catalog ids, best first; never an id outside the catalog
    explanations: dict[str, str] = field(default_factory=dict)  # item id -> "why"
    text: str = ""  # the reply shown to the user


class Recommender(Protocol):
    name: str

    def recommend(self, state: DialogueState, k: int = 10) -> Recommendation: ...


# name -> factory(context) -> Recommender. The context carries shared heavy objects
# (catalog, index, signals, model), built once by the caller.
REGISTRY: dict[str, Callable[..., Recommender]] = {}


def register(name: str):
    def deco(factory):
        REGISTRY[name] = factory
        return factory

    return deco
