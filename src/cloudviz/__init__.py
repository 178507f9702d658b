"""CloudViz: architecture diagrams of AWS, Azure and GCP estates."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cloudviz")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+unknown"
