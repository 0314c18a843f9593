"""PyInstaller's entry for `evidence-kit` (the command line)."""

import sys

from evidence_kit.cli import main

sys.exit(main())
