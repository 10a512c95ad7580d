"""Installing from the Argos package index, through argostranslate's own index code."""

from __future__ import annotations

import logging
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desk.core.engine.base import EngineError
from desk.core.engine.packages import PackageInfo, desk_engine_dir, install_file

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"


def index_url() -> str:
    """The index location: $ARGOS_PACKAGE_INDEX (as Argos reads it), else Argos's own."""
    url = os.environ.get("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX
    return url if url.endswith("/") else url + "/"


@contextmanager
def _quiet_argos() -> Iterator[None]:
    """argostranslate logs download failures itself; desk reports them in one line instead."""
    logger = logging.getLogger("argostranslate.utils")
    saved = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = saved


def _reason(url: str) -> str:
    """Why `url` cannot be fetched, in a few words (argostranslate does not say)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code} {exc.reason}"
    except urllib.error.URLError as exc:
        return f"{exc.reason}"
    except (OSError, ValueError) as exc:
        return str(exc)


def install_from_index(
    home: Path, from_code: str = "ar", to_code: str = "en", replace: bool = False
) -> PackageInfo:
    """Find the newest from→to package in the Argos index, download it, check and install it."""
    if (from_code, to_code) != ("ar", "en"):
        raise EngineError(
            f"desk drafts Arabic to English; there is no use for {from_code}→{to_code}"
        )
    # argostranslate creates its folders when imported: import it only here, on demand.
    import packaging.version
    from argostranslate import package as argos_package
    from argostranslate import settings as argos_settings

    url = index_url()
    work_root = desk_engine_dir(home)
    work_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work_root, prefix=".download-") as tmp:
        # Point argostranslate's index code at this index and a private download folder,
        # so nothing half-downloaded lands where Argos or another desk would read it.
        argos_settings.remote_package_index = url + "index.json"
        argos_settings.local_package_index = Path(tmp) / "index.json"
        argos_settings.downloads_dir = Path(tmp)
        with _quiet_argos():
            argos_package.update_package_index()
            if not Path(argos_settings.local_package_index).exists():
                raise EngineError(
                    f"cannot download the Argos package index {url}index.json: "
                    f"{_reason(url + 'index.json')}"
                )
            try:
                available = argos_package.get_available_packages()
            except (ValueError, TypeError, AttributeError) as exc:
                raise EngineError(f"the package index at {url} is not valid ({exc})") from None
            matches = [
                p
                for p in available
                if getattr(p, "type", "translate") == "translate"
                and p.from_code == from_code
                and p.to_code == to_code
            ]
            if not matches:
                pairs = sorted({f"{p.from_code}→{p.to_code}" for p in available})
                raise EngineError(
                    f"the package index at {url} has no {from_code}→{to_code} package "
                    f"(it has {len(pairs)} pairs: {', '.join(pairs[:12]) or 'none'})"
                )
            best = max(matches, key=lambda p: packaging.version.parse(p.package_version or "0"))
            try:
                archive = best.download()
            except Exception as exc:  # argostranslate raises bare Exception on failure
                links = ", ".join(best.links) or "no link"
                reason = _reason(best.links[0]) if best.links else str(exc)
                raise EngineError(f"cannot download {best} from {links}: {reason}") from None
        return install_file(
            Path(archive),
            home,
            expect=(from_code, to_code),
            replace=replace,
            label=(best.links or [""])[0],
        )
