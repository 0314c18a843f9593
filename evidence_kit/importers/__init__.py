"""Message imports: one module per source format, all yielding the same `Message` model.

`import_paths` (importers/batch.py) is the one call for what a person gives — files, folders,
several zips; `import_file` (importers/run.py) imports one file. Importers register in
`registry.py`: single-file formats, and download formats read from a tree of files
(download.py, download_run.py).
"""

from evidence_kit.importers.run import ImportResult, import_file

__all__ = ["ImportResult", "import_file"]
