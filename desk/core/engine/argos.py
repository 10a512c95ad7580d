"""The Argos engine: an Argos package's CTranslate2 model, run over a whole story at once.

argostranslate's own path splits text with a sentence-boundary model and translates one
paragraph per call, in batches of 32 tokens (about one sentence). desk sends its own
segments instead, loads each model once per process, and keeps the package's tokenizer,
target prefix and decoding options, so a segment gets the same draft.

How the work is cut (measured on 2 cores, bench/README.md "Engine"):

- one CTranslate2 worker per CPU thread, each with one thread (`inter_threads` = threads,
  `intra_threads` = 1): two batches side by side beat one batch on two threads, and a
  segment alone never pays for OpenMP threads spinning while they wait for each other;
- the first segment goes alone, before any other, so its draft is ready after one
  segment's work on one thread; the rest are sent once it is back;
- the rest go in batches of at most `batch_tokens` source tokens, padding counted, cut
  from segments sorted by length (little padding) within windows taken in story order
  (the early segments are ready first). Memory is bounded by the token budget times the
  workers, whatever the length of the story;
- drafts are yielded in segment order, each as soon as it and those before it are ready.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from threading import Lock
from typing import Any

from desk.core.engine.base import Draft, EngineError, Provenance
from desk.core.engine.packages import PackageInfo

# Decoding options argostranslate uses for a package translation; kept identical so that
# a segment gets the same draft from desk as from argostranslate at the same beam size.
ARGOS_LENGTH_PENALTY = 0.2
DEFAULT_BEAM = 4
DEFAULT_BATCH_TOKENS = 256
"""Source tokens per batch (padding counted); bench/README.md "Engine" says why."""
WINDOW_BATCHES = 4
"""Batches of work per worker in one window of segments sorted by length."""
FIRST_ALONE = True
"""Send the first segment before any other, so no other batch slows it down (the bench
measures the alternative)."""


@dataclass(frozen=True)
class Settings:
    """How to run the model."""

    beam: int = DEFAULT_BEAM
    """Beam size; 1 is greedy decoding, the fast draft."""
    batch_tokens: int = DEFAULT_BATCH_TOKENS
    """Most source tokens in one CTranslate2 batch, padding counted (a longer segment goes
    alone): bounds the memory a draft takes."""
    threads: int = 0
    """CPU threads desk may use (0: as many as there are cores); each runs its own batch."""
    device: str = "cpu"

    @property
    def workers(self) -> int:
        """How many batches run side by side: one per thread."""
        return max(1, self.threads or os.cpu_count() or 1)


def plan_batches(lengths: Sequence[int], budget: int, window: int) -> list[list[int]]:
    """Indexes of `lengths` cut into batches: windows of about `window` tokens taken in
    order, each window sorted by length and cut so that a batch's count times its longest
    length stays within `budget` (a longer item goes alone). Every index appears once."""
    batches: list[list[int]] = []
    start = 0
    while start < len(lengths):
        end, total = start, 0
        while end < len(lengths) and (end == start or total + lengths[end] <= window):
            total += lengths[end]
            end += 1
        batch: list[int] = []
        longest = 0
        for i in sorted(range(start, end), key=lambda i: (lengths[i], i)):
            size = max(1, lengths[i])
            if batch and (len(batch) + 1) * max(longest, size) > budget:
                batches.append(batch)
                batch, longest = [], 0
            batch.append(i)
            longest = max(longest, size)
        batches.append(batch)
        start = end
    return batches


class _Loaded:
    """A package's model and tokenizer, loaded once per process."""

    def __init__(self, package: PackageInfo, settings: Settings) -> None:
        import ctranslate2
        from argostranslate.tokenizer import BPETokenizer, SentencePieceTokenizer

        try:
            self.translator = ctranslate2.Translator(
                str(package.path / "model"),
                device=settings.device,
                inter_threads=settings.workers,
                intra_threads=1,
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"{package.path}: cannot load the model ({exc})") from None
        self.tokenizer: Any
        try:
            # argostranslate loads a tokenizer at its first use; load it here, so that a
            # broken one is an engine error before any segment is sent.
            if package.tokenizer == "sentencepiece":
                self.tokenizer = SentencePieceTokenizer(package.path / "sentencepiece.model")
                self.tokenizer.lazy_processor()
            else:
                self.tokenizer = BPETokenizer(
                    package.path / "bpe.model", package.from_code, package.to_code
                )
                self.tokenizer.lazy_load()
        except (RuntimeError, ValueError, OSError, ImportError) as exc:
            raise EngineError(
                f"{package.path}: cannot load the {package.tokenizer} tokenizer ({exc})"
            ) from None


_CACHE: dict[tuple[Path, str, int], _Loaded] = {}
_CACHE_LOCK = Lock()


def _load(package: PackageInfo, settings: Settings) -> _Loaded:
    """The loaded model for a package, from the per-process cache."""
    key = (package.path, settings.device, settings.workers)
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE[key] = _Loaded(package, settings)
        return _CACHE[key]


class ArgosEngine:
    """Drafts with an installed Argos package through CTranslate2."""

    name = "argos"

    def __init__(self, package: PackageInfo, settings: Settings, clock: Callable[[], str]) -> None:
        """Use `package` with `settings`; `clock` stamps each draft."""
        self.package = package
        self.settings = settings
        self.clock = clock

    def describe(self) -> str:
        """Which package, and whether it is the demo model."""
        return f"argos: {self.provenance().model} ({self.package.path})"

    def provenance(self) -> Provenance:
        """Provenance of drafts made now."""
        return Provenance(
            engine=self.name,
            package=self.package.name,
            version=self.package.version,
            demo=self.package.demo,
            options={"beam": self.settings.beam, "length_penalty": ARGOS_LENGTH_PENALTY},
            at=self.clock(),
        )

    def batches(self, encoded: Sequence[Sequence[str]]) -> list[list[int]]:
        """How `translate` cuts segments (their tokens) into model calls, in the order it
        sends them: the first segment alone, then token-bounded batches of the rest."""
        if not encoded:
            return []
        budget = max(1, self.settings.batch_tokens)
        window = budget * self.settings.workers * WINDOW_BATCHES
        rest = plan_batches([len(tokens) for tokens in encoded[1:]], budget, window)
        return [[0]] + [[i + 1 for i in batch] for batch in rest]

    def translate(self, segments: Sequence[tuple[int, str]]) -> Iterator[Draft]:
        """Translate every segment; yield the drafts in segment order as each is ready."""
        if not segments:
            return
        loaded = _load(self.package, self.settings)
        encoded = [loaded.tokenizer.encode(source) for _, source in segments]
        planned = deque(self.batches(encoded))
        results: dict[int, Any] = {}
        # Keep a bounded number of batches queued ahead (enough to keep every worker busy
        # across window boundaries), so a caller that stops early leaves little running.
        ahead = self.settings.workers * (WINDOW_BATCHES + 1) + 1
        pending: list[int] = []  # the last segment of each batch sent and not yet yielded
        for n, _ in enumerate(segments):
            pending = [last for last in pending if last >= n]
            while planned and (len(pending) < ahead or n not in results):
                if FIRST_ALONE and n == 0 and pending:
                    break  # the rest go once the first is done
                batch = planned.popleft()
                futures = self._submit(loaded, [encoded[i] for i in batch])
                results.update(zip(batch, futures, strict=True))
                pending.append(max(batch))
            tokens = list(results.pop(n).result().hypotheses[0])
            yield Draft(segments[n][0], self._decode(loaded, tokens), self.provenance())

    def _submit(self, loaded: _Loaded, batch: list[list[str]]) -> list[Any]:
        """Queue one CTranslate2 call over a batch; a future per segment."""
        prefix = [[self.package.target_prefix]] * len(batch) if self.package.target_prefix else None
        futures: list[Any] = loaded.translator.translate_batch(
            batch,
            target_prefix=prefix,
            replace_unknowns=True,
            max_batch_size=0,  # the batch is already cut: one call, one worker
            beam_size=self.settings.beam,
            num_hypotheses=1,
            length_penalty=ARGOS_LENGTH_PENALTY,
            asynchronous=True,
        )
        return futures

    def _decode(self, loaded: _Loaded, tokens: list[str]) -> str:
        """Detokenize as argostranslate does: drop the target prefix and the leading space."""
        value: str = loaded.tokenizer.decode(tokens)
        prefix = self.package.target_prefix
        if prefix and value.startswith(prefix):
            value = value[len(prefix) :]
        if value.startswith(" "):
            value = value[1:]
        return value
