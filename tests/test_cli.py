"""The development commands say what is wrong in one line: a token for someone not seeded, a
port already taken (before anything is seeded or printed)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from app.cli import main
from app.domain.identifiers import with_check_digit


@pytest.fixture
def development(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("VARDGRAF_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("VARDGRAF_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/v.sqlite3")
    return tmp_path


def test_a_token_for_a_personnummer_not_seeded_is_refused_with_a_message(
    development: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["seed", "--citizens", "5"]) == 0
    capsys.readouterr()
    unseeded = with_check_digit("19700202980")
    assert main(["token", unseeded]) == 2
    printed = capsys.readouterr()
    assert printed.out == ""
    assert "No citizen with that personnummer is seeded" in printed.err
    assert main(["token", "--staff", "SE2321000016-P0001"]) == 0  # Eva, seeded
    assert capsys.readouterr().out.startswith("eyJ")


def test_serve_on_a_busy_port_says_so_in_one_line_before_anything_else(
    development: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit) as stopped:
            main(["serve", "--port", str(port)])
    assert str(stopped.value) == (
        f"Port {port} on 127.0.0.1 is in use (another serve?): stop it, or use --port."
    )
    assert capsys.readouterr().out == ""  # nothing seeded, no logins printed
    assert not (development / "v.sqlite3").exists()
