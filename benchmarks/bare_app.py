"""The baseline of the API benchmark: FastAPI with one endpoint and nothing else.

Run by `api_benchmark.py` under the same uvicorn settings as CloudViz, so the
difference between the two is what CloudViz's own stack costs.
"""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.get("/ping")
async def ping() -> dict[str, str]:
    return {"status": "ok"}
