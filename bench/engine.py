"""desk's Argos engine against argostranslate's own path, on a model of the real Argos size.

Inputs (deterministic, nothing committed, nothing downloaded):
- a SentencePiece model trained here on the Arabic and English of the bundled samples
  (seed fixed), its pieces padded with placeholder tokens to a 32,000-token vocabulary;
- a CTranslate2 Transformer of the size of Argos's ar→en model (6+6 layers, d_model 512,
  8 heads, ffn 2048, int8) with random weights (seed 0), built by tools/ct2_model.py. A
  random model stops at an arbitrary point (or runs to the 256-token cap), which would
  make the two paths do different amounts of work; so both are held to exactly the same
  output length per sentence (min = max decoding length = the mean length, in pieces,
  of the English drafts of those segments), passed to CTranslate2 by a thin wrapper
  around the translator;
- a 40-segment story: the first 40 segments of samples/idleb-displacement.ar.md.

Both paths get the same sentences (desk's segmentation; argostranslate's sentence
splitter model is not downloaded) and the same beam. "argostranslate" runs its own
`apply_packaged_translation` paragraph by paragraph with its settings (batches of 32
tokens); "desk" runs desk's ArgosEngine over the whole story. Each path runs in its own
process, so peak memory (max RSS) is its own; model load time is reported apart.

Targets (bench/README.md): at beam 4, desk at least 5x faster than argostranslate over
the whole story; desk's first segment ready under 1 s after the model is loaded.

Options: --quick runs each path once (--runs 1; the model is the same); --json FILE also
writes the headline figures as `bench.table.Row`s for `python -m bench`.

Run: python -m bench.engine [--runs 3] [--threads 0] [--quick] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.table import Row, write_rows

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "idleb-displacement.ar.md"
SEGMENTS = 40
VOCAB = 32_000
RUNS, QUICK_RUNS = 3, 1
TARGET_SPEED_UP = 5.0
TARGET_FIRST_S = 1.0
BASELINE = "argostranslate, beam 4"


def story_paragraphs() -> list[list[str]]:
    """The first SEGMENTS segments of the sample, grouped by paragraph."""
    from desk.core.importer import ImportOptions, load_source

    story = load_source(SAMPLE, ImportOptions(), "").story
    paragraphs: dict[int, list[str]] = {}
    for seg in story.segments[:SEGMENTS]:
        paragraphs.setdefault(seg.paragraph, []).append(seg.source)
    return list(paragraphs.values())


def build_model(folder: Path) -> dict[str, Any]:
    """Write an Argos package folder with a random Argos-sized model; returns its facts."""
    import sentencepiece as spm

    sys.path.insert(0, str(ROOT))
    from tools.ct2_model import ModelShape, build_spec, random_weights, save_model

    folder.mkdir(parents=True)
    text = folder / "corpus.txt"
    lines = []
    for path in sorted((ROOT / "samples").glob("*.md")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    text.write_text("\n".join(lines), encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text), model_prefix=str(folder / "sentencepiece"), vocab_size=2000,
        hard_vocab_limit=False, seed_sentencepiece_size=100000, shuffle_input_sentence=False,
        num_threads=1, minloglevel=2,
    )  # fmt: skip
    sp = spm.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    vocab = pieces + [f"tok{i}" for i in range(len(pieces), VOCAB)]
    shape = ModelShape(6, 6, 512, 8, 2048, vocab)
    save_model(build_spec(shape, random_weights(shape, seed=0)), folder / "model", "int8")
    (folder / "metadata.json").write_text(
        json.dumps({"package_version": "0.0", "from_code": "ar", "to_code": "en",
                    "type": "translate", "target_prefix": ""}),
        encoding="utf-8",
    )  # fmt: skip
    return {"vocab": len(vocab), "pieces": len(pieces)}


def output_length(package_dir: Path) -> int:
    """Mean length in pieces of the English drafts of the story's segments."""
    import sentencepiece as spm

    from desk.core.importer import ImportOptions, load_source

    draft = SAMPLE.with_name(SAMPLE.name.replace(".ar.md", ".draft.en.md"))
    story = load_source(SAMPLE, ImportOptions(draft=draft), "").story
    sp = spm.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
    lengths = [len(sp.encode(seg.text)) for seg in story.segments[:SEGMENTS]]
    return round(statistics.mean(lengths))


class FixedLength:
    """A CTranslate2 translator whose every output is exactly `length` tokens long."""

    def __init__(self, translator: Any, length: int) -> None:
        self.translator = translator
        self.length = length

    def translate_batch(self, *args: Any, **kwargs: Any) -> Any:
        """Translate with the decoding length pinned."""
        kwargs["min_decoding_length"] = kwargs["max_decoding_length"] = self.length
        return self.translator.translate_batch(*args, **kwargs)


class GivenSentences:
    """A sentence splitter that returns the sentences it was given (desk's segments)."""

    def __init__(self, paragraphs: list[list[str]]) -> None:
        self.by_text = {" ".join(p): p for p in paragraphs}

    def split_sentences(self, text: str) -> list[str]:
        """The segments of this paragraph."""
        return self.by_text[text]


def run_path(path: str, package_dir: Path, beam: int, threads: int, length: int) -> dict[str, Any]:
    """Translate the story one way in this process; times, outputs and peak memory."""
    paragraphs = story_paragraphs()
    length = length or output_length(package_dir)
    outputs: list[str] = []
    if path == "argostranslate":
        import ctranslate2
        from argostranslate import settings
        from argostranslate.package import Package
        from argostranslate.translate import apply_packaged_translation

        settings.beam_size = beam
        start = time.perf_counter()
        pkg = Package(package_dir)
        translator = FixedLength(
            ctranslate2.Translator(
                str(package_dir / "model"), device="cpu", inter_threads=1, intra_threads=threads
            ),
            length,
        )
        pkg.tokenizer.encode("warm")
        loaded = time.perf_counter()
        splitter = GivenSentences(paragraphs)
        first = 0.0
        for paragraph in paragraphs:
            # argostranslate's own function: one translate_batch per paragraph, its options.
            hyp = apply_packaged_translation(pkg, " ".join(paragraph), translator, splitter, 1)
            first = first or time.perf_counter() - loaded
            outputs.append(hyp[0].value)
        done = time.perf_counter()
    else:
        from desk.core.engine.argos import ArgosEngine, Settings, _load
        from desk.core.engine.packages import read_package
        from desk.core.store import utc_now

        start = time.perf_counter()
        package = read_package(package_dir)
        settings_ = Settings(beam=beam, threads=threads)
        loaded_model = _load(package, settings_)
        loaded_model.tokenizer.encode("warm")
        loaded_model.translator = FixedLength(loaded_model.translator, length)
        loaded = time.perf_counter()
        engine = ArgosEngine(package, settings_, utc_now)
        segments = list(enumerate((s for p in paragraphs for s in p), start=1))
        first = 0.0
        texts = []
        for draft in engine.translate(segments):
            first = first or time.perf_counter() - loaded
            texts.append(draft.text)
        done = time.perf_counter()
        # Group per paragraph the way argostranslate joins a paragraph's sentences.
        i = 0
        for paragraph in paragraphs:
            outputs.append(" ".join(texts[i : i + len(paragraph)]))
            i += len(paragraph)
    return {
        "load_s": loaded - start,
        "first_s": first,
        "total_s": done - loaded,
        "segments": sum(len(p) for p in paragraphs),
        "peak_rss_mb": peak_rss_mb(),
        "outputs": outputs,
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started the bench, in MB.

    VmHWM belongs to the process's own address space, made new at exec; getrusage's
    ru_maxrss would also count the parent's size when it forked us (the parent has
    built the model, so that would be its figure, not the path's).
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(path: str, package_dir: Path, beam: int, threads: int, length: int) -> dict[str, Any]:
    """Run one path in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.engine", "--child", path, "--package", str(package_dir),
         "--beam", str(beam), "--threads", str(threads), "--length", str(length)],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def headline(rows: dict[str, list[dict[str, Any]]]) -> list[Row]:
    """The suite's rows: speed-up and first segment against their targets, peak memory."""

    def med(name: str, key: str) -> float:
        return float(statistics.median(r[key] for r in rows[name]))

    def peak(name: str) -> float:
        return float(max(r["peak_rss_mb"] for r in rows[name]))

    desk, fast = "desk, beam 4", "desk fast draft, beam 1"
    speed_up = med(BASELINE, "total_s") / med(desk, "total_s")
    first = med(desk, "first_s")
    base_first = med(BASELINE, "first_s")
    first_name = f"{BASELINE}, first paragraph"
    return [
        Row("engine", "speed-up at beam 4 vs argostranslate", speed_up, "x", ">= 5x",
            speed_up >= TARGET_SPEED_UP),
        Row("engine", "first segment, beam 4", first, "s", "< 1 s", first < TARGET_FIRST_S,
            base_first, first_name),
        Row("engine", "whole story, beam 4", med(desk, "total_s"), "s",
            baseline=med(BASELINE, "total_s"), baseline_name=BASELINE),
        Row("engine", "peak memory, beam 4", peak(desk), "MB", baseline=peak(BASELINE),
            baseline_name=BASELINE),
        Row("engine", "speed-up, fast draft (beam 1)", med(BASELINE, "total_s")
            / med(fast, "total_s"), "x"),
        Row("engine", "first segment, fast draft (beam 1)", med(fast, "first_s"), "s",
            baseline=base_first, baseline_name=first_name),
        Row("engine", "whole story, fast draft (beam 1)", med(fast, "total_s"), "s",
            baseline=med(BASELINE, "total_s"), baseline_name=BASELINE),
    ]  # fmt: skip


def main() -> None:
    """Build the model, run both paths, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help=f"runs per path (default {RUNS})")
    parser.add_argument("--quick", action="store_true", help=f"--runs {QUICK_RUNS}")
    parser.add_argument("--json", type=Path, help="also write the headline figures as rows")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--child")
    parser.add_argument("--package", type=Path)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument(
        "--length", type=int, default=0,
        help="Tokens per output (default: the mean length of the sample's English drafts).",
    )  # fmt: skip
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_path(args.child, args.package, args.beam, args.threads, args.length)))
        return
    args.runs = args.runs or (QUICK_RUNS if args.quick else RUNS)
    with tempfile.TemporaryDirectory() as tmp:
        package_dir = Path(tmp) / "translate-ar_en-random"
        t0 = time.perf_counter()
        facts = build_model(package_dir)
        print(f"model: 6+6 layers, d_model 512, 8 heads, ffn 2048, int8, vocab {facts['vocab']}, "
              f"random weights; every output {args.length or output_length(package_dir)} tokens; "
              f"built in {time.perf_counter() - t0:.0f} s")  # fmt: skip
        rows: dict[str, list[dict[str, Any]]] = {}
        for _ in range(args.runs):
            for name, path, beam in ((BASELINE, "argostranslate", 4),
                                     ("desk, beam 4", "desk", 4),
                                     ("desk fast draft, beam 1", "desk", 1)):  # fmt: skip
                rows.setdefault(name, []).append(
                    child(path, package_dir, beam, args.threads, args.length)
                )
    base = statistics.median(r["total_s"] for r in rows[BASELINE])
    n = rows[BASELINE][0]["segments"]
    print(f"story: {n} segments of {SAMPLE.name}; median of {args.runs} runs; "
          f"threads {args.threads or 'all'}")  # fmt: skip
    columns = ("load s", "first s", "total s", "seg/s", "speed-up", "peak MB")
    print(f"{'path':26} " + " ".join(f"{c:>8}" for c in columns))
    for name, runs in rows.items():
        total = statistics.median(r["total_s"] for r in runs)
        print(
            f"{name:26} {statistics.median(r['load_s'] for r in runs):8.2f} "
            f"{statistics.median(r['first_s'] for r in runs):8.3f} {total:8.2f} "
            f"{n / total:8.1f} {base / total:7.1f}x "
            f"{max(r['peak_rss_mb'] for r in runs):8.0f}"
        )
    same = sum(
        a == b
        for a, b in zip(
            rows[BASELINE][0]["outputs"],
            rows["desk, beam 4"][0]["outputs"],
            strict=True,
        )
    )
    total_paragraphs = len(rows["desk, beam 4"][0]["outputs"])
    print(
        f"identical output, argostranslate vs desk at beam 4: {same}/{total_paragraphs} "
        "paragraphs (random weights leave near-ties everywhere and the two paths batch "
        "sentences differently; equal output on a trained model is tested on the demo model, "
        "tests/core/engine/test_argos.py)"
    )
    if args.json:
        write_rows(headline(rows), args.json)


if __name__ == "__main__":
    main()
