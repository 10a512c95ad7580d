"""The Argos engine: an Argos package's CTranslate2 model, run over a whole story at once.

argostranslate's own path splits text with a sentence-boundary model and translates in
batches of 32 tokens, about one sentence per call. desk sends its own segments instead,
loads each model once per process, and translates the story in large batches with the
package's own tokenizer and target prefix: the same decoding options, so the same output.
"""

from __future__ import annotations

import os
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


@dataclass(frozen=True)
class Settings:
    """How to run the model."""

    beam: int = DEFAULT_BEAM
    """Beam size; 1 is greedy decoding, the fast draft."""
    batch_size: int = 64
    """Segments per CTranslate2 call."""
    threads: int = 0
    """CPU threads for one translation (0: as many as there are cores)."""
    device: str = "cpu"


class _Loaded:
    """A package's model and tokenizer, loaded once per process."""

    def __init__(self, package: PackageInfo, settings: Settings) -> None:
        import ctranslate2
        from argostranslate.tokenizer import BPETokenizer, SentencePieceTokenizer

        threads = settings.threads or os.cpu_count() or 1
        try:
            self.translator = ctranslate2.Translator(
                str(package.path / "model"),
                device=settings.device,
                inter_threads=1,
                intra_threads=threads,
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
    key = (package.path, settings.device, settings.threads)
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

    def translate(self, segments: Sequence[tuple[int, str]]) -> Iterator[Draft]:
        """Translate every segment; the first alone so its draft shows at once, then in batches."""
        if not segments:
            return
        loaded = _load(self.package, self.settings)
        encoded = [loaded.tokenizer.encode(source) for _, source in segments]
        first = [encoded[0]]
        rest = encoded[1:]
        results = self._run(loaded, first)
        for (n, _), tokens in zip(segments[:1], results, strict=True):
            yield Draft(n, self._decode(loaded, tokens), self.provenance())
        size = max(1, self.settings.batch_size)
        for start in range(0, len(rest), size):
            batch = rest[start : start + size]
            results = self._run(loaded, batch)
            provenance = self.provenance()
            for (n, _), tokens in zip(segments[1 + start :], results, strict=False):
                yield Draft(n, self._decode(loaded, tokens), provenance)

    def _run(self, loaded: _Loaded, batch: list[list[str]]) -> list[list[str]]:
        """One CTranslate2 call over a batch; returns the best hypothesis of each."""
        prefix = [[self.package.target_prefix]] * len(batch) if self.package.target_prefix else None
        results = loaded.translator.translate_batch(
            batch,
            target_prefix=prefix,
            replace_unknowns=True,
            max_batch_size=max(1, self.settings.batch_size),
            batch_type="examples",
            beam_size=self.settings.beam,
            num_hypotheses=1,
            length_penalty=ARGOS_LENGTH_PENALTY,
        )
        return [list(result.hypotheses[0]) for result in results]

    def _decode(self, loaded: _Loaded, tokens: list[str]) -> str:
        """Detokenize as argostranslate does: drop the target prefix and the leading space."""
        value: str = loaded.tokenizer.decode(tokens)
        prefix = self.package.target_prefix
        if prefix and value.startswith(prefix):
            value = value[len(prefix) :]
        if value.startswith(" "):
            value = value[1:]
        return value
