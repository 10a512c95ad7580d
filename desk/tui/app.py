"""The workbench app: wiring only. `make_app` is used by the CLI and the tests alike."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import get_current_worker

from desk.app.home import Home, author_is_login_name, resolve_author
from desk.core.errors import DeskError
from desk.core.store.live import Change, Listener
from desk.tui.context import GlossaryLoad, Workbench
from desk.tui.screens.editor import EditorScreen
from desk.tui.screens.glossary_scan import keep
from desk.tui.screens.help import HelpScreen
from desk.tui.screens.keymap import keyed, keys_of
from desk.tui.screens.story_list import StoryListScreen
from desk.tui.signals import catch_stops, end_later, guard_resume, release_stops

if TYPE_CHECKING:
    from desk.core.engine.base import Engine
    from desk.core.glossary.enforce import Enforcer

LISTEN_SECONDS = 0.25
"""How long the shared desk's listener waits for news before it looks again."""
RECONNECT_SECONDS = 2.0
"""While the shared desk's server is away, how often the listener tries it again."""

PAINT_WAIT_SECONDS = 2.0
"""The longest the glossary's loading waits for the workbench's first frame."""

THEMES = {"dark": "textual-dark", "light": "textual-light"}
"""The `[tui] theme` setting's values and the Textual themes they name."""


class DeskApp(App[None]):
    """The desk workbench over one desk home, for one author."""

    CSS_PATH = "desk.tcss"
    TITLE = "desk"
    # `?` types into the English while the editor has focus, so F1 opens help there.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "help", "Help", tooltip="List every key of this screen."),
        Binding("f10", "toggle_theme", "Theme", tooltip="Switch between the dark and light theme."),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            show=False,
            priority=True,
            tooltip="Save the English being typed (or keep it for the next open), then leave.",
        ),
    ]
    BINDINGS = keyed(BINDINGS)  # `[tui.keys]` may rebind them too

    def __init__(self, workbench: Workbench, *, slug: str | None = None) -> None:
        """Work in `workbench`; with `slug`, open that story straight away."""
        super().__init__()
        self.workbench = workbench
        self.start_slug = slug
        self.painted = threading.Event()
        """Set once the first screen (the story list, or the story asked for) is drawn."""

    async def action_quit(self) -> None:
        """Save the English being typed (or keep it for the next open), then quit: Ctrl+Q
        and the palette's Quit alike."""
        self.save_pending()
        self.exit()

    def save_pending(self) -> None:
        """Every editor's unsaved English saved, or kept in the desk home's recovery."""
        for screen in self.screen_stack:
            if isinstance(screen, EditorScreen):
                screen.save_before_exit()

    def _handle_exception(self, error: Exception) -> None:
        """Whatever ends the app (a closed terminal's read error included), the English
        being typed is saved or kept first."""
        with contextlib.suppress(Exception):
            self.save_pending()
        super()._handle_exception(error)

    def hang_up(self, signum: int) -> None:
        """The terminal closed (SIGHUP) or desk was told to stop (SIGTERM): save, quit,
        and end within a few seconds whatever the shutdown does (desk.tui.signals)."""
        self.save_pending()
        end_later(signum)
        self.exit()

    def on_cursor_position(self, event: events.CursorPosition) -> None:
        """Shift+F3 as xterm and tmux send it (ESC [1;2R) reads as a cursor position
        report of row 1, column 2; desk never asks for one, so it is that key (Textual's
        parser would drop it, and finding 3 could not be applied)."""
        if (event.y, event.x) == (0, 1):
            self.simulate_key("shift+f3")

    def on_unmount(self) -> None:
        """Give the signals back."""
        release_stops()

    def on_mount(self) -> None:
        """The configured theme, the story list first, then the story asked for, if any."""
        catch_stops(self.hang_up)
        guard_resume(self._driver)
        self.theme = THEMES.get(self.workbench.home.config.tui_theme, THEMES["dark"])
        # `[tui.keys]`: the bindings' ids are their action names (see `keyed`).
        self.set_keymap(self.workbench.home.config.tui_keys)
        self.push_screen(StoryListScreen(self.workbench))
        if self.start_slug is not None:
            self.push_screen(EditorScreen(self.workbench, self.start_slug))
        listener = self.workbench.desk.store.listener()
        if listener is not None:
            self.listen(listener)
        self.call_after_refresh(self.painted.set)
        self.load_glossary()

    @work(thread=True, exclusive=True, exit_on_error=False, group="glossary")
    def load_glossary(self) -> None:
        """Load the house glossary's enforcer once the first screen is drawn, so that it
        is ready when a story opens (the home keeps it; an editor's scan that starts
        meanwhile waits for this load rather than making its own)."""
        self.painted.wait(PAINT_WAIT_SECONDS)
        try:
            keep(self.workbench.home.enforcer())
        except DeskError:
            return  # a bad glossary file: the editor's scan meets it again and says so

    @work(thread=True, exclusive=True, exit_on_error=False, group="live")
    def listen(self, listener: Listener) -> None:
        """A shared desk's news: others' saves and leases, handed to the screen shown
        within LISTEN_SECONDS; while the server is away, tried again every few seconds."""
        worker = get_current_worker()
        try:
            while not worker.is_cancelled:
                try:
                    changes = listener.wait(LISTEN_SECONDS)
                except DeskError:
                    time.sleep(RECONNECT_SECONDS)
                    continue
                if changes and not worker.is_cancelled:
                    self.call_from_thread(self.others_changed, changes)
        finally:
            listener.close()

    def others_changed(self, changes: list[Change]) -> None:
        """Tell the screen shown (the story list, an editor) what others changed."""
        screen = self.screen
        if isinstance(screen, StoryListScreen | EditorScreen):
            screen.others_changed(changes)

    def action_toggle_theme(self) -> None:
        """Dark to light and back (Textual's built-in themes; the layout is in desk.tcss)."""
        self.theme = THEMES["dark"] if self.theme == THEMES["light"] else THEMES["light"]

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette (Ctrl+P): every key of the screen by name ("help", "go to",
        "filter", "publish"...), with its key shown, then Textual's own commands."""
        for keys, description, tooltip, action in _commands(self, screen):
            yield SystemCommand(
                f"{description} ({keys})", tooltip or description, partial(_run, screen, action)
            )
        yield from super().get_system_commands(screen)

    def action_help(self) -> None:
        """Show the keys of the current screen."""
        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        self.push_screen(HelpScreen(_title(screen), _keys(self, screen)))


def _title(screen: Screen[object]) -> str:
    """What the help calls the screen."""
    return str(getattr(screen, "HELP_TITLE", "desk"))


def _keys(app: App[None], screen: Screen[object]) -> list[tuple[str, str, str]]:
    """(keys, description, tooltip) of every binding the screen and the app declare."""
    return [entry[:3] for entry in _commands(app, screen)]


async def _run(screen: Screen[object], action: str) -> None:
    """Run a binding's action as its key would (an `app.` action on the app)."""
    await screen.run_action(action)


def _commands(app: App[None], screen: Screen[object]) -> list[tuple[str, str, str, str]]:
    """(keys, description, tooltip, action) of every binding the screen and the app
    declare, each action once."""
    out: list[tuple[str, str, str, str]] = []
    seen: set[str] = set()
    for node in (screen, app):
        for binding in type(node).BINDINGS:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            if binding.action.removeprefix("app.") in seen:
                continue  # the editor repeats the app's Help so its footer shows it first
            seen.add(binding.action.removeprefix("app."))
            keys = " ".join(
                app.get_key_display(Binding(key, "")) for key in keys_of(binding, app._keymap)
            )
            action = binding.action if node is screen else f"app.{binding.action}"
            out.append((keys, binding.description, binding.tooltip, action))
    return out


def preload_glossary(home: Home) -> GlossaryLoad:
    """Start loading the house glossary's enforcer now, in a thread of its own: the
    workbench opens straight on a story, and its editor shows the first screen's
    findings in its first frame when the enforcer is loaded by the time it mounts (from
    the home's compiled glossary: tens of milliseconds, while Textual starts), or soon
    after (the editor waits a little for it: `EditorScreen.OPENING_WAIT_SECONDS`).
    Slower (the first load after a glossary edit), the editor's scan waits for this load
    rather than making its own. Any failure is left to that scan, which reports it.
    Returns the load, whose events say when it is over and whether it compiles."""
    state = GlossaryLoad()

    def load() -> None:
        try:
            with contextlib.suppress(Exception):
                home.enforcer(on_compile=state.compiling.set)
        finally:
            state.over.set()

    threading.Thread(target=load, name="desk-glossary", daemon=True).start()
    return state


def make_app(
    home: Home | Path | None = None,
    *,
    author: str | None = None,
    slug: str | None = None,
    arabic_display: str | None = None,
    engine: Engine | None = None,
    enforcer: Enforcer | None = None,
) -> DeskApp:
    """The workbench over `home` (a Home, a desk home folder, or the default one), as
    `author`; the CLI and the tests build it the same way.

    `arabic_display` (`shaped` or `raw`) overrides the config's `[tui] arabic_display`;
    `engine` and `enforcer` replace the desk's own (a test's fake or the demo engine).
    """
    if not isinstance(home, Home):
        home = Home.at(home)
    if engine is not None or enforcer is not None:
        home = Home(home.path, engine=engine, enforcer=enforcer)
    loading = None
    if slug is not None:
        home.desk.store.story_id(slug)  # an unknown slug is refused before the UI starts
        loading = preload_glossary(home)
    home.config  # noqa: B018  # a bad config.toml (e.g. [tui.keys]) is refused before the UI
    workbench = Workbench(
        home, resolve_author(author), author_is_login_name(author), arabic_override=arabic_display
    )
    workbench.glossary_loading = loading
    return DeskApp(workbench, slug=slug)
