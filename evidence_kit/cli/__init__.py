"""The command line: `evidence-kit`. Its one error boundary is `EvidenceKitGroup.invoke` (cli/root.py)."""

from __future__ import annotations

from evidence_kit.cli import (
    backup_cmds,
    bundle_cmds,
    capture_cmds,
    case_cmds,
    casefile_cmds,
    handover_cmds,
    import_cmds,
    key_cmds,
    redact_cmds,
    timestamp_cmds,
    vault_cmds,
)
from evidence_kit.cli.root import cli

for module in (
    vault_cmds,
    case_cmds,
    casefile_cmds,
    key_cmds,
    backup_cmds,
    capture_cmds,
    import_cmds,
    bundle_cmds,
    handover_cmds,
    redact_cmds,
    timestamp_cmds,
):
    for command in module.COMMANDS:
        cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="evidence-kit")


__all__ = ["cli", "main"]
