"""Importers for the exports users already keep, chosen by content."""

from cloudviz.sources.files.registry import FORMATS, detect_format, import_files

__all__ = ["FORMATS", "detect_format", "import_files"]
