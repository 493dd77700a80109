"""Logging, metrics and tracing through one Chalice middleware, plus the security headers of every response.

Log lines carry the request id, method, route template, status and duration — never bodies, query strings,
path values or anything else that could hold PHI.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from chalice.app import Chalice, Request, Response

from chalicelib.config import get_settings
from chalicelib.errors import from_framework_error, problem_response

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Tracer


@lru_cache(maxsize=1)
def get_logger() -> Logger:
    import logging

    from aws_lambda_powertools import Logger

    logger = Logger(service="client-portal", log_uncaught_exceptions=False)
    # One JSON line per event: don't also pass records to whatever handlers the root logger has locally.
    logging.getLogger(logger.service).propagate = False
    return logger


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def install(app: Chalice) -> None:
    @app.middleware("http")
    def observe(event: Request, get_response: Callable[[Request], Response]) -> Response:
        started = time.perf_counter()
        request_id = getattr(app.lambda_context, "aws_request_id", None) or (event.context or {}).get("requestId", "-")
        logger = get_logger()
        logger.append_keys(request_id=request_id)
        route = (event.context or {}).get("resourcePath", "-")
        response = _traced(route, event, get_response)
        framework_error = from_framework_error(response)
        if framework_error is not None:
            allow = response.headers.get("Allow")
            response = problem_response(framework_error, request_id)
            if allow:
                response.headers["Allow"] = allow
        response.headers.setdefault("X-Request-Id", request_id)
        response.headers.update(SECURITY_HEADERS)
        elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
        logger.info("request", method=event.method, route=route, status=response.status_code, duration_ms=elapsed_ms)
        _metrics(route, response.status_code, elapsed_ms)
        logger.remove_keys(["request_id"])
        return response


def _traced(route: str, event: Request, get_response: Callable[[Request], Response]) -> Response:
    settings = get_settings()
    if settings.is_local or not settings.trace_aws_calls:
        # API Gateway and Lambda active tracing record the request either way; the SDK only adds subsegments for
        # each AWS call, at ~250 ms of every cold start (docs/decisions.md, 17).
        return get_response(event)
    with get_tracer().provider.in_subsegment(f"## {route}") as subsegment:
        subsegment.put_annotation(key="route", value=route)
        return get_response(event)


@lru_cache(maxsize=1)
def get_tracer() -> Tracer:
    from aws_lambda_powertools import Tracer

    # Patches botocore so DynamoDB, S3 and SES calls appear as X-Ray subsegments (no payloads are recorded).
    return Tracer(service="client-portal", patch_modules=["botocore"])


def _metrics(route: str, status: int, elapsed_ms: float) -> None:
    if get_settings().is_local:
        return  # EMF lines only mean something to CloudWatch
    from aws_lambda_powertools import Metrics
    from aws_lambda_powertools.metrics import MetricUnit

    metrics = Metrics(namespace="ClientPortal", service="client-portal")
    metrics.add_dimension(name="route", value=route)
    metrics.add_metric(name="Requests", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="ServerErrors", unit=MetricUnit.Count, value=1 if status >= 500 else 0)
    metrics.add_metric(name="Latency", unit=MetricUnit.Milliseconds, value=elapsed_ms)
    metrics.flush_metrics()
