"""desk's Argos engine against argostranslate at its best thread setting, on a model of the
real Argos size, and `desk draft` against an argostranslate script, whole process.

Part 1, the engine (inputs deterministic, nothing committed, nothing downloaded):
- a SentencePiece model trained here on the Arabic and English of the bundled samples
  (seed fixed), its pieces padded with placeholder tokens to a 32,000-token vocabulary;
- a CTranslate2 Transformer of the size of Argos's ar→en model (6+6 layers, d_model 512,
  8 heads, ffn 2048, int8) with random weights (seed 0), built by tools/ct2_model.py. A
  random model stops at an arbitrary point (or runs to the 256-token cap), which would
  make the paths do different amounts of work; so every path is held to exactly the same
  output length per sentence (min = max decoding length = the mean length, in pieces,
  of the English drafts of those segments), passed to CTranslate2 by a thin wrapper
  around the translator;
- a 40-segment story: the first 40 segments of samples/idleb-displacement.ar.md.

Every path gets the same sentences (desk's segmentation; argostranslate's sentence
splitter model is not downloaded) and the same beam. "argostranslate" runs its own
`apply_packaged_translation` paragraph by paragraph with its own settings (batches of 32
tokens) and a translator made as `PackageTranslation` makes it (`inter_threads` and
`intra_threads` from argostranslate.settings), twice: at its default (ARGOS_INTRA_THREADS
unset: 0, CTranslate2's default of one OpenMP thread per core) and with
ARGOS_INTRA_THREADS=1. The faster of the two is THE baseline. "desk" runs desk's
ArgosEngine over the whole story with its default settings. Each path runs in its own
process, so peak memory (VmHWM) is its own; model load time is reported apart.

Part 2, the user's path, whole process, on the bundled demo model: wall time of
`desk draft SLUG` (idleb-displacement, 50 segments, a fresh desk home with the story
imported without drafts and the demo model installed; setup not timed) against a small
script, written by the bench into a temporary folder, that does the same work as a user
of argostranslate would: find the installed package (ARGOS_PACKAGES_DIR), get the ar→en
translation and translate the same 50 segments one by one with `translate()`, at both
thread settings. Every run in a fresh process; the median of --runs.

Targets (bench/README.md): at beam 4, desk at least 3x faster than argostranslate at its
best thread setting over the whole story; desk's first segment under 0.3 s after the
model is loaded; desk's peak memory at most 2x the baseline's; whole-process `desk draft`
faster than the argostranslate script at its best thread setting.

--threading measures desk's alternatives instead (CTranslate2 workers x threads per
worker, token budgets, beam 4 and 1, and a 500-segment story for memory), the table
bench/README.md keeps.

Options: --quick runs each path once (--runs 1; the model is the same); --json FILE also
writes the headline figures as `bench.table.Row`s for `python -m bench`.

Run: python -m bench.engine [--runs 3] [--quick] [--json FILE] [--threading]
"""

from __future__ import annotations

import argparse
import json
import os
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
WHOLE_RUNS, QUICK_WHOLE_RUNS = 5, 3
TARGET_SPEED_UP = 3.0
TARGET_FIRST_S = 0.3
TARGET_MEMORY = 2.0
UPSTREAM = {"argostranslate, 1 thread": "1", "argostranslate, default threads": ""}
"""Baseline name -> ARGOS_INTRA_THREADS ('' leaves it unset: argostranslate's default)."""
DESK, FAST = "desk, beam 4", "desk fast draft, beam 1"


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


def run_path(
    path: str, package_dir: Path, beam: int, length: int, tune: dict[str, int]
) -> dict[str, Any]:
    """Translate the story one way in this process; times, outputs, threads, peak memory.

    `tune` (desk only, for --threading) may set threads, batch_tokens, segments (repeat
    the story's sentences up to that many) and inter/intra (a translator made so)."""
    paragraphs = story_paragraphs()
    length = length or output_length(package_dir)
    outputs: list[str] = []
    import ctranslate2

    if path == "argostranslate":
        from argostranslate import settings
        from argostranslate.package import Package
        from argostranslate.translate import apply_packaged_translation

        settings.beam_size = beam
        start = time.perf_counter()
        pkg = Package(package_dir)
        # As PackageTranslation.hypotheses makes it, from argostranslate's settings.
        inter, intra = settings.inter_threads, settings.intra_threads
        translator = FixedLength(
            ctranslate2.Translator(
                str(package_dir / "model"), device=settings.device, inter_threads=inter,
                intra_threads=intra,
            ),
            length,
        )  # fmt: skip
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
        segments = sum(len(p) for p in paragraphs)
        threads = f"inter {inter}, intra {intra or f'0 (= {os.cpu_count()})'}"
    else:
        from desk.core.engine import argos
        from desk.core.engine.argos import ArgosEngine, Settings, _load
        from desk.core.engine.packages import read_package
        from desk.core.store import utc_now

        start = time.perf_counter()
        package = read_package(package_dir)
        settings_ = Settings(
            beam=beam,
            threads=tune.get("threads", Settings.threads),
            batch_tokens=tune.get("batch_tokens", Settings.batch_tokens),
        )
        loaded_model = _load(package, settings_)
        inter, intra = settings_.workers, 1
        if "inter" in tune:
            inter, intra = tune["inter"], tune["intra"]
            loaded_model.translator = ctranslate2.Translator(
                str(package_dir / "model"), device="cpu", inter_threads=inter,
                intra_threads=intra,
            )  # fmt: skip
        if "first_alone" in tune:
            argos.FIRST_ALONE = bool(tune["first_alone"])
        loaded_model.tokenizer.encode("warm")
        loaded_model.translator = FixedLength(loaded_model.translator, length)
        loaded = time.perf_counter()
        engine = ArgosEngine(package, settings_, utc_now)
        sentences = [s for p in paragraphs for s in p]
        if tune.get("segments"):
            sentences = (sentences * (tune["segments"] // len(sentences) + 1))[: tune["segments"]]
        first = 0.0
        texts = []
        for draft in engine.translate(list(enumerate(sentences, start=1))):
            first = first or time.perf_counter() - loaded
            texts.append(draft.text)
        done = time.perf_counter()
        segments = len(sentences)
        # Group per paragraph the way argostranslate joins a paragraph's sentences.
        i = 0
        for paragraph in paragraphs:
            outputs.append(" ".join(texts[i : i + len(paragraph)]))
            i += len(paragraph)
        threads = f"inter {inter}, intra {intra}, {settings_.batch_tokens} tokens"
    return {
        "load_s": loaded - start,
        "first_s": first,
        "total_s": done - loaded,
        "segments": segments,
        "peak_rss_mb": peak_rss_mb(),
        "threads": threads,
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


def child_env(tmp: Path, intra: str | None = None) -> dict[str, str]:
    """The environment of a child: argostranslate's folders in `tmp` (importing it makes
    them), ARGOS_INTRA_THREADS set to `intra` ('' or None: unset, its default)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARGOS_")}
    env |= {f"XDG_{k}_HOME": str(tmp / "xdg" / k.lower()) for k in ("DATA", "CONFIG", "CACHE")}
    if intra:
        env["ARGOS_INTRA_THREADS"] = intra
    return env


def child(
    path: str, package_dir: Path, beam: int, length: int, env: dict[str, str],
    tune: dict[str, int] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Run one path in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.engine", "--child", path, "--package", str(package_dir),
         "--beam", str(beam), "--length", str(length), "--tune", json.dumps(tune or {})],
        cwd=ROOT, check=True, capture_output=True, text=True, env=env,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(out.stdout)
    return result


# Part 2: the user's path, whole process, on the demo model.

UPSTREAM_SCRIPT = '''\
"""What a user of argostranslate writes to translate a story's segments."""
import json, sys

from argostranslate import translate


class GivenSentence:
    """desk's segments are sentences already (argostranslate's own splitter, MiniSBD,
    would download a model)."""

    def split_sentences(self, text):
        return [text]


segments = json.loads(open(sys.argv[1], encoding="utf-8").read())
languages = {language.code: language for language in translate.get_installed_languages()}
translation = languages["ar"].get_translation(languages["en"])
translation.underlying.sentencizer = GivenSentence()
drafts = [translation.translate(segment) for segment in segments]
json.dump(drafts, sys.stdout, ensure_ascii=False)
'''


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Run a command in a fresh process; its wall time and stdout."""
    start = time.perf_counter()
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
    return time.perf_counter() - start, out.stdout


def whole_process(runs: int) -> tuple[dict[str, list[float]], str]:
    """`desk draft` against the argostranslate script, interleaved, each in a fresh
    process and a fresh desk home; the times of each, and a line on their drafts."""
    from desk.core.importer import ImportOptions, load_source

    slug = SAMPLE.name.removesuffix(".ar.md")
    segments = [seg.source for seg in load_source(SAMPLE, ImportOptions(), "").story.segments]
    demo = ROOT / "desk" / "data" / "translate-ar_en-demo.argosmodel"
    times: dict[str, list[float]] = {}
    same = ""
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            home = tmp / "home"
            env = child_env(tmp) | {"DESK_HOME": str(home), "DESK_USER": "bench"}
            desk = [sys.executable, "-m", "desk"]
            subprocess.run([*desk, "import", str(SAMPLE), "--no-mt"], env=env, check=True,
                           capture_output=True)  # fmt: skip
            subprocess.run([*desk, "engine", "install", str(demo)], env=env, check=True,
                           capture_output=True)  # fmt: skip
            (tmp / "segments.json").write_text(json.dumps(segments, ensure_ascii=False))
            (tmp / "upstream.py").write_text(UPSTREAM_SCRIPT)
            seconds, _ = timed([*desk, "draft", slug], env)
            times.setdefault("desk draft", []).append(seconds)
            theirs: list[str] = []
            for name, intra in UPSTREAM.items():
                up_env = child_env(tmp, intra) | {"ARGOS_PACKAGES_DIR": str(home / "engines")}
                command = [sys.executable, str(tmp / "upstream.py"), str(tmp / "segments.json")]
                seconds, out = timed(command, up_env)
                times.setdefault(f"{name} script", []).append(seconds)
                theirs = json.loads(out)
            ours = [s["draft"] for s in json.loads(timed([*desk, "show", slug, "--json"], env)[1])
                    ["segments"]]  # fmt: skip
            equal = sum(a == b for a, b in zip(ours, theirs, strict=True))
            same = f"identical drafts, desk draft vs the script: {equal}/{len(segments)} segments"
    return times, same


def upstream_best(rows: dict[str, list[dict[str, Any]]]) -> str:
    """The faster argostranslate setting (median whole-story time)."""
    return min(UPSTREAM, key=lambda n: statistics.median(r["total_s"] for r in rows[n]))


def headline(rows: dict[str, list[dict[str, Any]]], whole: dict[str, list[float]]) -> list[Row]:
    """The suite's rows: speed-up, first segment, memory, whole process against targets."""

    def med(name: str, key: str) -> float:
        return float(statistics.median(r[key] for r in rows[name]))

    def peak(name: str) -> float:
        return float(max(r["peak_rss_mb"] for r in rows[name]))

    best = upstream_best(rows)
    slow = next(n for n in UPSTREAM if n != best)
    speed_up = med(best, "total_s") / med(DESK, "total_s")
    first, memory = med(DESK, "first_s"), peak(DESK) / peak(best)
    first_name = f"{best}, first paragraph"
    base_name = f"{best}, its best"
    out = [
        Row("engine", "speed-up at beam 4 vs argostranslate at its best", speed_up, "x",
            f">= {TARGET_SPEED_UP:g}x", speed_up >= TARGET_SPEED_UP),
        Row("engine", "first segment, beam 4", first, "s", f"< {TARGET_FIRST_S:g} s",
            first < TARGET_FIRST_S, med(best, "first_s"), first_name),
        Row("engine", "whole story, beam 4", med(DESK, "total_s"), "s",
            baseline=med(best, "total_s"), baseline_name=base_name),
        Row("engine", f"whole story, {slow}", med(slow, "total_s"), "s",
            baseline=med(best, "total_s"), baseline_name=base_name),
        Row("engine", "peak memory, beam 4", peak(DESK), "MB", f"<= {TARGET_MEMORY:g}x",
            memory <= TARGET_MEMORY, peak(best), base_name),
        Row("engine", "speed-up, fast draft (beam 1)", med(best, "total_s")
            / med(FAST, "total_s"), "x"),
        Row("engine", "first segment, fast draft (beam 1)", med(FAST, "first_s"), "s",
            baseline=med(best, "first_s"), baseline_name=first_name),
    ]  # fmt: skip
    if whole:
        script = min(
            (n for n in whole if n != "desk draft"), key=lambda n: statistics.median(whole[n])
        )
        ours, theirs = statistics.median(whole["desk draft"]), statistics.median(whole[script])
        out.append(Row("engine", "desk draft, whole process, demo model", ours, "s",
                       "< script", ours < theirs, theirs, script))  # fmt: skip
    return out


def print_engine(rows: dict[str, list[dict[str, Any]]], runs: int) -> None:
    """The engine table: every path, its threads, against the best argostranslate."""
    best = upstream_best(rows)
    base = statistics.median(r["total_s"] for r in rows[best])
    n = rows[best][0]["segments"]
    print(f"story: {n} segments of {SAMPLE.name}; median of {runs} runs, interleaved; "
          f"baseline: {best} (the faster argostranslate setting)")  # fmt: skip
    columns = ("load s", "first s", "total s", "seg/s", "speed-up", "peak MB")
    print(f"{'path':32} {'threads':30} " + " ".join(f"{c:>8}" for c in columns))
    for name, runs_ in rows.items():
        total = statistics.median(r["total_s"] for r in runs_)
        print(
            f"{name:32} {runs_[0]['threads']:30} "
            f"{statistics.median(r['load_s'] for r in runs_):8.2f} "
            f"{statistics.median(r['first_s'] for r in runs_):8.3f} {total:8.2f} "
            f"{runs_[0]['segments'] / total:8.1f} {base / total:7.2f}x "
            f"{max(r['peak_rss_mb'] for r in runs_):8.0f}"
        )
    same = sum(a == b for a, b in zip(rows[best][0]["outputs"], rows[DESK][0]["outputs"],
                                      strict=True))  # fmt: skip
    print(
        f"identical output, argostranslate vs desk at beam 4: {same}/"
        f"{len(rows[DESK][0]['outputs'])} paragraphs (random weights leave near-ties "
        "everywhere and the paths batch sentences differently; equal output on a trained model is "
        "tested on the demo model, "
        "tests/core/engine/test_argos.py)"
    )


THREADING = [
    ("inter 1, intra 2, 2048 tokens (near desk's old batches)", 4,
     {"inter": 1, "intra": 2, "batch_tokens": 2048}),
    ("inter 1, intra 2, 256 tokens", 4, {"inter": 1, "intra": 2, "batch_tokens": 256}),
    ("inter 1, intra 1, 256 tokens (one core)", 4, {"threads": 1, "batch_tokens": 256}),
    ("inter 2, intra 1, 128 tokens", 4, {"threads": 2, "batch_tokens": 128}),
    ("inter 2, intra 1, 256 tokens (desk's default)", 4, {"threads": 2, "batch_tokens": 256}),
    ("inter 2, intra 1, 256 tokens, first not alone", 4,
     {"threads": 2, "batch_tokens": 256, "first_alone": 0}),
    ("inter 2, intra 1, 512 tokens", 4, {"threads": 2, "batch_tokens": 512}),
    ("inter 2, intra 1, 1024 tokens", 4, {"threads": 2, "batch_tokens": 1024}),
    ("inter 2, intra 1, 256 tokens, beam 1", 1, {"threads": 2, "batch_tokens": 256}),
    ("inter 1, intra 2, 256 tokens, beam 1", 1, {"inter": 1, "intra": 2, "batch_tokens": 256}),
    ("inter 2, intra 1, 256 tokens, 500 segments", 4,
     {"threads": 2, "batch_tokens": 256, "segments": 500}),
]  # fmt: skip
"""desk's alternatives for --threading: name, beam, tuning."""


def threading(package_dir: Path, length: int, runs: int, tmp: Path) -> None:
    """Measure desk's alternatives and both argostranslate settings, interleaved; print."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for _ in range(runs):
        for name, intra in UPSTREAM.items():
            rows.setdefault(name, []).append(child("argostranslate", package_dir, 4, length,
                                                   child_env(tmp, intra)))  # fmt: skip
        for name, beam, tune in THREADING:
            rows.setdefault(name, []).append(
                child("desk", package_dir, beam, length, child_env(tmp), tune)
            )
    best = upstream_best(rows)
    base = statistics.median(r["total_s"] for r in rows[best])
    print(f"median of {runs} runs, interleaved; x = {best} (the faster) / the path's total")
    print(f"{'path':58} {'segs':>5} {'first s':>8} {'total s':>8} {'x':>6} {'peak MB':>8}")
    for name, runs_ in rows.items():
        total = statistics.median(r["total_s"] for r in runs_)
        segs = runs_[0]["segments"]
        print(f"{name:58} {segs:5} {statistics.median(r['first_s'] for r in runs_):8.3f} "
              f"{total:8.2f} {base * segs / rows[best][0]['segments'] / total:5.2f}x "
              f"{max(r['peak_rss_mb'] for r in runs_):8.0f}")  # fmt: skip


def main() -> None:
    """Build the model, run every path, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help=f"runs per path (default {RUNS})")
    parser.add_argument("--quick", action="store_true", help=f"--runs {QUICK_RUNS}")
    parser.add_argument("--json", type=Path, help="also write the headline figures as rows")
    parser.add_argument("--threading", action="store_true", help="desk's alternatives")
    parser.add_argument("--no-whole", action="store_true", help="skip the whole-process part")
    parser.add_argument("--child")
    parser.add_argument("--package", type=Path)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--tune", default="{}")
    parser.add_argument(
        "--length", type=int, default=0,
        help="Tokens per output (default: the mean length of the sample's English drafts).",
    )  # fmt: skip
    args = parser.parse_args()
    if args.child:
        result = run_path(args.child, args.package, args.beam, args.length, json.loads(args.tune))
        print(json.dumps(result))
        return
    runs = args.runs or (QUICK_RUNS if args.quick else RUNS)
    rows: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        package_dir = tmp / "translate-ar_en-random"
        t0 = time.perf_counter()
        facts = build_model(package_dir)
        length = args.length or output_length(package_dir)
        print(f"model: 6+6 layers, d_model 512, 8 heads, ffn 2048, int8, vocab {facts['vocab']}, "
              f"random weights; every output {length} tokens; "
              f"built in {time.perf_counter() - t0:.0f} s; {os.cpu_count()} CPUs")  # fmt: skip
        if args.threading:
            threading(package_dir, length, runs, tmp)
            return
        for _ in range(runs):
            for name, intra in UPSTREAM.items():
                rows.setdefault(name, []).append(child("argostranslate", package_dir, 4, length,
                                                       child_env(tmp, intra)))  # fmt: skip
            for name, beam in ((DESK, 4), (FAST, 1)):
                rows.setdefault(name, []).append(
                    child("desk", package_dir, beam, length, child_env(tmp))
                )
    print_engine(rows, runs)
    whole: dict[str, list[float]] = {}
    if not args.no_whole:
        whole_runs = args.runs or (QUICK_WHOLE_RUNS if args.quick else WHOLE_RUNS)
        whole, same = whole_process(whole_runs)
        print(f"\nwhole process on the demo model, {SAMPLE.name} (50 segments), beam 4, "
              f"median of {whole_runs} runs, interleaved, each in a fresh process")  # fmt: skip
        for name, seconds in whole.items():
            print(f"{name:44} {statistics.median(seconds):8.3f} s  "
                  f"(min {min(seconds):.3f}, max {max(seconds):.3f})")  # fmt: skip
        print(same)
    if args.json:
        write_rows(headline(rows, whole), args.json)


if __name__ == "__main__":
    main()
