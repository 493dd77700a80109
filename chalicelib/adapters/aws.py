"""One botocore session per process for the adapters' clients (SES, S3): creating a session costs tens of
milliseconds of a cold start, creating a client from an existing one about one."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _session() -> Any:
    import boto3

    return boto3.session.Session()


def client(service: str, region: str, endpoint: str | None, **config: Any) -> Any:
    from botocore.config import Config

    return _session().client(service, region_name=region, endpoint_url=endpoint, config=Config(**config) if config else None)
