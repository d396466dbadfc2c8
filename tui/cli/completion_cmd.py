"""`termkam completion bash|zsh|fish`: a shell completion script made from the parser itself,
so it offers exactly the commands, options and fixed choices the command line takes.

Install (once):
    bash  termkam completion bash > ~/.local/share/bash-completion/completions/termkam
    zsh   termkam completion zsh > ~/.termkam.zsh, and in ~/.zshrc after compinit:
          source ~/.termkam.zsh
    fish  termkam completion fish > ~/.config/fish/completions/termkam.fish
"""

from __future__ import annotations

import argparse
import shlex
from dataclasses import dataclass, field

from .commands import summary

SHELLS = ("bash", "zsh", "fish")
FOLDER_OPTIONS = ("--library",)          # complete these with folder names


@dataclass
class Level:
    """One command path (``()``, ``("faces",)``, ``("faces", "list")`` ...): what may follow."""

    commands: dict[str, str] = field(default_factory=dict)     # subcommand -> help
    options: dict[str, str] = field(default_factory=dict)      # option -> help
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # option -> its values
    valued: set[str] = field(default_factory=set)              # options that take a value
    words: tuple[str, ...] = ()                                 # fixed values of a positional


def levels(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> dict[tuple[str, ...],
                                                                                 Level]:
    """Every command path of ``parser`` and what may follow it."""
    level, found = Level(), {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, child in action.choices.items():
                level.commands[name] = helps.get(name, "")
                found.update(levels(child, (*path, name)))
        elif action.option_strings:
            for option in action.option_strings:
                if option.startswith("--"):
                    level.options[option] = action.help or ""
                    if action.nargs != 0:
                        level.valued.add(option)
                    if action.choices:
                        level.choices[option] = tuple(str(c) for c in action.choices)
        elif action.choices:
            level.words += tuple(str(c) for c in action.choices)
    found[path] = level
    return found


def bash_script(tree: dict[tuple[str, ...], Level]) -> str:
    cases = []
    for path, level in sorted(tree.items()):
        words = " ".join([*level.commands, *level.words, *level.options])
        cases.append(f"        {shlex.quote(' '.join(path))}) words={shlex.quote(words)} ;;")
    values = []
    for path, level in sorted(tree.items()):
        for option, choices in level.choices.items():
            key = shlex.quote(f"{' '.join(path)}|{option}")
            values.append(f"        {key}) values={shlex.quote(' '.join(choices))} ;;")
    commands = {" ".join(path) for path in tree}
    valued = sorted({o for level in tree.values() for o in level.valued})
    return f"""# bash completion for termkam (made by `termkam completion bash`)
_termkam() {{
    local cur prev path="" word i values="" words=""
    cur="${{COMP_WORDS[COMP_CWORD]}}"
    prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${{COMP_WORDS[i]}}"
        case " {' '.join(valued)} " in *" $word "*) ((i++)); continue ;; esac
        case "|{'|'.join(sorted(commands))}|" in
            *"|${{path:+$path }}$word|"*) path="${{path:+$path }}$word" ;;
        esac
    done
    case " {' '.join(FOLDER_OPTIONS)} " in
        *" $prev "*) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    esac
    case "$path|$prev" in
{chr(10).join(values)}
    esac
    if [[ -n "$values" ]]; then
        COMPREPLY=($(compgen -W "$values" -- "$cur")); return
    fi
    case " {' '.join(valued)} " in *" $prev "*) COMPREPLY=(); return ;; esac
    case "$path" in
{chr(10).join(cases)}
    esac
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
}}
complete -o default -F _termkam termkam
"""


def zsh_script(tree: dict[tuple[str, ...], Level]) -> str:
    return ("# zsh completion for termkam (made by `termkam completion zsh`): zsh runs the bash\n"
            "# one. Source this file from ~/.zshrc after compinit.\n"
            "autoload -U +X bashcompinit && bashcompinit\n"
            + bash_script(tree).split("\n", 1)[1])


def fish_script(tree: dict[tuple[str, ...], Level]) -> str:
    paths = " ".join(shlex.quote(" ".join(path)) for path in sorted(tree) if path)
    valued = " ".join(sorted({o for level in tree.values() for o in level.valued}))
    lines = ["# fish completion for termkam (made by `termkam completion fish`)",
             "function __termkam_path  # the command words typed so far, e.g. 'faces list'",
             "    set -l words (commandline -opc)",
             "    set -l path ''",
             "    set -l skip 0",
             "    for word in $words[2..-1]",
             "        if test $skip = 1",
             "            set skip 0",
             f"        else if contains -- $word {valued}",
             "            set skip 1",
             f"        else if contains -- (string trim -- \"$path $word\") {paths}",
             "            set path (string trim -- \"$path $word\")",
             "        end",
             "    end",
             "    echo $path",
             "end",
             "function __termkam_at",
             "    test (__termkam_path) = \"$argv[1]\"",
             "end",
             "complete -c termkam -f"]
    for path, level in sorted(tree.items()):
        at = f"-n \"__termkam_at '{' '.join(path)}'\""   # command words need no escaping
        for name, text in level.commands.items():
            lines.append(f"complete -c termkam {at} -a {name} -d {shlex.quote(text)}")
        if level.words:
            lines.append(f"complete -c termkam {at} -a {shlex.quote(' '.join(level.words))}")
        for option, text in level.options.items():
            extra = ""
            if option in level.choices:
                extra = f" -x -a {shlex.quote(' '.join(level.choices[option]))}"
            elif option in FOLDER_OPTIONS:
                extra = " -x -a '(__fish_complete_directories)'"
            elif option in level.valued:
                extra = " -r"
            lines.append(f"complete -c termkam {at} -l {option[2:]}{extra} "
                         f"-d {shlex.quote(text)}")
    return "\n".join(lines) + "\n"


SCRIPTS = {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "completion", help=summary("completion"),
        description="Print a completion script for your shell. Install it once: "
        "bash: termkam completion bash > ~/.local/share/bash-completion/completions/termkam; "
        "zsh: termkam completion zsh > ~/.termkam.zsh, then 'source ~/.termkam.zsh' in "
        "~/.zshrc after compinit; "
        "fish: termkam completion fish > ~/.config/fish/completions/termkam.fish")
    parser.add_argument("shell", choices=SHELLS)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from . import build_parser  # every command, in full

    print(SCRIPTS[args.shell](levels(build_parser("*"))), end="")
    return 0
