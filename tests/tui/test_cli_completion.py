"""Shell completion: the bash script, run by a real bash, offers what the parser accepts."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import termkam_cli
from tui.cli import build_parser
from tui.cli.completion_cmd import levels


@pytest.fixture(scope="module")
def bash_script(tmp_path_factory) -> Path:
    run = termkam_cli("completion", "bash")
    assert run.returncode == 0, run.stderr
    path = tmp_path_factory.mktemp("completion") / "termkam.bash"
    path.write_text(run.stdout)
    return path


def complete(script: Path, line: str) -> list[str]:
    """What bash offers for the last word of ``line`` (a trailing space: a new word)."""
    words = shlex.split(line) + ([""] if line.endswith(" ") else [])
    array = " ".join(shlex.quote(w) for w in words)
    code = (f"source {shlex.quote(str(script))}\nCOMP_WORDS=({array})\n"
            f"COMP_CWORD={len(words) - 1}\n_termkam\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"")
    run = subprocess.run([shutil.which("bash") or "bash", "--norc", "-c", code],
                         capture_output=True, text=True, check=True)
    return [w for w in run.stdout.split("\n") if w]


def test_every_command_and_subcommand_is_offered(bash_script: Path) -> None:
    tree = levels(build_parser("*"))
    assert set(complete(bash_script, "termkam ")) >= set(tree[()].commands)
    for command in ("faces", "tags", "jobs", "models", "metadata"):
        offered = complete(bash_script, f"termkam {command} ")
        assert set(tree[(command,)].commands) <= set(offered), command
    assert complete(bash_script, "termkam fa") == ["faces"]
    assert complete(bash_script, "termkam --library /tmp faces peo") == ["people"]


def test_options_and_their_fixed_values(bash_script: Path) -> None:
    listing = complete(bash_script, "termkam faces list --")
    assert {"--json", "--status", "--person", "--unknown", "--library"} <= set(listing)
    assert "--orl" not in listing           # another command's option
    assert set(complete(bash_script, "termkam faces list --status ")) == {
        "unconfirmed", "confirmed", "ignored", "not_face"}
    assert set(complete(bash_script, "termkam metadata write --to ")) == {"sidecar", "file"}
    tools = complete(bash_script, "termkam run ")
    assert {"faces", "tags", "quality", "faces.detect", "metadata.write"} <= set(tools)
    assert "new" in complete(bash_script, "termkam run faces --mode ")
    assert complete(bash_script, "termkam completion ") == ["bash", "zsh", "fish", "--help"]


def test_library_completes_folders_only(bash_script: Path, tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photo.jpg").write_bytes(b"x")
    offered = complete(bash_script, f"termkam --library {tmp_path}/p")
    assert offered == [f"{tmp_path}/photos"]


def test_zsh_and_fish_scripts_name_every_command() -> None:
    commands = levels(build_parser("*"))[()].commands
    zsh = termkam_cli("completion", "zsh").stdout
    assert "bashcompinit" in zsh and "_termkam()" in zsh
    assert "complete -o default -F _termkam termkam" in zsh
    fish = termkam_cli("completion", "fish").stdout
    for command in commands:
        assert f"-n \"__termkam_at ''\" -a {command} " in fish, command
    assert "-n \"__termkam_at 'faces list'\" -l status -x -a " in fish
