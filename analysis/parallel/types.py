"""The detector's result: a parallelism, its branches, frame and fillers."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Parallelism:
    """A parallel structure: its branches, their shared frame and what fills it.

    ``branches`` are ``(start, end)`` offsets into the analysed text, end
    exclusive, punctuation-trimmed. ``template`` keeps the shared anchor words
    and marks slots 〈A〉〈B〉…; ``fillers[i]`` lists what fills each slot in
    branch *i*. ``family`` groups the same frame across documents. ``level``
    is the nesting depth: 0 at top level and one more for each branch it lies
    inside.
    """

    kind: str                                   # phrase, clause, sentence, enumeration, heading
    branches: list[tuple[int, int]]
    template: str = ""
    fillers: list[list[str]] = field(default_factory=list)
    family: str = ""
    level: int = 0
    score: float = 0.0

    @property
    def start(self) -> int:
        return self.branches[0][0]

    @property
    def end(self) -> int:
        return self.branches[-1][1]

    def texts(self, text: str) -> list[str]:
        """The branch strings, in order."""
        return [text[s:e] for s, e in self.branches]
