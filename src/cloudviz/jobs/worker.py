"""The Celery app a worker process loads: `celery -A cloudviz.jobs.worker worker`.

Settings come from the usual places (CLOUDVIZ_CONFIG, ./cloudviz.yaml,
environment), so a worker and the server given the same configuration share
one database and one queue.
"""

from __future__ import annotations

from cloudviz.config import load_settings
from cloudviz.jobs.celery_backend import make_celery_app

app = make_celery_app(load_settings())
