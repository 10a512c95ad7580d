"""`desk engine install` and `desk engine list` against servers and files that lie, hang
or flood: a clear one-line error (exit 7), bounded time, nothing left behind."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.cli import main
from desk.core.engine.packages import demo_package_file
from tests.helpers.cli import DeskCli
from tests.helpers.packages import (
    Route,
    answer,
    dribble,
    flood,
    hang,
    hostile_server,
    index_entry,
    make_package,
    redirect,
)

DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.fixture(autouse=True)
def quick_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Timeouts of a second or two, so a hostile server costs a test little time."""
    monkeypatch.setenv("DESK_FETCH_TIMEOUT", "1")
    monkeypatch.setenv("DESK_FETCH_DEADLINE", "2")
    monkeypatch.setenv("DESK_DOWNLOAD_LIMIT_MB", "1")


def left_in(home: Path) -> list[str]:
    """Everything in desk's engine folder, hidden work folders included."""
    folder = home / "engines"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def fails(desk: DeskCli, *args: str) -> str:
    """Run a desk command expected to fail as an engine error: its one-line message
    (after the line saying which index is fetched, or which engine drafts)."""
    result = desk(*args, ok=False)
    assert result.exit_code == 7, result.output + result.stderr
    notices = ("Fetching the package index ", "Drafting ")
    lines = [line for line in result.stderr.splitlines() if not line.startswith(notices)]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, dict[str, Route]]]:
    """A server on 127.0.0.1 that ARGOS_PACKAGE_INDEX points at, serving a good package
    at good.argosmodel; the test sets its other routes (index.json first)."""
    archive = make_package(tmp_path / "dl", name="translate-ar_en-1_0").read_bytes()
    routes: dict[str, Route] = {"good.argosmodel": answer(archive)}
    with hostile_server(routes) as base:
        monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
        yield base, routes


def serve_index(routes: dict[str, Route], entries: object) -> None:
    """Serve `entries` as the index (bytes as they are, anything else as JSON)."""
    body = entries if isinstance(entries, bytes) else json.dumps(entries).encode()
    routes["index.json"] = answer(body)


def good(base: str) -> dict[str, object]:
    """The index entry of the good package."""
    return index_entry("translate-ar_en-1_0", base + "good.argosmodel")


def with_(entry: dict[str, object], **changes: object) -> dict[str, object]:
    """An index entry with some fields changed."""
    return {**entry, **changes}


LYING_ENTRIES = {
    "bad version": ({"package_version": "1.0 beta!"}, "package_version '1.0 beta!' is not"),
    "links null": ({"links": None}, "links is not a list of URLs"),
    "links not strings": ({"links": [1, {"a": 2}]}, "links is not a list of URLs"),
    "only ipfs": ({"links": ["ipfs://Qm"]}, "no http or https link"),
    "code a number": ({"from_code": 7}, "from_code is not a short text"),
    "escape in code": ({"to_code": "en\x1b]0;x\a"}, "to_code is not a short text"),
    "checksum not hex": ({"sha256": 12}, "sha256 is not 64 hex digits"),
}


@pytest.mark.parametrize("case", sorted(LYING_ENTRIES))
def test_an_index_entry_that_lies_is_skipped(
    desk: DeskCli, desk_home: Path, site: tuple[str, dict[str, Route]], case: str
) -> None:
    """Alone, a lying ar→en entry is named as skipped; beside a good one, the good one
    installs (a newer version that lies does not win)."""
    base, routes = site
    change, phrase = LYING_ENTRIES[case]
    liar = with_(with_(good(base), package_version="9.0"), **change)
    serve_index(routes, [liar])
    message = fails(desk, "engine", "install", "ar", "en")
    assert "no ar→en package" in message and "skipped 1 malformed" in message
    assert phrase in message
    serve_index(routes, [liar, good(base), "not an entry", None])
    result = desk("engine", "install", "ar", "en")
    assert "Installed translate-ar_en-1_0 1.0" in result.output
    assert left_in(desk_home) == ["translate-ar_en-1_0"]


@pytest.mark.parametrize(
    ("index", "phrase"),
    [
        (DEEP, "nested too deeply"),
        (b'{"packages": []}', "is not a JSON list of packages"),
        (b"[{]", "is not valid JSON"),
        (b"[\xff\xfe]", "is not valid JSON"),
    ],
    ids=["deep", "object", "malformed", "not utf-8"],
)
def test_an_index_that_lies_is_a_clear_error(
    desk: DeskCli, desk_home: Path, site: tuple[str, dict[str, Route]], index: bytes, phrase: str
) -> None:
    """A whole index that is not a list of entries: one line naming the index."""
    base, routes = site
    serve_index(routes, index)
    message = fails(desk, "engine", "install", "ar", "en")
    assert f"the package index {base}index.json" in message and phrase in message
    assert left_in(desk_home) == []


@pytest.mark.parametrize(
    ("route", "phrase"),
    [
        (hang(), "no answer for 1 s"),
        (dribble(every=0.2), "took longer than the 2 s deadline"),
        (flood(), "sent more than the 16 MB limit"),
        (answer(b"x" * 100, 503), "HTTP 503"),
    ],
    ids=["hang", "dribble", "flood", "error"],
)
def test_an_index_server_that_hangs_or_floods_fails_in_bounded_time(
    desk: DeskCli, desk_home: Path, site: tuple[str, dict[str, Route]], route: Route, phrase: str
) -> None:
    """The index fetch ends at the timeout, deadline or cap (argostranslate's waited
    forever and read any size into memory)."""
    base, routes = site
    routes["index.json"] = route
    message = fails(desk, "engine", "install", "ar", "en")
    assert f"cannot download the Argos package index {base}index.json: {phrase}" in message
    assert left_in(desk_home) == []


def test_package_downloads_that_lie_hang_or_flood(
    desk: DeskCli, desk_home: Path, site: tuple[str, dict[str, Route]]
) -> None:
    """Each bad package link fails naming the link and why, and nothing is left; a
    later good link in the same entry is used."""
    base, routes = site
    with hostile_server({"good.argosmodel": routes["good.argosmodel"]}, "localhost") as away:
        routes.update(
            {
                "hang.argosmodel": hang(),
                "slow.argosmodel": dribble(every=0.2),
                "huge.argosmodel": flood(),
                "away.argosmodel": redirect(away + "good.argosmodel"),
            }
        )
        cases = {
            "hang": "no answer for 1 s",
            "slow": "took longer than the 2 s deadline",
            "huge": "more than the 1 MB limit",
            "away": "redirected to another host (localhost); refused",
        }
        for name, phrase in cases.items():
            serve_index(routes, [with_(good(base), links=[f"{base}{name}.argosmodel"])])
            message = fails(desk, "engine", "install", "ar", "en")
            assert f"cannot download translate-ar_en-1_0 1.0 from {base}{name}" in message
            assert phrase in message
            assert left_in(desk_home) == []
    wrong = with_(good(base), sha256="ab" * 32)
    serve_index(routes, [wrong])
    assert "sha256 mismatch" in fails(desk, "engine", "install", "ar", "en")
    assert left_in(desk_home) == []
    links = [f"{base}hang.argosmodel", "ipfs://Qm", f"{base}good.argosmodel"]
    serve_index(routes, [with_(good(base), links=links)])
    assert "Installed translate-ar_en-1_0" in desk("engine", "install", "ar", "en").output


def test_a_matching_checksum_installs(
    desk: DeskCli, desk_home: Path, site: tuple[str, dict[str, Route]], tmp_path: Path
) -> None:
    """An entry's sha256, when it gives one, is checked and passes for the right bytes."""
    import hashlib

    base, routes = site
    digest = hashlib.sha256((tmp_path / "dl" / "translate-ar_en-1_0.argosmodel").read_bytes())
    serve_index(routes, [with_(good(base), sha256=digest.hexdigest().upper())])
    assert "Installed translate-ar_en-1_0" in desk("engine", "install", "ar", "en").output


def metadata_package(folder: Path, meta: str, name: str = "translate-ar_en-liar") -> Path:
    """A package archive whose metadata.json is `meta`."""
    return make_package(folder, name=name, metadata=meta)


BASE_META = {"from_code": "ar", "to_code": "en", "type": "translate", "package_version": "1.0"}
LYING_METADATA = {
    "deep": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "surrogate version": (
        json.dumps({**BASE_META, "package_version": "\ud800"}),
        "package_version is not valid Unicode text",
    ),
    "version a list": (json.dumps({**BASE_META, "package_version": [1]}), "not a string"),
    "huge": (json.dumps({**BASE_META, "description": "x" * 1_100_000}), "larger than 1 MB"),
    "long number": ('{"package_version": ' + "1" * 5000 + "}", "not valid JSON"),
}


@pytest.mark.parametrize("case", sorted(LYING_METADATA))
def test_package_metadata_that_lies_is_refused_at_install(
    desk: DeskCli, desk_home: Path, tmp_path: Path, case: str
) -> None:
    """Metadata that would break desk later is refused at install, naming the file."""
    meta, phrase = LYING_METADATA[case]
    archive = metadata_package(tmp_path / "dl", meta)
    message = fails(desk, "engine", "install", str(archive))
    assert "translate-ar_en-liar/metadata.json" in message and phrase in message
    assert left_in(desk_home) == []


@pytest.mark.parametrize("case", sorted(LYING_METADATA))
def test_a_broken_package_in_the_argos_dir_is_listed_and_does_not_stop_drafts(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """`desk engine list` lists a broken package as broken with the reason (exit 0), and
    a draft still comes from a good package."""
    argos_dir = tmp_path / "argos-packages"
    meta, phrase = LYING_METADATA[case]
    with zipfile.ZipFile(metadata_package(tmp_path / "dl", meta)) as zf:
        zf.extractall(argos_dir)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(argos_dir))
    desk("engine", "install", str(demo_package_file()))
    listing = desk("engine", "list").output
    assert "! translate-ar_en-liar" in listing and phrase in listing
    rows = json.loads(desk("engine", "list", "--json").output)
    assert [(r["name"], r["broken"] is None) for r in rows] == [
        ("translate-ar_en-0_1_0-demo", True),
        ("translate-ar_en-liar", False),
    ]
    story = tmp_path / "story.ar.md"
    story.write_text("# عنوان\n\nقال المرصد إن القصف استمر.\n", encoding="utf-8")
    assert "Drafted 2 segment(s)" in desk("import", str(story), "--as", "tr").output
    assert "translate-ar_en-liar" in fails(desk, "engine", "use", "translate-ar_en-liar")
    refused = desk("engine", "remove", "translate-ar_en-liar", ok=False)
    assert refused.exit_code == 4 and "Argos's shared package folder" in refused.stderr
    desk("engine", "remove", "translate-ar_en-liar", "--yes")
    assert "! translate-ar_en-liar" not in desk("engine", "list").output
    assert list(argos_dir.iterdir()) == []


def test_text_from_a_package_never_drives_the_terminal(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A language code or version holding a title-setting escape is shown as marks, in
    the install's error and in `desk engine list`."""
    title = "\x1b]0;owned\x07"
    meta = json.dumps({**BASE_META, "from_code": "ar" + title})
    message = fails(desk, "engine", "install", str(metadata_package(tmp_path / "a", meta)))
    assert "translates ar?]0;owned?→en" in message and "\x1b" not in message
    argos_dir = tmp_path / "argos-packages"
    meta = json.dumps({**BASE_META, "package_version": "1.0" + title})
    with zipfile.ZipFile(metadata_package(tmp_path / "b", meta)) as zf:
        zf.extractall(argos_dir)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(argos_dir))
    listing = desk("engine", "list").output
    assert "1.0␛]0;owned␇" in listing and "\x1b" not in listing


def test_drafting_without_a_usable_package_says_which_are_broken(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With only a broken package, the first draft installs the demo model and says the
    broken one was passed over (not that no package was installed at all)."""
    argos_dir = tmp_path / "argos-packages"
    with zipfile.ZipFile(metadata_package(tmp_path / "dl", LYING_METADATA["deep"][0])) as zf:
        zf.extractall(argos_dir)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(argos_dir))
    story = tmp_path / "story.ar.md"
    story.write_text("# عنوان\n\nقال المرصد إن القصف استمر.\n", encoding="utf-8")
    result = desk("import", str(story), "--as", "tr")
    assert "installed its demo model" in result.stderr
    assert "1 package folder(s) could not be used (translate-ar_en-liar)" in result.stderr


def test_a_package_folder_named_in_bytes_that_are_not_utf8_is_listed_as_broken(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder whose name is not UTF-8 (Python keeps such bytes as lone surrogates,
    which cannot be printed) is listed as broken with a printable name."""
    argos_dir = tmp_path / "argos-packages"
    with zipfile.ZipFile(make_package(tmp_path / "dl", name="translate-ar_en-x")) as zf:
        zf.extractall(argos_dir)
    os.rename(argos_dir / "translate-ar_en-x", os.fsencode(argos_dir) + b"/translate-\xff")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(argos_dir))
    assert "! translate-?" in desk("engine", "list").output
    (row,) = json.loads(desk("engine", "list", "--json").output)
    assert row["name"] == "translate-?" and "not printable text" in row["broken"]


def test_demo_is_json_true_only(desk: DeskCli, tmp_path: Path) -> None:
    """`"demo": "false"` is a string, not a yes: the package is not labelled demo."""
    meta = json.dumps({**BASE_META, "demo": "false"})
    desk("engine", "install", str(metadata_package(tmp_path / "dl", meta)))
    rows = json.loads(desk("engine", "list", "--json").output)
    assert [(r["name"], r["demo"]) for r in rows] == [("translate-ar_en-liar", False)]
    assert "demo model" not in desk("engine", "list").output


def test_a_killed_install_leaves_nothing_after_the_next_run(
    desk: DeskCli, desk_home: Path, site: tuple[str, dict[str, Route]]
) -> None:
    """SIGKILL or SIGTERM during a real `desk engine install` leaves its work folder; the
    next `desk engine list` removes it, but never the one a running install holds."""
    base, routes = site
    routes["hang.argosmodel"] = hang()
    serve_index(routes, [with_(good(base), links=[f"{base}hang.argosmodel"])])
    command = [sys.executable, "-m", "desk", "engine", "install", "ar", "en"]
    # These installs wait on the hanging download long enough to be found and killed.
    env = {**os.environ, "DESK_FETCH_TIMEOUT": "60", "DESK_FETCH_DEADLINE": "60"}
    for stop in ("kill", "terminate"):
        doomed = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        killed = wait_for_work_folder(desk_home)
        alive = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        held = wait_for_work_folder(desk_home, besides=killed)
        getattr(doomed, stop)()
        doomed.wait()
        assert killed.exists(), f"the install stopped by {stop} left no work folder"
        desk("engine", "list")
        assert not killed.exists() and held.exists()
        alive.kill()
        alive.wait()
        desk("engine", "list")
        assert left_in(desk_home) == []
    # An older desk's leftover (no owner file) goes once it is an hour old.
    old = desk_home / "engines" / ".installing-oldstyle"
    (old / "pkg").mkdir(parents=True)
    desk("engine", "list")
    assert old.exists()
    hour_ago = time.time() - 3700
    os.utime(old, (hour_ago, hour_ago))
    desk("engine", "list")
    assert left_in(desk_home) == []


def test_a_kill_while_unpacking_leaves_nothing_after_the_next_run(
    desk: DeskCli, desk_home: Path, tmp_path: Path
) -> None:
    """SIGKILL while a real `desk engine install FILE` unpacks a 300 MB model leaves its
    `.installing-*` folder; the next `desk engine list` removes it."""
    archive = tmp_path / "translate-ar_en-big.argosmodel"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("translate-ar_en-big/metadata.json", json.dumps(BASE_META))
        zf.writestr("translate-ar_en-big/sentencepiece.model", b"placeholder")
        with zf.open("translate-ar_en-big/model/model.bin", "w", force_zip64=True) as out:
            for _ in range(300):
                out.write(bytes(1024**2))
    command = [sys.executable, "-m", "desk", "engine", "install", str(archive)]
    with subprocess.Popen(command, stderr=subprocess.DEVNULL) as install:
        folder = wait_for_work_folder(desk_home, prefix=".installing-")
        install.kill()
    assert folder.exists()
    desk("engine", "list")
    assert left_in(desk_home) == []


def wait_for_work_folder(
    home: Path, besides: Path | None = None, prefix: str = ".download-"
) -> Path:
    """A work folder an install has made in `home`, other than `besides`."""
    for _ in range(2000):
        for path in (home / "engines").glob(prefix + "*"):
            if path != besides and (path / ".owner").exists():
                return path
        time.sleep(0.01)
    raise AssertionError("the install never made its work folder")


@pytest.fixture
def small_engine_dir(desk_home: Path) -> Iterator[Path]:
    """desk's engine folder on a 256 KB tmpfs (skipped where this test cannot mount one)."""
    yield from engine_dir_on_tmpfs(desk_home, "size=256k")


@pytest.fixture
def read_only_engine_dir(desk_home: Path) -> Iterator[Path]:
    """desk's engine folder on a read-only tmpfs (skipped where this test cannot mount)."""
    yield from engine_dir_on_tmpfs(desk_home, "size=256k,ro")


def engine_dir_on_tmpfs(desk_home: Path, options: str) -> Iterator[Path]:
    """Mount a tmpfs with `options` on desk's engine folder for one test."""
    folder = desk_home / "engines"
    folder.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip() or 'not root'}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_at_install_is_said_as_such(
    desk: DeskCli, small_engine_dir: Path, tmp_path: Path
) -> None:
    """A package that does not fit on the disk: "the disk is full" (exit 7), not a
    corrupt archive, and the half-unpacked folder is gone."""
    archive = tmp_path / "translate-ar_en-big.argosmodel"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("translate-ar_en-big/metadata.json", json.dumps(BASE_META))
        zf.writestr("translate-ar_en-big/sentencepiece.model", b"placeholder")
        zf.writestr("translate-ar_en-big/model/model.bin", bytes(2 * 1024**2))
    message = fails(desk, "engine", "install", str(archive))
    assert "the disk is full" in message and "corrupt" not in message
    assert list(small_engine_dir.iterdir()) == []


def test_a_package_with_a_broken_tokenizer_is_an_engine_error(
    desk: DeskCli, tmp_path: Path
) -> None:
    """The demo model with a tokenizer that is not one: `desk draft` fails in one line
    naming the package (exit 7), not a sentencepiece traceback mid-draft."""
    archive = tmp_path / "translate-ar_en-badtok.argosmodel"
    with zipfile.ZipFile(demo_package_file()) as demo, zipfile.ZipFile(archive, "w") as out:
        for member in demo.infolist():
            name = "translate-ar_en-badtok/" + member.filename.split("/", 1)[1]
            data = demo.read(member)
            if name.endswith("sentencepiece.model"):
                data = b"not a sentencepiece model"
            out.writestr(name, data)
    desk("engine", "install", str(archive))
    story = tmp_path / "story.ar.md"
    story.write_text("# عنوان\n\nقال المرصد إن القصف استمر.\n", encoding="utf-8")
    desk("import", str(story), "--no-mt", "--slug", "story", "--as", "tr")
    message = fails(desk, "draft", "story", "--as", "tr")
    assert "translate-ar_en-badtok: cannot load the sentencepiece tokenizer" in message


# Fuzzing: generated index JSON and package metadata through the CLI.

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        ["ar", "en", "1.0", "9.9", "translate", "", "\x1b]0;x\x07", "\ud800", "1.0 beta"]
    ),
    st.text(max_size=8),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["from_code", "to_code", "links", "x"]), inner, max_size=3),
    ),
    max_leaves=8,
)
INDEX_KEYS = ["from_code", "to_code", "package_version", "links", "code", "type", "sha256"]
META_KEYS = ["from_code", "to_code", "package_version", "type", "demo", "description",
             "target_prefix"]  # fmt: skip
RAW_JSON = [
    b"[" * 50_000 + b"]" * 50_000, b'{"a": ' * 30_000 + b"1" + b"}" * 30_000, b"[1e999]",
    b"[NaN]", b'["\\ud800"]', b"\xff\xfe", b"", b"[{}]", b'{"from_code": "ar"}', b"1" * 5000,
]  # fmt: skip


@st.composite
def index_files(draw: st.DrawFn, base: str) -> bytes:
    """An index: good entries with fields replaced by any JSON value, other values, or
    raw bytes that are hardly JSON at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(RAW_JSON))
    entries: list[object] = []
    for _ in range(draw(st.integers(0, 3))):
        entry: dict[str, object] = dict(good(base))
        changes = draw(st.dictionaries(st.sampled_from(INDEX_KEYS), json_values, max_size=3))
        entries.append({**entry, **changes})
    entries += draw(st.lists(json_values, max_size=2))
    order = draw(st.permutations(entries))
    return json.dumps(order).encode()


@st.composite
def metadata_files(draw: st.DrawFn) -> bytes:
    """A metadata.json: the good fields with some replaced by any JSON value, or raw."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(RAW_JSON))
    changes = draw(st.dictionaries(st.sampled_from(META_KEYS), json_values, max_size=3))
    return json.dumps({**BASE_META, **changes}).encode()


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Route]]]:
    """One server for all generated indexes (a fresh one per example would cost seconds)."""
    folder = tmp_path_factory.mktemp("fuzz-site")
    archive = make_package(folder, name="translate-ar_en-1_0").read_bytes()
    routes: dict[str, Route] = {"good.argosmodel": answer(archive)}
    with hostile_server(routes) as base:
        yield base, routes


def run_in(home: Path, *args: str, **env: str) -> Result:
    """`desk ARGS` in-process with `home` as the desk home; exceptions are caught."""
    env = {
        "DESK_HOME": str(home), "DESK_USER": "rania", "DESK_GLOSSARY": str(home / "none"),
        "ARGOS_PACKAGES_DIR": str(home / "argos"), "DESK_FETCH_TIMEOUT": "2",
        "DESK_FETCH_DEADLINE": "4", **env,
    }  # fmt: skip
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=True)


def assert_clean(result: Result, codes: set[int]) -> None:
    """An allowed exit code, no escaped exception, no escape sequence from the index or
    the package reaching the terminal, one error line on failure."""
    escaped = result.exception if not isinstance(result.exception, SystemExit) else None
    assert escaped is None, f"{type(escaped).__name__}: {escaped}\n{result.stderr}"
    assert result.exit_code in codes, result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert "\x1b" not in result.output + result.stderr
    if result.exit_code != 0:
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
        assert len(errors) == 1, result.stderr


FUZZ = settings(
    max_examples=40 * (10 if os.environ.get("DESK_STRESS") == "1" else 1),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(data=st.data())
def test_generated_indexes_install_or_fail_cleanly(
    fuzz_site: tuple[str, dict[str, Route]], data: st.DataObject
) -> None:
    """Any index: the good package installs, or exit 7 in one line; then `engine list`
    works."""
    base, routes = fuzz_site
    serve_index(routes, data.draw(index_files(base)))
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        installed = run_in(home, "engine", "install", "ar", "en", ARGOS_PACKAGE_INDEX=base)
        assert_clean(installed, {0, 7})
        listed = run_in(home, "engine", "list", "--json")
        assert_clean(listed, {0})
        names = [row["name"] for row in json.loads(listed.output)]
        assert names == (["translate-ar_en-1_0"] if installed.exit_code == 0 else [])


@FUZZ
@given(meta=metadata_files())
def test_generated_metadata_installs_or_fails_cleanly(meta: bytes) -> None:
    """Any metadata.json: installs or exit 7 in one line; as a package in Argos's folder,
    `desk engine list` still works and lists it, broken or not."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        archive = make_package(home / "dl", name="translate-ar_en-fuzz", metadata=meta)
        installed = run_in(home, "engine", "install", str(archive))
        assert_clean(installed, {0, 7})
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(home / "argos")
        for args in (("engine", "list"), ("engine", "list", "--json")):
            assert_clean(run_in(home, *args), {0})
        rows = json.loads(run_in(home, "engine", "list", "--json").output)
        assert [r["where"] for r in rows if r["name"] == "translate-ar_en-fuzz"] == (
            ["desk", "argos"] if installed.exit_code == 0 else ["argos"]
        )


def unsized(body: bytes) -> Route:
    """An answer without a Content-Length: the body, then the connection closes."""

    def route(handler: http.server.BaseHTTPRequestHandler, stop: object) -> None:
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(body)
        handler.close_connection = True

    return route


@pytest.mark.parametrize("sized", [True, False], ids=["sized", "unsized"])
def test_download_progress_shows_on_a_terminal_only(
    desk_home: Path, site: tuple[str, dict[str, Route]], tmp_path: Path, sized: bool
) -> None:
    """On a terminal the download's progress is drawn on stderr: a bar to 100% when the
    server says the size, else the megabytes so far; into a pipe, nothing."""
    base, routes = site
    if not sized:
        archive = make_package(tmp_path / "dl", name="translate-ar_en-1_0").read_bytes()
        routes["good.argosmodel"] = unsized(archive)
    serve_index(routes, [good(base)])
    command = [sys.executable, "-m", "desk", "engine", "install", "ar", "en", "--replace"]
    master, slave = os.openpty()
    try:
        with subprocess.Popen(command, stderr=slave, stdout=subprocess.DEVNULL) as on_tty:
            os.close(slave)
            drawn = b""
            while True:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the terminal's other end closed: the install is done
                    break
                if not chunk:
                    break
                drawn += chunk
        assert on_tty.returncode == 0, drawn
    finally:
        os.close(master)
    if sized:
        assert b"Downloading the package" in drawn and b"100%" in drawn, drawn
    else:
        assert b"\rDownloading the package: 0.0 MB" in drawn, drawn
    piped = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "Downloading" not in piped.stderr


def test_a_full_disk_during_a_download_is_said_as_such(
    desk: DeskCli, small_engine_dir: Path, site: tuple[str, dict[str, Route]]
) -> None:
    """A download that fills the disk: one line naming the link and a full disk, exit 7,
    and the partial file and its work folder are gone."""
    base, routes = site
    routes["big.argosmodel"] = flood(announce=600 * 1024)
    serve_index(routes, [with_(good(base), links=[f"{base}big.argosmodel"])])
    message = fails(desk, "engine", "install", "ar", "en")
    assert f"cannot save {base}big.argosmodel in" in message and "the disk is full" in message
    assert list(small_engine_dir.iterdir()) == []


def test_a_read_only_engine_dir_is_a_clear_error(
    desk: DeskCli, read_only_engine_dir: Path, tmp_path: Path
) -> None:
    """Installing into a read-only engine folder fails in one line naming it (exit 7);
    listing still works."""
    message = fails(desk, "engine", "install", str(make_package(tmp_path / "dl")))
    assert f"cannot work in {read_only_engine_dir}: Read-only file system" in message
    assert "No packages installed" in desk("engine", "list").output
