"""Evidence Kit: keep evidence of online bullying and harassment safe, and hand it over sealed."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("evidence-kit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

PROGRAM_NAME = "Evidence Kit"
