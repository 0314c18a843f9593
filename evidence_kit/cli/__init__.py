"""The command line. One error boundary: an `EvidenceKitError` becomes `Error: …` and its exit code."""

from __future__ import annotations

import sys
import traceback

import click

from evidence_kit.cli import vault_cmds
from evidence_kit.cli.root import cli
from evidence_kit.errors import EvidenceKitError

for module in (vault_cmds,):
    for command in module.COMMANDS:
        cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        code = cli.main(args=argv, prog_name="evidence-kit", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("\nStopped; nothing was changed.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except EvidenceKitError as exc:
        click.echo(f"Error: {exc.message}", err=True)
        if exc.hint:
            click.echo(exc.hint, err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("\nStopped; nothing was changed.", err=True)
        sys.exit(130)
    except Exception:
        click.echo("Error: an unexpected problem stopped Evidence Kit. Nothing was changed.", err=True)
        if debug:
            traceback.print_exc()
        else:
            click.echo("Run again with --debug to see the details, and please report them.", err=True)
        sys.exit(70)
    # Without standalone mode click returns a command's `ctx.exit(code)` instead of exiting.
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["cli", "main"]
