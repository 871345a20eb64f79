"""Entry point of the ``edgernn`` command: registers the commands and turns errors into exit codes.

Errors a user can cause (``EdgernnError``) are printed as one line on stderr with exit code 2;
no traceback is shown for them.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from edgernn import __version__
from edgernn.cli import commands
from edgernn.errors import EdgernnError

app = typer.Typer(
    name="edgernn",
    help="Recurrent neural networks to fast, small, verified C for microcontrollers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
commands.register(app)


def _version(value: bool) -> None:
    if value:
        print(f"edgernn {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Recurrent neural networks to fast, small, verified C for microcontrollers."""


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit code (2 for errors a user can cause)."""
    try:
        app(args=argv, prog_name="edgernn")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except EdgernnError as exc:
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"[bold red]error:[/] {exc}", markup=True
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
