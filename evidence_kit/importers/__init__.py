"""Message imports: one module per source format, all yielding the same `Message` model.

`import_file` (importers/run.py) is the one way in. Importers register in `registry.py`.
"""

from evidence_kit.importers.run import ImportResult, import_file

__all__ = ["ImportResult", "import_file"]
