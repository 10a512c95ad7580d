"""desk's Argos engine gives exactly what argostranslate's own package translation gives."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from desk.core.engine.argos import ArgosEngine, Settings
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
