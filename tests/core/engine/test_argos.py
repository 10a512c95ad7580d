"""desk's Argos engine gives exactly what argostranslate's own package translation gives, and
cuts the work as it says: the first segment alone, then token-bounded batches, in order."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

import pytest

from desk.core.engine.argos import WINDOW_BATCHES, ArgosEngine, Settings, _load, plan_batches
from desk.core.engine.packages import demo_package_file, read_package
from desk.core.importer import ImportOptions, load_source
from desk.core.store import utc_now
from tests.helpers.paths import SAMPLES


class OneSentence:
    """A sentence splitter that keeps the text whole, so no splitter model is needed."""

    def split_sentences(self, text: str) -> list[str]:
        """The text as one sentence."""
        return [text]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo package, unpacked."""
    folder = tmp_path_factory.mktemp("demo")
    with zipfile.ZipFile(demo_package_file()) as zf:
        zf.extractall(folder)
    (package,) = [p for p in folder.iterdir() if p.is_dir()]
    return package


def sample_sentences() -> list[str]:
    """Every segment of every bundled sample story."""
    sentences: list[str] = []
    for path in sorted(SAMPLES.glob("*.ar.md")):
        story = load_source(path, ImportOptions(), "").story
        sentences += [seg.source for seg in story.segments]
    return sentences


@pytest.mark.parametrize("beam", [4, 1])
def test_same_output_as_argostranslate(
    demo_dir: Path, beam: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """For every sample sentence and the same beam, desk's draft equals argostranslate's."""
    import ctranslate2
    from argostranslate import settings
    from argostranslate.package import Package
    from argostranslate.translate import apply_packaged_translation

    sentences = sample_sentences()
    assert len(sentences) > 100
    monkeypatch.setattr(settings, "beam_size", beam)
    pkg = Package(demo_dir)
    translator = ctranslate2.Translator(str(demo_dir / "model"), device="cpu")
    theirs = [
        apply_packaged_translation(pkg, s, translator, OneSentence(), 1)[0].value for s in sentences
    ]
    engine = ArgosEngine(read_package(demo_dir), Settings(beam=beam), utc_now)
    ours = [d.text for d in engine.translate(list(enumerate(sentences, start=1)))]
    mismatches = [(s, a, b) for s, a, b in zip(sentences, theirs, ours, strict=True) if a != b]
    assert mismatches == []
    assert sum(1 for t in ours if t) == len(sentences)


class Recording:
    """The real CTranslate2 translator, with a record of each batch sent to it (its size
    and longest segment, in tokens) and of how many segments were sent before each draft
    was handed out."""

    def __init__(self, translator: Any) -> None:
        self.translator = translator
        self.batches: list[list[int]] = []

    def translate_batch(self, batch: list[list[str]], **options: Any) -> Any:
        """Record the batch, then translate it."""
        self.batches.append([len(tokens) for tokens in batch])
        return self.translator.translate_batch(batch, **options)

    @property
    def sent(self) -> int:
        """Segments sent so far."""
        return sum(len(batch) for batch in self.batches)


def test_plan_batches_keeps_every_segment_once_within_the_budget() -> None:
    """Each index once; a batch's count times its longest length within the budget (a
    longer one alone); windows in order, each sorted by length."""
    lengths = [5, 40, 3, 12, 12, 7, 90, 1, 30, 8, 8, 2, 16, 25, 4, 6] * 5
    batches = plan_batches(lengths, budget=48, window=100)
    flat = [i for batch in batches for i in batch]
    assert sorted(flat) == list(range(len(lengths)))
    for batch in batches:
        longest = max(lengths[i] for i in batch)
        assert len(batch) * longest <= 48 or len(batch) == 1
        assert [lengths[i] for i in batch] == sorted(lengths[i] for i in batch)
    # Windows of about 100 tokens in story order: no batch reaches back before the one
    # before it by more than a window.
    assert max(flat[:3]) < 20 and min(flat[-3:]) > len(lengths) - 20
    assert plan_batches([], 48, 100) == []
    assert plan_batches([500], 48, 100) == [[0]]


@pytest.mark.parametrize("threads", [1, 2])
def test_small_batches_first_alone_in_order_and_the_same_drafts(
    demo_dir: Path, threads: int
) -> None:
    """With a small token budget: the first draft comes back after one call of one
    segment; every later call stays within the budget; the drafts come in segment order
    and are the same as with the default budget; one CTranslate2 worker per thread."""
    sentences = sample_sentences()[:60]
    segments = list(enumerate(sentences, start=101))
    package = read_package(demo_dir)
    expected = [d.text for d in ArgosEngine(package, Settings(), utc_now).translate(segments)]
    settings = Settings(batch_tokens=40, threads=threads)
    engine = ArgosEngine(package, settings, utc_now)
    loaded = _load(package, settings)
    assert loaded.translator.num_translators == threads
    recording = Recording(loaded.translator)
    loaded.translator = recording
    try:
        drafts = engine.translate(segments)
        first = next(drafts)
        assert first.n == 101 and recording.batches == [[recording.batches[0][0]]]
        rest = list(drafts)
    finally:
        loaded.translator = recording.translator
    assert [d.n for d in [first, *rest]] == [n for n, _ in segments]
    assert [d.text for d in [first, *rest]] == expected
    assert recording.sent == len(segments) and len(recording.batches) > 5
    assert all(len(b) * max(b) <= 40 or len(b) == 1 for b in recording.batches[1:])


def test_a_caller_that_stops_early_leaves_few_batches_sent(demo_dir: Path) -> None:
    """Drafts are handed out as they are ready, with a bounded number of batches queued
    ahead: a caller that takes three drafts of 200 has not had the whole story sent."""
    sentences = (sample_sentences() * 2)[:200]
    package = read_package(demo_dir)
    settings = Settings(batch_tokens=40, threads=1)
    loaded = _load(package, settings)
    recording = Recording(loaded.translator)
    loaded.translator = recording
    try:
        drafts = ArgosEngine(package, settings, utc_now).translate(
            list(enumerate(sentences, start=1))
        )
        taken = [next(drafts) for _ in range(3)]
        drafts.close()
    finally:
        loaded.translator = recording.translator
    assert [d.n for d in taken] == [1, 2, 3]
    assert len(recording.batches) <= 1 + WINDOW_BATCHES * 2 + 2
    assert recording.sent < len(sentences) // 2


def test_threads_zero_means_every_core() -> None:
    """`threads` is the CPU threads desk may use; 0 means all cores, one worker each."""
    assert Settings(threads=0).workers == (os.cpu_count() or 1)
    assert Settings(threads=3).workers == 3
