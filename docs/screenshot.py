"""Make the README's screenshot of the editor: `python docs/screenshot.py [OUT.svg]`.

Imports the Lattakia sample with its pasted draft into a temporary desk home, with the
house glossary of `glossaries/`, opens the workbench headless at 110x34 on the headline
(which has glossary findings) and saves an SVG (default: docs/editor.svg).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLUG = "lattakia-offensive"
SIZE = (110, 34)


async def shoot(out: Path) -> None:
    """Import, open, wait for the glossary scan, save the SVG."""
    from desk.app.home import Home
    from desk.core.importer import ImportOptions
    from desk.tui import make_app

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DESK_GLOSSARY"] = str(ROOT / "glossaries")
        os.environ["DESK_CLOCK"] = "2015-03-06T09:30:00+00:00"
        home = Home(Path(tmp) / "home")
        samples = ROOT / "samples"
        home.desk.import_story(
            samples / f"{SLUG}.ar.md",
            ImportOptions(draft=samples / f"{SLUG}.draft.en.md"),
            author="importer",
        )
        app = make_app(home, author="rania", slug=SLUG)
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            svg = app.export_screenshot(title="desk editor")
        home.desk.store.close()
    out.write_text(svg, encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "editor.svg"
    asyncio.run(shoot(target))
