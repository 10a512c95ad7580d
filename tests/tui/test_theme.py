"""The workbench's theme: light or dark from the config, switched with F10."""

from __future__ import annotations

from desk.app.home import Home
from desk.locations import config_path
from desk.tui import make_app
from desk.tui.widgets.english_editor import EnglishEditor
from tests.helpers.tui import SIZE, SLUG, synchronous


@synchronous
async def test_theme_from_the_config_and_switched_with_f10(env: Home) -> None:
    """`[tui] theme = "light"` starts light; F10 switches, even while typing."""
    config_path(env.path).write_text('[tui]\ntheme = "light"\n', encoding="utf-8")
    app = make_app(Home(env.path), author="rania", slug=SLUG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light"
        assert isinstance(app.focused, EnglishEditor)
        await pilot.press("f10")
        assert app.theme == "textual-dark"
        await pilot.press("f10")
        assert app.theme == "textual-light"
    assert make_app(env, author="rania").workbench.home.config.tui_theme == "dark"
