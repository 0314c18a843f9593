"""The `evidence-kit` group, its shared options, and how a command gets at the vault."""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from evidence_kit import __version__
from evidence_kit.cli.terminal import json_text, raw_stderr, safe_streams
from evidence_kit.errors import EvidenceKitError, VaultError
from evidence_kit.memory import steady_allocator
from evidence_kit.model import Progress
from evidence_kit.paths import default_vault_dir

ENV_PASSPHRASE = "EVIDENCE_KIT_PASSPHRASE"
ENV_TRACE = "EVIDENCE_KIT_TRACE_FILE"  # benchmarks: where to note when each phase ended


def mark(phase: str) -> None:
    """Note the system's monotonic clock at the end of `phase`, for benchmarks (bench/) that
    time the command line from outside; nothing is written unless EVIDENCE_KIT_TRACE_FILE is set."""
    target = os.environ.get(ENV_TRACE)
    if target:
        with open(target, "a", encoding="ascii") as trace:
            trace.write(f"{phase} {time.monotonic_ns()}\n")


@dataclass
class Context:
    vault_dir: Path
    passphrase_file: Path | None
    debug: bool

    def passphrase(self, prompt: str = "Passphrase") -> str:
        """From --passphrase-file, then EVIDENCE_KIT_PASSPHRASE, then asked on the terminal."""
        if self.passphrase_file is not None:
            return read_secret_file(self.passphrase_file, "passphrase")
        from_env = os.environ.get(ENV_PASSPHRASE)
        if from_env:
            return from_env
        return ask_secret(prompt)

    @contextmanager
    def vault(self, *, for_check: bool = False) -> Iterator[Any]:
        """The unlocked vault, closed (and its lock released) when the command ends.

        With `for_check`, opened only to look (`Vault.open_for_check`): nothing is written, and
        what an ordinary open would refuse is reported by the check instead.
        """
        from evidence_kit.vault import Vault
        from evidence_kit.vault.folder import preflight

        preflight(self.vault_dir)  # no vault, or not a whole one: said before any passphrase
        holder = click.get_current_context().command_path
        if for_check:
            vault = Vault.open_for_check(self.vault_dir, self.passphrase(), holder=holder)
        else:
            # Used right after the unlock (`last_queued`), and ~15 ms to import: imported before
            # it, with the rest of the start-up, not in the command's own time.
            import evidence_kit.timestamp.flush  # noqa: F401

            vault = Vault.open(self.vault_dir, self.passphrase(), holder=holder)
        mark("unlocked")
        deferred = False
        try:
            before = None if for_check else vault.last_item_id()
            queued = None if for_check else last_queued(vault)
            yield vault
            # Pictures the command added get their report previews now, after its commit:
            # outside the capture's own timing, and never holding up what was saved.
            if before is not None:
                from evidence_kit import previews

                previews.make(vault, range(before + 1, vault.last_item_id() + 1))
            # What the command saved is asked a time-stamp for once it has printed its result
            # (when the command ends), briefly; the vault stays held until then.
            if queued is not None and (last_queued(vault) or 0) > queued:
                click.get_current_context().call_on_close(lambda: stamp_then_close(vault, queued))
                deferred = True
        finally:
            if not deferred:
                vault.close()


def last_queued(vault: Any) -> int | None:
    from evidence_kit.timestamp.flush import last_queued as last
    from evidence_kit.vault.schema import TIMESTAMPS_STEP

    return last(vault) if vault.schema_version >= TIMESTAMPS_STEP else None


def stamp_then_close(vault: Any, queued: int) -> None:
    try:
        stamp_after(vault, queued)
    finally:
        vault.close()


def stamp_after(vault: Any, queued: int) -> None:
    """A short attempt at a time-stamp for what the command saved (it is committed already: a
    failure here is a note on stderr, never the command's failure)."""
    from evidence_kit.timestamp.flush import after_command

    try:
        counts = after_command(vault, queued)
    except EvidenceKitError as exc:
        click.echo(f"Note: no time-stamp was asked for: {exc}", err=True)
        return
    if counts is None:
        return
    if counts.stamped:
        click.echo("Time-stamped by an outside authority.", err=True)
    elif counts.failed:
        click.echo("Note: the time-stamp failed; `evidence-kit timestamp` asks again.", err=True)
    else:
        click.echo(
            "Note: no time-stamping authority could be reached; the time-stamp waits "
            "(`evidence-kit timestamp` asks again).",
            err=True,
        )
    for note in counts.notes:
        click.echo(f"Note: {note}.", err=True)


def read_secret_file(path: Path, what: str) -> str:
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise VaultError(f"Cannot read the {what} file {path}: {exc.strerror}.") from exc
    except UnicodeDecodeError as exc:
        raise VaultError(f"The {what} file {path} is not UTF-8 text.") from exc
    return text.rstrip("\r\n")


def interactive() -> bool:
    return sys.stdin.isatty()


def ask_secret(
    prompt: str,
    *,
    confirm: bool = False,
    what: str = "passphrase",
    options: str = f"--passphrase-file FILE, or set {ENV_PASSPHRASE}",
) -> str:
    """Asked on the terminal; with none, an error naming the `options` that give it instead."""
    if not interactive():
        raise VaultError(
            f"No {what} given, and there is no terminal to ask on.",
            hint=f"Give it with {options}.",
        )
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=confirm, err=True))


def emit_json(value: Any) -> None:
    click.echo(json_text(value))


@contextmanager
def progress_bar(label: str, total: int | None) -> Iterator[Progress]:
    """A progress callback that draws a bar on a terminal, and does nothing otherwise."""
    if not sys.stderr.isatty() or not total:
        yield lambda done, total: None
        return
    with click.progressbar(length=total, label=label, file=raw_stderr()) as bar:
        seen = [0]

        def update(done: int, _total: int | None) -> None:
            bar.update(done - seen[0])
            seen[0] = done

        yield update


class UserError(click.ClickException):
    """An `EvidenceKitError` on its way out: `Error: …`, the hint, and its exit code."""

    def __init__(self, error: EvidenceKitError) -> None:
        super().__init__(error.message)
        self.exit_code = error.exit_code  # type: ignore[misc]
        self.hint = error.hint

    def show(self, file: Any = None) -> None:
        # color=True: nothing stripped here; SafeText shows every escape as a visible code.
        click.echo(f"Error: {self.message}", err=True, color=True)
        if self.hint:
            click.echo(self.hint, err=True, color=True)


class EvidenceKitGroup(click.Group):
    """The one place where errors become text and exit codes; tracebacks only under --debug.
    Everything a command prints (click's own messages too) passes through `terminal.SafeText`."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        with safe_streams():
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EvidenceKitError as exc:
            raise UserError(exc) from exc
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            raise click.exceptions.Abort() from None
        except BrokenPipeError:  # `evidence-kit list | head`: the reader has gone; nothing to say
            with suppress(OSError):
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes it at exit
            raise click.exceptions.Exit(0) from None
        except Exception as exc:
            click.echo(
                "Error: an unexpected problem stopped Evidence Kit. Nothing was changed.", err=True
            )
            obj = ctx.obj
            if isinstance(obj, Context) and obj.debug:
                traceback.print_exception(exc)
            else:
                click.echo(
                    "Run again with --debug to see the details, and please report them.", err=True
                )
            raise click.exceptions.Exit(70) from exc


# color=True: click would strip some escape sequences from output that is not a terminal, and
# keep them for one that is; SafeText instead shows every one of them, the same everywhere.
@click.group(
    cls=EvidenceKitGroup, context_settings={"help_option_names": ["-h", "--help"], "color": True}
)
@click.version_option(__version__, "--version", prog_name="evidence-kit")
@click.option(
    "--vault",
    "vault_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The vault folder (default: EVIDENCE_KIT_HOME or your user-data folder).",
)
@click.option(
    "--passphrase-file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help=f"Read the passphrase from this file (for scripts; or set {ENV_PASSPHRASE}).",
)
@click.option("--debug", is_flag=True, help="Show a traceback for unexpected errors.")
@click.pass_context
def cli(
    ctx: click.Context, vault_dir: Path | None, passphrase_file: Path | None, debug: bool
) -> None:
    """Evidence Kit: keep evidence of online bullying and harassment safe, and hand it over sealed."""
    steady_allocator()
    ctx.obj = Context(vault_dir or default_vault_dir(), passphrase_file, debug)


def fail(message: str, hint: str | None = None) -> EvidenceKitError:
    return EvidenceKitError(message, hint=hint)
