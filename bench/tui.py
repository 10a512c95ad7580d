"""Time the workbench with Pilot: first paint of the editor, and keypress-to-frame while typing.

Inputs: two stories made in the run from the bundled samples, 10 and 200 segments long
(--segments), each imported through the core with a pasted draft into a fresh desk home
in a temporary folder. A story is a headline and then one sentence per paragraph, taken
in turn from the samples' aligned (Arabic, draft) sentence pairs, so both stories hold
the same kind of text. Two glossaries: the house glossary in glossaries/ (249 entries),
and 10,000 entries (--entries): the house files plus entries written in the run by
bench.glossary's generator (same seed) into a TOML file beside them. The big one is
timed twice: with the desk home's compiled glossary (desk.core.glossary.compiled,
written by the first load) and with none (its folder removed before each app, not
timed: the first open after an edit of the glossary).

What is timed (Textual headless, as in the tests, at --size; every figure is wall time):

- first paint: from opening the desk home (`Home`) and `make_app(slug=...)` to the first
  frame of the editor screen, i.e. the first time Textual hands a composed update of the
  EditorScreen to the driver. Headless Textual skips turning that update into terminal
  bytes, so the bench does that step itself (`render_segments`) and counts it.
  Median of --runs apps, after one warm-up app that pays the lazy imports; before
  each app (not timed) the earlier apps' garbage is collected. Each app
  is closed only once its workers are done (the spell check runs after the glossary
  scan, in a thread that would otherwise go on during the next app's first paint).
- findings on screen: from the same start to the first frame that shows the glossary
  findings of the segments on the first screen (the editor checks those first, then
  the rest); also given from the editor's first frame (the first frame itself, when
  it shows them, counts 0), and "all findings" to the frame after the last batch.
  Two ways to open, each timed: "started with the story" (`desk open SLUG`: the
  glossary starts loading in a thread as the app is made, while Textual starts; the
  editor waits up to 0.15 s for that load before its first frame, unless it compiles,
  and checks its first screen then if it is over; otherwise its findings follow the
  load) and "opened from the list": the
  workbench starts on the story list, loads the glossary in the background as it
  does, the bench waits for that (a person reading the list), then opens the story as
  Enter does (StoryListScreen.open_story); the start is that call. The findings
  target (< 100 ms, DESIGN.md "Findings on screen < 100 ms after a story opens") is
  held against the figure from the first frame: a story has opened when it is on
  screen, and no findings can show before that.
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

Targets (bench/README.md): first paint under 300 ms; findings on screen under 100 ms
after the first frame; keypress → frame under 16 ms (median, p95 and max alike).

Options: --quick opens 2 apps per story and times 20 keys and 3 moves (same stories);
--json FILE also writes the headline figures as `bench.table.Row`s for `python -m bench`.

Run: python -m bench.tui [--runs 7] [--keys 50] [--moves 10] [--segments 200]
     [--entries 10000] [--quick] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import shutil
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
TARGET_FINDINGS_MS = 100.0
ENTRIES = 10_000
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


def collect() -> None:
    """Before each app (not timed): the earlier apps' garbage collected, as a workbench,
    one app per process, never has it. The workbench keeps what it loaded out of the
    collector's walks (`gc.freeze`); undone here so that the earlier apps can go."""
    gc.unfreeze()
    gc.collect()


def glossary_cache_dir(home: Path) -> Path:
    """The desk home's compiled glossaries (desk.locations), when this desk has them."""
    from desk import locations

    where = getattr(locations, "glossary_cache_dir", None)
    return where(home) if where is not None else home / "cache" / "glossary"


def big_glossary(folder: Path, entries: int) -> Path:
    """A glossary folder of `entries` entries: the house files, and bench.glossary's
    generated entries (its seed) written by desk into generated.toml beside them."""
    from bench.glossary import generated_entries
    from desk.core.glossary.files import add_entries
    from desk.core.glossary.model import load_folder

    out = folder / "glossary-big"
    shutil.copytree(ROOT / "glossaries", out)
    shipped = load_folder(out).entries
    taken = {n.lower() for e in shipped for n in (e.canonical, *e.variants)}
    add_entries(out / "generated.toml", generated_entries(entries - len(shipped), taken), shipped)
    got = len(load_folder(out).entries)
    assert got == entries, f"the big glossary came out with {got} entries"
    return out


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


@dataclass
class Opened:
    """One opening of a story, in seconds from the start: first frame, first frame with
    the first screen's findings, first frame with every segment's."""

    paint: float
    findings: float
    every: float

    @property
    def after_paint(self) -> float:
        """Findings on screen, from the first frame (0: the first frame showed them)."""
        return self.findings - self.paint


def scan_state(app: Any) -> tuple[bool, bool]:
    """(some findings shown, every segment checked) of the editor shown, if any."""
    session = getattr(app.screen, "session", None)
    if session is None or session.findings is None:
        return (False, False)
    return (True, not getattr(app.screen, "scanning", False))  # an editor before the batches


async def watch_open(app: Any, frames: Frames, start: float) -> Opened:
    """Wait for the editor's first frame, its first frame with findings, and with all."""
    painted = await until(lambda: frames.first_after(start, "EditorScreen"))
    shown = await until(lambda: frames.first_after(start, "EditorScreen", (True, False))
                        or frames.first_after(start, "EditorScreen", (True, True)))  # fmt: skip
    every = await until(lambda: frames.first_after(start, "EditorScreen", (True, True)))
    await app.workers.wait_for_complete()  # no thread of this app in the next one
    return Opened(painted - start, shown - start, every - start)


async def open_paint(home: Path, slug: str) -> Opened:
    """Start the workbench with story `slug` (`desk open SLUG`) and time it."""
    from desk.app.home import Home
    from desk.tui import make_app

    start = time.perf_counter()
    app = make_app(Home(home), author="bench", slug=slug)
    frames = instrument(app)
    frames.probe = partial(scan_state, app)
    async with app.run_test(size=SIZE):
        return await watch_open(app, frames, start)


async def open_from_list(home: Path, slug: str) -> Opened:
    """Start the workbench on the story list, let it load the glossary, open `slug`."""
    from desk.app.home import Home
    from desk.tui import make_app
    from desk.tui.screens.story_list import StoryListScreen

    app = make_app(Home(home), author="bench")
    frames = instrument(app)
    frames.probe = partial(scan_state, app)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.workbench.home.enforcer_if_loaded() is not None, "the glossary did not load"
        screen = app.screen
        assert isinstance(screen, StoryListScreen)
        start = time.perf_counter()
        screen.open_story(slug)
        return await watch_open(app, frames, start)


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
        big = big_glossary(folder, args.entries)
        glossaries = {"house": ROOT / "glossaries", "big": big, "big, no cache": big}

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
        for where in (big, ROOT / "glossaries"):  # each glossary compiled into the cache
            os.environ["DESK_GLOSSARY"] = str(where)
            Home(home).enforcer()
        bare: list[float] = []
        ways = {"start": open_paint, "list": open_from_list}
        opened: dict[tuple[str, str, str], list[Opened]] = {
            (g, w, name): [] for g in glossaries for w in ways for name in sizes
        }
        for _ in range(args.runs):
            collect()
            bare.append(await bare_paint())
            for (g, w, name), found in opened.items():
                os.environ["DESK_GLOSSARY"] = str(glossaries[g])
                if g.endswith("no cache"):  # the first open after a glossary edit
                    shutil.rmtree(glossary_cache_dir(home), ignore_errors=True)
                collect()
                found.append(await ways[w](home, name))
        os.environ["DESK_GLOSSARY"] = str(glossaries["house"])
        typed = {}
        for name in sizes:
            collect()
            typed[name] = await typing(home, name, args.keys, args.moves)

    med = statistics.median

    def figure(g: str, w: str, what: Callable[[Opened], float]) -> tuple[float, float]:
        return tuple(  # type: ignore[return-value]
            med([what(o) for o in opened[(g, w, name)]]) for name in ("small", "large")
        )

    named = {
        "house": "house glossary",
        "big": f"{args.entries:,} entries",
        "big, no cache": f"{args.entries:,} entries, no compiled cache",
    }
    way_named = {"start": "started with the story", "list": "opened from the list"}
    rows: list[tuple[str, float, float, float | None]] = []
    for g in glossaries:
        for w in ways:
            case = f"{way_named[w]}, {named[g]}"
            rows += [
                (f"first paint, {case}", *figure(g, w, lambda o: o.paint), TARGET_PAINT_MS),
                (f"findings on screen from opening, {case}",
                 *figure(g, w, lambda o: o.findings), None),
                (f"findings on screen after first paint, {case}",
                 *figure(g, w, lambda o: o.after_paint), TARGET_FINDINGS_MS),
                (f"all findings from opening, {case}", *figure(g, w, lambda o: o.every), None),
            ]  # fmt: skip
    rows += [
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
    width = max(len(label) for label, *_ in rows)
    print(f"{'figure (ms)':{width}} {'10 segments':>12} {large:>13} {'target':>7}")
    for label, small_value, large_value, target in rows:
        goal = f"< {target:.0f}" if target is not None else "-"
        print(f"{label:{width}} {ms(small_value):>12} {ms(large_value):>13} {goal:>7}")
    if args.json:
        write_rows(headline(rows, med(bare), args.segments), args.json)


def headline(
    rows: Sequence[tuple[str, float, float, float | None]], bare: float, large: int
) -> list[Row]:
    """The suite's rows, in ms: each figure for each story, against its target.

    The figures timed from the start (first paint, findings from opening) carry the
    bare app's first paint as baseline: they are timed from a start to a frame.
    """
    out = [Row("tui", BASELINE, bare * 1000, "ms")]
    for label, small_value, large_value, target in rows:
        timed_from_start = "from opening" in label or label.startswith("first paint")
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
        "--entries", type=int, default=ENTRIES, help="the big glossary's entries (default 10000)"
    )
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
