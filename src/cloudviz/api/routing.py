"""A route class that reads JSON bodies the way curl users send them.

`curl -d '{"name": "k"}' URL` labels its body
`application/x-www-form-urlencoded` unless told otherwise, and the
troubleshooting guide's examples do exactly that. For routes whose body is a
JSON model, a body sent without a Content-Type, or with curl's default one, is
read as JSON; multipart uploads and explicit JSON are left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

_LENIENT_TYPES = ("", "application/x-www-form-urlencoded", "text/plain")


class JsonBodyRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.body_field is None:
            return handler

        async def read_json_regardless(request: Request) -> Response:
            content_type = request.headers.get("content-type", "")
            media_type = content_type.split(";", 1)[0].strip().lower()
            if media_type in _LENIENT_TYPES:
                headers = [
                    (name, value)
                    for name, value in request.scope["headers"]
                    if name != b"content-type"
                ]
                headers.append((b"content-type", b"application/json"))
                scope = {**request.scope, "headers": headers}
                request = Request(scope, request.receive)
            return await handler(request)

        return read_json_regardless
