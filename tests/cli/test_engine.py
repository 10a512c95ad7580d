"""Installing Argos packages from a file and from an index served on 127.0.0.1."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from desk.cli import main
from desk.core.engine.packages import demo_package_file
from tests.helpers.cli import DeskCli
from tests.helpers.packages import closed_port_url, index_entry, make_package, serve


def engines_dir(home: Path) -> Path:
    """desk's engine folder in the test's desk home."""
    return home / "engines"


def installed(home: Path) -> list[str]:
    """Names of the package folders in desk's engine dir (hidden work folders included)."""
    folder = engines_dir(home)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_install_from_file_then_list_use_remove(
    desk: DeskCli, desk_home: Path, tmp_path: Path
) -> None:
    """A local .argosmodel installs, is listed and chosen, and removes cleanly."""
    archive = make_package(tmp_path / "dl", name="translate-ar_en-1_9", version="1.9")
    result = desk("engine", "install", str(archive))
    assert "Installed translate-ar_en-1_9 1.9" in result.output
    assert installed(desk_home) == ["translate-ar_en-1_9"]
    listing = json.loads(desk("engine", "list", "--json").output)
    assert [(p["name"], p["in_use"], p["where"]) for p in listing] == [
        ("translate-ar_en-1_9", True, "desk")
    ]
    again = desk("engine", "install", str(archive), ok=False)
    assert again.exit_code == 7 and "already installed" in again.stderr
    desk("engine", "install", str(archive), "--replace")
    desk("engine", "use", "translate-ar_en-1_9")
    assert "* translate-ar_en-1_9" in desk("engine", "list").output
    desk("engine", "use", "none")
    assert json.loads(desk("engine", "list", "--json").output)[0]["in_use"] is False
    desk("engine", "remove", "translate-ar_en-1_9")
    assert installed(desk_home) == []
    missing = desk("engine", "remove", "translate-ar_en-1_9", ok=False)
    assert missing.exit_code == 7 and "no installed package named" in missing.stderr


def test_packages_in_the_argos_dir_are_found(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package installed where Argos keeps them (ARGOS_PACKAGES_DIR) is listed as argos's."""
    argos_dir = tmp_path / "argos-packages"
    archive = make_package(tmp_path / "dl", name="translate-ar_en-1_0")
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(argos_dir)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(argos_dir))
    listing = json.loads(desk("engine", "list", "--json").output)
    assert [(p["name"], p["where"], p["in_use"]) for p in listing] == [
        ("translate-ar_en-1_0", "argos", True)
    ]


def broken_archives(folder: Path) -> dict[str, tuple[Path, str]]:
    """Archives that must be refused, each with a phrase the message must contain."""
    folder.mkdir(parents=True, exist_ok=True)
    good = make_package(folder / "good")
    truncated = folder / "truncated.argosmodel"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    corrupt = folder / "corrupt.argosmodel"
    data = bytearray(good.read_bytes())
    body = data.index(b"placeholderplaceholder")
    data[body : body + 6] = b"XXXXXX"
    corrupt.write_bytes(bytes(data))
    not_zip = folder / "text.argosmodel"
    not_zip.write_text("this is not an archive", encoding="utf-8")
    loose = folder / "loose.argosmodel"
    with zipfile.ZipFile(loose, "w") as zf:
        zf.writestr("metadata.json", "{}")
        zf.writestr("other/file.txt", "x")
    no_meta = folder / "nometa.argosmodel"
    with zipfile.ZipFile(no_meta, "w") as zf:
        zf.writestr("pkg/model/model.bin", "x")
    slip = folder / "slip.argosmodel"
    with zipfile.ZipFile(slip, "w") as zf:
        zf.writestr("pkg/metadata.json", "{}")
        zf.writestr("pkg/../../escape.txt", "x")
    return {
        "truncated": (truncated, "truncated.argosmodel"),
        "corrupt": (corrupt, "corrupt"),
        "not a zip": (not_zip, "not a zip archive"),
        "no single folder": (loose, "not an Argos package"),
        "no metadata": (no_meta, "no metadata.json"),
        "zip slip": (slip, "unsafe path"),
        "bad metadata": (make_package(folder / "m", metadata="{not json"), "not valid JSON"),
        "wrong pair": (make_package(folder / "fr", from_code="fr"), "translates fr→en"),
        "no model": (make_package(folder / "nm", with_model=False), "no CTranslate2 model"),
    }


@pytest.mark.parametrize(
    "case",
    ["truncated", "corrupt", "not a zip", "no single folder", "no metadata", "zip slip",
     "bad metadata", "wrong pair", "no model"],
)  # fmt: skip
def test_bad_archives_leave_nothing_installed(
    desk: DeskCli, desk_home: Path, tmp_path: Path, case: str
) -> None:
    """Each broken archive is refused with a clear line and leaves no trace."""
    archive, phrase = broken_archives(tmp_path / "bad")[case]
    result = desk("engine", "install", str(archive), ok=False)
    assert result.exit_code == 7, result.stderr
    assert phrase in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert installed(desk_home) == []
    assert not (tmp_path / "escape.txt").exists()


def test_install_from_an_index_on_localhost(
    desk: DeskCli, desk_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`desk engine install ar en` reads the index at ARGOS_PACKAGE_INDEX and installs the newest."""
    site = tmp_path / "site"
    make_package(site, name="translate-ar_en-1_0", version="1.0")
    make_package(site, name="translate-ar_en-1_1", version="1.1")
    make_package(site, name="translate-fr_en-1_0", from_code="fr")
    with serve(site) as base:
        entries = [
            index_entry("translate-ar_en-1_0", base + "translate-ar_en-1_0.argosmodel", "1.0"),
            index_entry("translate-ar_en-1_1", base + "translate-ar_en-1_1.argosmodel", "1.1"),
            index_entry("translate-fr_en-1_0", base + "translate-fr_en-1_0.argosmodel",
                        pair=("fr", "en")),
        ]  # fmt: skip
        (site / "index.json").write_text(json.dumps(entries), encoding="utf-8")
        monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
        result = desk("engine", "install", "ar", "en")
    assert "Installed translate-ar_en-1_1 1.1" in result.output
    assert installed(desk_home) == ["translate-ar_en-1_1"]


def index_failure(
    desk: DeskCli, monkeypatch: pytest.MonkeyPatch, url: str, *args: str
) -> tuple[int, str]:
    """Run `desk engine install ar en` against `url`; exit code and stderr."""
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", url)
    result = desk("engine", "install", *(args or ("ar", "en")), ok=False)
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stderr


def test_index_failures_are_clear_and_leave_nothing(
    desk: DeskCli, desk_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No network, HTTP errors, a broken index, an unknown package or a bad download."""
    code, err = index_failure(desk, monkeypatch, closed_port_url())
    assert code == 7 and "cannot download the Argos package index" in err and "refused" in err

    site = tmp_path / "site"
    site.mkdir()
    with serve(site) as base:
        code, err = index_failure(desk, monkeypatch, base + "missing/")
        assert code == 7 and "HTTP 404" in err

        (site / "index.json").write_text("{not json", encoding="utf-8")
        code, err = index_failure(desk, monkeypatch, base)
        assert code == 7 and "not valid" in err

        fr = index_entry("translate-fr_en", base + "fr.argosmodel", pair=("fr", "en"))
        (site / "index.json").write_text(json.dumps([fr]), encoding="utf-8")
        code, err = index_failure(desk, monkeypatch, base)
        assert code == 7 and "no ar→en package" in err and "fr→en" in err

        gone = index_entry("translate-ar_en-2_0", base + "gone.argosmodel")
        (site / "index.json").write_text(json.dumps([gone]), encoding="utf-8")
        code, err = index_failure(desk, monkeypatch, base)
        assert code == 7 and "cannot download" in err and "HTTP 404" in err

        (site / "bad.argosmodel").write_bytes(b"PK\x03\x04 truncated")
        bad = index_entry("translate-ar_en-2_0", base + "bad.argosmodel")
        (site / "index.json").write_text(json.dumps([bad]), encoding="utf-8")
        code, err = index_failure(desk, monkeypatch, base)
        assert code == 7 and "bad.argosmodel" in err

        code, err = index_failure(desk, monkeypatch, base, "ar", "de")
        assert code == 7 and "Arabic to English" in err
    assert installed(desk_home) == []


def unpack_into(folder: Path, archive: Path) -> Path:
    """Unpack a package archive as argospm does: its folder inside `folder`."""
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(folder)
    return folder / archive.stem


def test_packages_argospm_put_where_argos_settings_say_are_found(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ARGOS_PACKAGES_DIR set in Argos's own settings.json (not the environment): desk
    lists and drafts from the packages there, and says where the folder came from."""
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    argos_dir = tmp_path / "argospm-packages"
    unpack_into(argos_dir, make_package(tmp_path / "dl", name="translate-ar_en-1_0"))
    settings = tmp_path / "xdg-config" / "argos-translate" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(argos_dir)}), encoding="utf-8")
    listing = json.loads(desk("engine", "list", "--json").output)
    assert [(p["name"], p["where"], p["path"]) for p in listing] == [
        ("translate-ar_en-1_0", "argos", str(argos_dir / "translate-ar_en-1_0"))
    ]
    text = desk("engine", "list").output
    assert f"Argos packages:  {argos_dir} (ARGOS_PACKAGES_DIR in {settings})" in text
    # The environment still comes first, as for Argos.
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "elsewhere"))
    assert json.loads(desk("engine", "list", "--json").output) == []
    assert "(from $ARGOS_PACKAGES_DIR)" in desk("engine", "list").output


def test_a_broken_argos_settings_file_is_named_and_the_default_used(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A settings.json that is not JSON: `desk engine list` names it, lists Argos's
    default folder, and exits 0 (Argos itself carries on with its default)."""
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    settings = tmp_path / "xdg-config" / "argos-translate" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text("{not json", encoding="utf-8")
    default = tmp_path / "xdg-data" / "argos-translate" / "packages"
    unpack_into(default, make_package(tmp_path / "dl", name="translate-ar_en-1_0"))
    text = desk("engine", "list").output
    assert f"Argos packages:  {default}\n" in text
    assert f"! Argos's settings are not used ({settings}: not valid JSON" in text
    assert "translate-ar_en-1_0" in text


def test_removing_from_the_shared_argos_folder_needs_yes(
    desk: DeskCli, desk_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package in Argos's folder (LibreTranslate's and argospm's too) is not removed
    without --yes: one line saying who else uses it, exit 4, the package still there;
    desk's own packages go without asking."""
    argos_dir = tmp_path / "argos-packages"
    package = unpack_into(argos_dir, make_package(tmp_path / "dl", name="translate-ar_en-1_0"))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(argos_dir))
    refused = desk("engine", "remove", "translate-ar_en-1_0", ok=False)
    assert refused.exit_code == 4 and "Traceback" not in refused.stderr
    (line,) = refused.stderr.splitlines()
    assert f"translate-ar_en-1_0 is in Argos's shared package folder {argos_dir}" in line
    assert "LibreTranslate" in line and "argospm" in line and "--yes" in line
    assert package.is_dir()
    removed = desk("engine", "remove", "translate-ar_en-1_0", "--yes")
    assert f"Removed translate-ar_en-1_0 from {argos_dir}" in removed.output
    assert not package.exists()
    desk("engine", "install", str(make_package(tmp_path / "dl2", name="translate-ar_en-1_9")))
    desk("engine", "remove", "translate-ar_en-1_9")
    assert installed(desk_home) == []


def test_the_remove_example_names_a_real_package(desk: DeskCli) -> None:
    """The help's example is the demo package's own name, which `remove` then removes."""
    desk("engine", "install", str(demo_package_file()))
    (package,) = json.loads(desk("engine", "list", "--json").output)
    assert f"desk engine remove {package['name']}\n" in desk("engine", "remove", "--help").output
    desk("engine", "remove", package["name"])


def completions(*words: str) -> list[tuple[str, str]]:
    """What a bash Tab offers after `desk WORDS` (the last word being typed): click's own
    completion protocol, run in-process as the shell would run desk."""
    result = CliRunner().invoke(
        main,
        [],
        prog_name="desk",
        env={
            "_DESK_COMPLETE": "bash_complete",
            "COMP_WORDS": " ".join(("desk", *words)),
            "COMP_CWORD": str(len(words)),
        },
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line]
    return [tuple(line.split(",", 1)) for line in lines]  # type: ignore[misc]


def test_package_names_complete(
    desk: DeskCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tab after `desk engine remove` / `use` offers the installed packages (use: the
    engines too, and only ar→en packages); `install` offers files."""
    argos_dir = tmp_path / "argos-packages"
    unpack_into(argos_dir, make_package(tmp_path / "dl", name="translate-ar_en-1_0"))
    unpack_into(
        argos_dir, make_package(tmp_path / "dl", name="translate-fr_en-1_0", from_code="fr")
    )
    (argos_dir / "translate-ar_en-broken").mkdir()  # no metadata: listed as broken
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(argos_dir))
    desk("engine", "install", str(demo_package_file()))
    demo = "translate-ar_en-0_1_0-demo"
    assert completions("engine", "remove", "translate-") == [
        ("plain", demo), ("plain", "translate-ar_en-1_0"), ("plain", "translate-fr_en-1_0"),
        ("plain", "translate-ar_en-broken"),
    ]  # fmt: skip
    assert completions("engine", "remove", "translate-f") == [("plain", "translate-fr_en-1_0")]
    assert completions("engine", "use", "") == [
        ("plain", "argos"), ("plain", "libretranslate"), ("plain", "none"),
        ("plain", demo), ("plain", "translate-ar_en-1_0"),
    ]  # fmt: skip
    assert completions("engine", "use", "n") == [("plain", "none")]
    assert completions("engine", "install", "transl") == [("file", "transl")]
    assert completions("--home", str(tmp_path / "no-desk"), "engine", "use", "translate-a") == [
        ("plain", "translate-ar_en-1_0")
    ]


def test_completion_never_fails_on_tab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A package folder desk cannot list: Tab offers what it can and prints no error."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", "~no-such-user-desk/packages")
    assert completions("engine", "use", "a") == [("plain", "argos")]
    assert completions("engine", "remove", "") == []
