"""PyInstaller's entry for `evidence-kit-gui` (the desktop program)."""

import sys

from evidence_kit.launcher import main

sys.exit(main())
