"""The CloudViz REST API (FastAPI); build it with `create_app(settings)`."""

from cloudviz.api.app import create_app

__all__ = ["create_app"]
