"""Time the workbench with Pilot: first paint of the editor, and keypress-to-frame while typing.

Inputs: two stories made in the run from the bundled samples, 10 and 200 segments long
(--segments), each imported through the core with a pasted draft into a fresh desk home
in a temporary folder, checked against the house glossary in glossaries/. A story is a
headline and then one sentence per paragraph, taken in turn from the samples' aligned
(Arabic, draft) sentence pairs, so both stories hold the same kind of text.

What is timed (Textual headless, as in the tests, at --size; every figure is wall time):

- first paint: from opening the desk home (`Home`) and `make_app(slug=...)` to the first
  frame of the editor screen, i.e. the first time Textual hands a composed update of the
  EditorScreen to the driver. Headless Textual skips turning that update into terminal
  bytes, so the bench does that step itself (`render_segments`) and counts it.
  Median of --runs apps, after one warm-up app that pays the lazy imports. Each app
  is closed only once its workers are done (the spell check runs after the glossary
  scan, in a thread that would otherwise go on during the next app's first paint).
- findings shown: from the same start to the first frame after the glossary scan (a
  worker thread) has put its findings on screen.
- keypress → frame: from handing a key event to the app (as its terminal driver does:
  `driver.send_message(Key)`) to the first frame of the editor that shows the letter,
  while typing at the end of the English box: the TextArea edits, the screen updates
  the word diff, the autosave timer restarts, and Textual composes and renders the
  changed regions. Spell checking is on (the default en-GB dictionary, loaded before
  the keys are sent); each save checks the segment's spelling. Textual paces frames at
  most 60 per second (TEXTUAL_FPS), so this may include a wait for the next frame
  tick. Median, p95 and max over --keys keys, each sent once the previous one is
  done (Pilot's `press` is not timed: it adds its own idle-waiting of tens of
  milliseconds).
- next segment → frame: Ctrl+Down after an edit (save through the core, reload the
  story, show the next segment), to the first frame showing the next segment. Median
  over --moves moves (at most the story's length less one).

Baseline, measured in the same run: the first paint of a bare Textual app (one Static),
Textual's own floor on this machine.

Targets (bench/README.md): first paint under 300 ms; keypress → frame under 16 ms
(median, p95 and max alike).

Options: --quick opens 2 apps per story and times 20 keys and 3 moves (same stories);
--json FILE also writes the headline figures as `bench.table.Row`s for `python -m bench`.

Run: python -m bench.tui [--runs 7] [--keys 50] [--moves 10] [--segments 200] [--quick]
     [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from bench.table import Row, write_rows

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SIZE = (120, 36)
TARGET_PAINT_MS = 300.0
TARGET_KEY_MS = 16.0
LETTERS = "the quick brown fox jumps over a lazy dog "
SMALL = 10
"""Segments in the small story."""
DEFAULTS = {"runs": 7, "keys": 50, "moves": 10}
QUICK = {"runs": 2, "keys": 20, "moves": 3}
BASELINE = "first paint, bare Textual app"


@dataclass
class Frames:
    """Every frame the app hands to its driver: when, which screen, what `probe` said then."""

    times: list[tuple[float, str, Any]] = field(default_factory=list)
    probe: Callable[[], Any] = lambda: None

    def first_after(self, start: float, screen: str, state: Any = None) -> float | None:
        """The first frame of `screen` at or after `start` (showing `state`, if given)."""
        return next(
            (t for t, s, seen in self.times
             if t >= start and s == screen and (state is None or seen == state)),
            None,
        )  # fmt: skip


def instrument(app: Any) -> Frames:
    """Record each frame of `app`, rendering it to terminal bytes as a real driver would."""
    frames = Frames()
    display = app._display

    def timed_display(screen: Any, renderable: Any) -> None:
        if renderable is not None and hasattr(renderable, "render_segments"):
            renderable.render_segments(app.console)
            frames.times.append((time.perf_counter(), type(screen).__name__, frames.probe()))
        display(screen, renderable)

    app._display = timed_display
    return frames


async def until(probe: Callable[[], Any], deadline: float = 30.0) -> Any:
    """Poll `probe` every millisecond (yielding to the app) until it is truthy."""
    end = time.perf_counter() + deadline
    while time.perf_counter() < end:
        value = probe()
        if value:
            return value
        await asyncio.sleep(0.001)
    raise TimeoutError("the app did not get there in time")


def sentence_pairs(scratch: Path) -> list[tuple[str, str]]:
    """(Arabic, draft) sentence pairs of every sample, aligned by desk's own import."""
    from desk.app.home import Home
    from desk.core.importer import ImportOptions
    from desk.core.story import Role

    home = Home(scratch)
    pairs: list[tuple[str, str]] = []
    for source in sorted(SAMPLES.glob("*.ar.md")):
        draft = source.with_name(source.name.replace(".ar.md", ".draft.en.md"))
        home.desk.import_story(source, ImportOptions(draft=draft), author="bench")
        story = home.desk.store.load_story(source.name.removesuffix(".ar.md"))
        pairs += [(s.source, s.draft) for s in story.segments if s.role == Role.BODY]
    return pairs


def make_story(folder: Path, slug: str, count: int, pairs: Sequence[tuple[str, str]]) -> None:
    """Write `slug`.ar.md and its draft: a headline, then one sentence per paragraph."""
    body = [pairs[i % len(pairs)] for i in range(count - 1)]
    front = f"---\nslug: {slug}\noutlet: Bench\ndate: 2015-03-08\n---\n\n"
    arabic = front + f"# عنوان القصة رقم {count}\n\n" + "\n\n".join(a for a, _ in body)
    english = f"# Headline of story number {count}\n\n" + "\n\n".join(e for _, e in body)
    (folder / f"{slug}.ar.md").write_text(arabic + "\n", encoding="utf-8")
    (folder / f"{slug}.draft.en.md").write_text(english + "\n", encoding="utf-8")


async def bare_paint() -> float:
    """Seconds to the first frame of a Textual app showing one Static."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

    start = time.perf_counter()
    app = Bare()
    frames = instrument(app)
    async with app.run_test(size=SIZE):
        painted = await until(lambda: frames.first_after(start, "Screen"))
    return float(painted - start)


async def open_paint(home: Path, slug: str) -> tuple[float, float]:
    """Seconds to the editor's first frame, and to the first frame with the findings."""
    from desk.app.home import Home
    from desk.tui import make_app

    start = time.perf_counter()
    app = make_app(Home(home), author="bench", slug=slug)
    frames = instrument(app)
    async with app.run_test(size=SIZE):
        painted = await until(lambda: frames.first_after(start, "EditorScreen"))
        await until(lambda: getattr(app.screen, "session", None) is not None)
        await until(lambda: app.screen.session.findings is not None)  # type: ignore[attr-defined]
        scanned = time.perf_counter()
        shown = await until(lambda: frames.first_after(scanned, "EditorScreen"))
        await app.workers.wait_for_complete()  # no thread of this app in the next one
    return painted - start, shown - start


@dataclass
class Typing:
    """Per-keypress and per-move timings, in seconds."""

    frame: list[float] = field(default_factory=list)
    move: list[float] = field(default_factory=list)


def send_key(app: Any, key: str, char: str | None) -> float:
    """Hand one key event to the app as its terminal driver does; the time it was sent."""
    from textual import events

    event = events.Key(key, char)
    event.set_sender(app)
    start = time.perf_counter()
    app._driver.send_message(event)
    return start


async def typing(home: Path, slug: str, keys: int, moves: int) -> Typing:
    """Type `keys` letters at the end of the English, then make `moves` edit-and-move steps."""
    from desk.app.home import Home
    from desk.tui import make_app
    from desk.tui.screens.editor import EditorScreen
    from desk.tui.widgets.english_editor import EnglishEditor

    out = Typing()
    app = make_app(Home(home), author="bench", slug=slug)
    frames = instrument(app)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        # Spell checking is on (en-GB, the default): its dictionary loads in a worker
        # after the glossary scan; typing is timed once both are done.
        await until(lambda: screen.session.spelling.speller is not None)
        await app.workers.wait_for_complete()
        await pilot.pause()
        editor = screen.query_one(EnglishEditor)
        assert editor.has_focus
        editor.move_cursor(editor.document.end)
        await pilot.pause()
        # A frame counts for a key only once it shows the key's letter.
        frames.probe = lambda: editor.text
        for i in range(keys):
            letter = LETTERS[i % len(LETTERS)]
            expected = editor.text + letter
            start = send_key(app, "space" if letter == " " else letter, letter)
            shown = await until(partial(frames.first_after, start, "EditorScreen", expected))
            out.frame.append(shown - start)
            await pilot.pause()  # the next key comes after this one is done, as when typing
        frames.probe = lambda: screen.session.current
        for _ in range(min(moves, len(screen.session.story.segments) - 1)):
            await pilot.press("x")  # an edit, so that moving on saves it
            await pilot.pause()
            target = screen.session.current + 1
            start = send_key(app, "ctrl+down", None)
            shown = await until(partial(frames.first_after, start, "EditorScreen", target))
            out.move.append(shown - start)
            await pilot.pause()
    return out


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def ms(value: float) -> str:
    """Seconds as milliseconds for the table."""
    return f"{value * 1000:.1f}"


async def measure(args: argparse.Namespace) -> None:
    """Build the stories, measure, print the table."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["DESK_HOME"] = str(folder / "home")
        os.environ["DESK_GLOSSARY"] = str(ROOT / "glossaries")
        os.environ.pop("DESK_CLOCK", None)
        pairs = sentence_pairs(folder / "scratch")

        from desk.app.home import Home
        from desk.core.importer import ImportOptions

        home = folder / "home"
        sizes = {"small": SMALL, "large": args.segments}
        for name, count in sizes.items():
            make_story(folder, name, count, pairs)
            Home(home).desk.import_story(
                folder / f"{name}.ar.md",
                ImportOptions(draft=folder / f"{name}.draft.en.md"),
                author="bench",
            )
            got = len(Home(home).desk.store.load_story(name).segments)
            assert got == count, f"the {count}-segment story came out with {got} segments"

        await open_paint(home, "small")  # warm-up: lazy imports, CSS parsing
        bare: list[float] = []
        paint: dict[str, list[float]] = {name: [] for name in sizes}
        shown: dict[str, list[float]] = {name: [] for name in sizes}
        for _ in range(args.runs):
            bare.append(await bare_paint())
            for name in sizes:
                first, scanned = await open_paint(home, name)
                paint[name].append(first)
                shown[name].append(scanned)
        typed = {name: await typing(home, name, args.keys, args.moves) for name in sizes}

    med = statistics.median
    rows = [
        ("first paint of the editor", med(paint["small"]), med(paint["large"]),
         TARGET_PAINT_MS),
        ("findings on screen", med(shown["small"]), med(shown["large"]), None),
        ("keypress -> frame, median", med(typed["small"].frame), med(typed["large"].frame),
         TARGET_KEY_MS),
        ("keypress -> frame, p95", p95(typed["small"].frame), p95(typed["large"].frame),
         TARGET_KEY_MS),
        ("keypress -> frame, max", max(typed["small"].frame), max(typed["large"].frame),
         TARGET_KEY_MS),
        ("next segment -> frame, median", med(typed["small"].move), med(typed["large"].move),
         None),
    ]  # fmt: skip
    print(
        f"Textual headless {SIZE[0]}x{SIZE[1]}, Python {sys.version.split()[0]}; first paint:"
        f" median of {args.runs} apps; typing: {args.keys} keys, {args.moves} moves"
    )
    print(f"baseline: first paint of a bare Textual app  {ms(med(bare))} ms")
    large = f"{args.segments} segments"
    print(f"{'figure (ms)':32} {'10 segments':>12} {large:>13} {'target':>7}")
    for label, small_value, large_value, target in rows:
        goal = f"< {target:.0f}" if target is not None else "-"
        print(f"{label:32} {ms(small_value):>12} {ms(large_value):>13} {goal:>7}")
    if args.json:
        write_rows(headline(rows, med(bare), args.segments), args.json)


def headline(
    rows: Sequence[tuple[str, float, float, float | None]], bare: float, large: int
) -> list[Row]:
    """The suite's rows, in ms: each figure for each story, against its target.

    First paint and findings on screen carry the bare app's first paint as baseline:
    both are timed from the same start, to a frame.
    """
    out = [Row("tui", BASELINE, bare * 1000, "ms")]
    for label, small_value, large_value, target in rows:
        timed_from_start = label.startswith(("first paint", "findings"))
        for count, value in ((SMALL, small_value), (large, large_value)):
            out.append(
                Row(
                    "tui",
                    f"{label}, {count} segments",
                    value * 1000,
                    "ms",
                    f"< {target:.0f} ms" if target is not None else "",
                    value * 1000 < target if target is not None else None,
                    bare * 1000 if timed_from_start else None,
                    BASELINE if timed_from_start else "",
                )
            )
    return out


def main() -> None:
    """Parse the options and run the measurements."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, help="apps opened per story (default 7)")
    parser.add_argument("--keys", type=int, help="keypresses timed per story (default 50)")
    parser.add_argument("--moves", type=int, help="segment moves timed per story (default 10)")
    parser.add_argument("--segments", type=int, default=200, help="the large story's length")
    parser.add_argument(
        "--quick", action="store_true",
        help="fewer apps, keys and moves: " + ", ".join(f"--{k} {v}" for k, v in QUICK.items()),
    )  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write the headline figures as rows")
    args = parser.parse_args()
    for name, value in (QUICK if args.quick else DEFAULTS).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    asyncio.run(measure(args))


if __name__ == "__main__":
    main()
