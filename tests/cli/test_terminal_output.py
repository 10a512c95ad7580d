"""Text from stories reaches the terminal visible, never acted on: an ESC, OSC or BEL in
a story's Arabic or English (a title-setting or clipboard sequence, a screen clear) is
printed as a mark by `desk show`, `list`, `search`, `log` and `diff`; so is one in a
glossary's variants or notes by the glossary commands and `desk qa`, and one in an error
message, whatever it quotes. The progress bar draws on a terminal only, and guesses the
time left only once there is evidence for it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from desk.commands.output import Progress, safe
from tests.helpers.cli import DeskCli

TITLE = "\x1b]0;PWNED\x07"
"""Sets the terminal's window title (OSC 0, ended by BEL)."""

CLEAR = "\x1b[2J"
"""Clears the screen."""

CLIPBOARD = "\x1b]52;c;aGk=\x07"
"""Writes "hi" to the clipboard (OSC 52)."""

ACTED_ON = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def story(desk: DeskCli, tmp_path: Path) -> str:
    """A story whose headline and body hold terminal sequences, in both languages; one
    more edit carries a C1 control and a carriage return."""
    source = tmp_path / "esc.ar.md"
    source.write_text(
        f"# قصف على {TITLE} اللاذقية\n\nقال المرصد إن {CLEAR} القصف استمر.\n", encoding="utf-8"
    )
    draft = tmp_path / "esc.draft.en.md"
    draft.write_text(
        f"# Shelling of {TITLE} Lattakia\n\nThe Observatory said {CLEAR} it went on.\n",
        encoding="utf-8",
    )
    desk("import", str(source), "--draft", str(draft), "--slug", "esc", "--as", "rania")
    desk("edit", "esc", "2", "--text", f"The Observatory\x9b31m said {CLIPBOARD}\rit went on.",
         "--as", "rania")  # fmt: skip
    return "esc"


@pytest.mark.parametrize(
    "command",
    [("show", "esc"), ("list",), ("search", "Observatory"), ("log", "esc"), ("diff", "esc")],
)
def test_no_sequence_from_a_story_reaches_the_terminal(
    desk: DeskCli, story: str, command: tuple[str, ...]
) -> None:
    """Whatever the command prints holds no character a terminal acts on, and the
    sequences are there to be seen."""
    printed = desk(*command).output
    assert not ACTED_ON.search(printed), repr(printed)
    assert "␛" in printed


def test_the_marks_name_each_control() -> None:
    """ESC, BEL, CR and a C1 control each get their own mark; tab, newline and Arabic
    stay as they are."""
    assert safe(f"a{TITLE}b") == "a␛]0;PWNED␇b"
    assert safe("x\ry") == "x␍y"
    assert safe("x\x9by") == "x<U+009B>y"
    assert safe("x\x7fy") == "x␡y"
    assert safe("قال\tالمرصد\n") == "قال\tالمرصد\n"


def test_an_error_quoting_hostile_text_shows_it_visible(desk: DeskCli, tmp_path: Path) -> None:
    """An error message quotes what it is about (a file's name, a server's answer); the
    control characters in it are shown as marks, not sent to the terminal."""
    missing = tmp_path / f"story{TITLE}{CLEAR}.md"
    result = desk("import", str(missing), ok=False)
    assert result.exit_code == 1
    assert "no such source file" in result.stderr
    assert not ACTED_ON.search(result.stderr), repr(result.stderr)
    assert "␛]0;PWNED␇␛[2J.md" in result.stderr


HOSTILE_GLOSSARY = """\
[lattakia]
canonical = "Lattakia"
arabic = ["اللاذقية"]
variants = ["Latakia"]
kind = "place"
notes = "house spelling\\r since\\u0085 2014"
"""


@pytest.fixture
def hostile_glossary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, desk: DeskCli) -> str:
    """A glossary whose notes hold a carriage return and a NEL (a C1 control), which notes
    may hold as line breaks (names and other controls are refused when a glossary is
    read), and a story that uses its variant beside terminal sequences."""
    folder = tmp_path / "hostile-glossary"
    folder.mkdir()
    (folder / "places.toml").write_text(HOSTILE_GLOSSARY, encoding="utf-8")
    monkeypatch.setenv("DESK_GLOSSARY", str(folder))
    source = tmp_path / "g.ar.md"
    source.write_text("# قصف على اللاذقية\n\nقال المرصد إن القصف استمر في اللاذقية.\n",
                      encoding="utf-8")  # fmt: skip
    draft = tmp_path / "g.draft.en.md"
    draft.write_text(
        f"# Shelling of Latakia{CLEAR}\n\nThe Observatory said it went on in {TITLE}Latakia.\n",
        encoding="utf-8",
    )
    desk("import", str(source), "--draft", str(draft), "--slug", "g", "--as", "rania")
    return "g"


@pytest.mark.parametrize(
    ("command", "mark"),
    [
        (("glossary", "list"), ""),
        (("glossary", "show", "lattakia"), "house spelling␍ since<U+0085> 2014"),
        (("glossary", "search", "Lata"), ""),
        (("glossary", "check", "g"), ""),
        (("qa", "g"), ""),
    ],
)
def test_no_control_from_a_glossary_reaches_the_terminal(
    desk: DeskCli, hostile_glossary: str, command: tuple[str, ...], mark: str
) -> None:
    """The glossary commands and the QA list print a glossary's names and notes, and
    findings in story text, with no character a terminal acts on, on stdout and stderr
    alike; `glossary show` prints the notes' carriage return and NEL as marks."""
    result = desk(*command, ok=False)
    assert result.exit_code in (0, 1), result.output
    printed = result.stdout + result.stderr
    assert not ACTED_ON.search(printed), repr(printed)
    assert mark in printed, printed


def test_a_log_filter_quoting_hostile_text_shows_it_visible(desk: DeskCli, story: str) -> None:
    """`desk log --by NAME` quotes the name it was given when nothing matches."""
    result = desk("diff", "esc", "--by", f"x{TITLE}")
    assert not ACTED_ON.search(result.output), repr(result.output)
    assert "x␛]0;PWNED␇" in result.output


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        """At zero."""
        self.now = 0.0

    def __call__(self) -> float:
        """The time now."""
        return self.now


class TerminalFile(io.StringIO):
    """Captured output that says it is a terminal, so the bar draws itself."""

    def isatty(self) -> bool:
        """A terminal."""
        return True


def drafting(gaps: list[float], total: int) -> tuple[list[float | None], str]:
    """Advance a bar of `total` items, item i arriving gaps[i] s after the one before:
    the time left after each item, and what a terminal was shown."""
    clock, screen = Clock(), TerminalFile()
    estimates: list[float | None] = []
    with Progress(total, "Drafting", file=screen, clock=clock) as bar:
        for gap in gaps:
            clock.now += gap
            bar.advance()
            estimates.append(bar.eta())
    return estimates, screen.getvalue()


def test_progress_shows_no_wild_first_eta() -> None:
    """The draft that said 00:01:17: a 78-segment story whose first segment took a second
    (the model loading) and the rest 1.3 ms each. No time left is ever guessed: there
    was never a second of evidence after the first segment."""
    estimates, screen = drafting([1.0] + [0.0013] * 77, 78)
    assert estimates == [None] * 78
    assert "left" not in screen
    assert "100%" in screen


def test_progress_eta_is_measured_from_the_first_item() -> None:
    """A slow start (5 s) then 1/8 s a segment: the first time left shown is the true
    one, not the start-up spread over the segments done."""
    estimates, screen = drafting([5.0] + [0.125] * 99, 100)
    shown = [(i, e) for i, e in enumerate(estimates) if e is not None]
    first_at, first = shown[0]
    assert first_at == 8  # a second after the first segment (and 3 more segments)
    assert first == pytest.approx((100 - 9) * 0.125)
    assert all(e == pytest.approx((100 - i - 1) * 0.125) for i, e in shown)
    assert "0:00:11 left" in screen
    assert estimates[-1] is None  # done: nothing left to guess


def test_progress_waits_for_a_few_items() -> None:
    """Slow, steady items (2 s each): a second passes at once, but the time left waits for
    three items after the first."""
    estimates, _ = drafting([2.0] * 10, 10)
    assert estimates[:3] == [None, None, None]
    assert estimates[3] == pytest.approx(12.0)


def test_progress_draws_only_on_a_terminal_and_for_more_than_one_item() -> None:
    """A pipe or a file gets no bar (nor its escape sequences); one item gets none."""
    piped = io.StringIO()
    with Progress(5, "Drafting", file=piped) as bar:
        for _ in range(5):
            bar.advance()
    assert piped.getvalue() == ""
    single = TerminalFile()
    with Progress(1, "Drafting", file=single) as bar:
        bar.advance()
    assert single.getvalue() == ""
    assert bar.done == 1
