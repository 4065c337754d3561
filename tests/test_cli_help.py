"""Every command explains itself: help text that ends with an example, and a version."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from matchmaker import __version__
from matchmaker.cli import main

COMMANDS = sorted(main.commands)


def example_of(output: str) -> str:
    """The text after the last 'Example' heading, on one line."""
    assert "Example" in output, output
    return " ".join(output.rsplit("Example", 1)[1].lstrip(":").replace("\\\n", " ").split())


def test_the_expected_commands_exist() -> None:
    assert {"intake", "score", "review-sheet", "pair", "verify"} <= set(COMMANDS)


def test_the_group_help_ends_with_an_example() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert example_of(result.output).startswith("matchmaker ")
    for name in COMMANDS:
        assert name in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_that_ends_with_an_example(name: str) -> None:
    command = main.commands[name]
    assert isinstance(command, click.Command)
    assert command.help and len(command.help.split()) >= 5, f"{name} has no real help text"
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    example = example_of(result.output)
    assert example.startswith(f"matchmaker {name} "), example
    # the example is the last thing the help prints
    assert result.output.rstrip().endswith(example.split()[-1])
    # every option is explained
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help or param.name in {"help"}, f"{name} --{param.name} has no help"


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"matchmaker, version {__version__}"
