"""Check real HTTP responses against Allegro's OpenAPI contract.

Why: the emulator stands in for Allegro in every other test, so it is only useful while it
answers exactly like Allegro. This module checks one response (status, Content-Type, body)
against ``tests/data/allegro-openapi-subset.yaml`` (cut from Allegro's official spec by
``scripts/extract_spec.py``, plus the OAuth endpoints docs/ALLEGRO-API.md describes) using
openapi-core.

Usage from tests::

    from tests.helpers.openapi_validation import assert_valid, validate_response

    assert_valid(httpx_client.get("/order/events"))           # an httpx.Response
    validate_response(method="GET", url=..., status=200, headers=..., body=b"...")

Both raise ``AssertionError`` naming the operation and, for body problems, the JSON path of
each offending field.

Project rule: where docs/ALLEGRO-API.md (Allegro's behaviour, with its sources) and the spec
disagree, the tests follow ALLEGRO-API.md and say so. Every such case is one entry of
``DEVIATIONS`` below, applied to an in-memory copy of the spec when it is loaded; the subset
file itself stays a faithful copy of Allegro's spec.
"""

from __future__ import annotations

import copy
import functools
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import yaml

# jsonschema ships no type stubs here (types-jsonschema is not a test dependency).
from jsonschema.exceptions import (  # type: ignore[import-untyped,unused-ignore]
    ValidationError as SchemaError,
)
from jsonschema.exceptions import (  # type: ignore[import-untyped,unused-ignore]
    best_match,
)
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.deserializing.media_types.exceptions import MediaTypeDeserializeError
from openapi_core.deserializing.media_types.util import json_loads
from openapi_core.exceptions import OpenAPIError
from openapi_core.templating.media_types.exceptions import MediaTypeNotFound
from openapi_core.templating.paths.exceptions import (
    OperationNotFound,
    PathNotFound,
    ServerNotFound,
)
from openapi_core.templating.paths.finders import APICallPathFinder
from openapi_core.templating.paths.parsers import PathParser
from openapi_core.validation.response.exceptions import (
    DataValidationError,
    MissingData,
)
from openapi_core.validation.schemas.exceptions import InvalidSchemaValue
from werkzeug.datastructures import Headers, ImmutableMultiDict

__all__ = [
    "DEVIATIONS",
    "REST_MEDIA_TYPE",
    "SPEC_PATH",
    "Deviation",
    "assert_valid",
    "assert_valid_request",
    "load_spec",
    "validate_response",
]

#: The subset spec, inside the repository (tests read nothing outside it).
SPEC_PATH = Path(__file__).resolve().parent.parent / "data" / "allegro-openapi-subset.yaml"

#: Versioned media type of Allegro's REST resources (ALLEGRO-API.md §5.1).
REST_MEDIA_TYPE = "application/vnd.allegro.public.v1+json"
#: Plain JSON: what the OAuth endpoints and the auth layer's 401 bodies come as (see the
#: first entry of DEVIATIONS).
JSON_MEDIA_TYPE = "application/json"

#: Extension put on responses whose body is known to exist but not known in shape, so the
#: "spec documents no body, yet one was sent" check is skipped for them.
_BODY_UNCHECKED = "x-body-unchecked"

_MAX_REPORTED_ERRORS = 10
_MAX_MESSAGE_CHARS = 300


# ==============================================================================================
# Known deviations from the spec. Keep this the ONLY place where the tests knowingly differ
# from Allegro's spec; each entry says which section of ALLEGRO-API.md it follows and why.
# ==============================================================================================


@dataclass(frozen=True)
class Deviation:
    """One place where the tests follow ALLEGRO-API.md instead of Allegro's spec.

    ``apply`` edits the in-memory spec (a plain dict) before openapi-core sees it.
    """

    name: str
    reason: str
    apply: Callable[[dict[str, Any]], None]


def _allegro_operations(spec: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Operations taken from Allegro's spec (ours, from ALLEGRO-API.md, carry ``x-source``)."""
    for path_item in spec["paths"].values():
        for method, operation in path_item.items():
            if method in _HTTP_METHODS and "x-source" not in operation:
                yield operation


_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _add_error_body(
    spec: dict[str, Any],
    *,
    statuses: Iterable[str],
    schema: str,
    media_types: Iterable[str],
    add_missing_status: bool,
) -> None:
    """Let the given statuses of every Allegro operation carry ``schema`` in ``media_types``.

    Media types the spec already declares are kept (we accept the spec OR ALLEGRO-API.md), so
    this only ever widens what is accepted. When the spec gives the status without any body,
    the body becomes mandatory, because Allegro sends one (ALLEGRO-API.md §5.8).
    """
    for operation in _allegro_operations(spec):
        responses = operation["responses"]
        for status in statuses:
            if status not in responses:
                if not add_missing_status:
                    continue
                responses[status] = {"description": f"{status} (ALLEGRO-API.md §5.8)"}
            content = responses[status].setdefault("content", {})
            for media_type in media_types:
                content.setdefault(
                    media_type, {"schema": {"$ref": f"#/components/schemas/{schema}"}}
                )


def _add_status_without_known_body(spec: dict[str, Any], *, status: str) -> None:
    """Document ``status`` on every Allegro operation, body shape unknown (not checked)."""
    for operation in _allegro_operations(spec):
        operation["responses"].setdefault(
            status, {"description": f"{status} (ALLEGRO-API.md §6)", _BODY_UNCHECKED: True}
        )


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """Return ``schema`` widened to also accept JSON ``null`` (OpenAPI 3.0 style)."""
    if "$ref" in schema or "type" not in schema:
        # `nullable` next to a $ref is ignored in OpenAPI 3.0, and allOf would still feed the
        # null into the referenced schema: an explicit "or null" branch is needed.
        return {"anyOf": [schema, {"enum": [None]}]}
    return {**schema, "nullable": True}


def _nullable_optional_properties(schema: Any) -> None:
    """Recursively make every non-required property of an object schema nullable."""
    if isinstance(schema, list):
        for item in schema:
            _nullable_optional_properties(item)
        return
    if not isinstance(schema, dict):
        return
    for key in ("items", "allOf", "anyOf", "oneOf", "not", "additionalProperties"):
        _nullable_optional_properties(schema.get(key))
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return
    required = set(schema.get("required", ()))
    for name, prop in list(properties.items()):
        _nullable_optional_properties(prop)
        if name not in required and isinstance(prop, dict):
            properties[name] = _nullable(prop)


def _allow_null_for_optional_fields(spec: dict[str, Any]) -> None:
    for schema in spec["components"]["schemas"].values():
        if "x-source" not in schema:  # our OAuth schemas state nullability themselves
            _nullable_optional_properties(schema)


DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        name="401 carries an AuthError body, as application/json",
        reason=(
            "ALLEGRO-API.md §5.8: auth failures on REST resources answer 401 with the "
            'AuthError body {"error": ..., "error_description": ...}, e.g. "invalid_token" / '
            '"Access token expired: <token>" ([#13741]). The spec documents 401 on the order '
            "paths with no body at all, and on /me with the versioned vnd media type. We assume "
            "Allegro's auth layer sends that body as application/json, like its OAuth endpoints "
            "(ALLEGRO-API.md quotes these bodies but no source gives their Content-Type), so "
            "application/json is accepted in addition to the vnd type the spec uses."
        ),
        apply=functools.partial(
            _add_error_body,
            statuses=("401",),
            schema="AuthError",
            media_types=(JSON_MEDIA_TYPE, REST_MEDIA_TYPE),
            add_missing_status=True,
        ),
    ),
    Deviation(
        name="documented 4xx statuses carry an ErrorsHolder body",
        reason=(
            "ALLEGRO-API.md §5.8: errors of REST resources use the ErrorsHolder format "
            '{"errors": [{"code", "message", "details", "path", "userMessage"}]}; '
            "ALLEGRO-API.md §9.3 quotes the 422 VALIDATION_ERROR of GET /order/checkout-forms "
            "(offset+limit > 10000), §10.2 the 404 CheckoutFormNotFoundException, §5.1 the 406 "
            "NotAcceptableException. The spec lists 400/403/404/406/422 on these paths without "
            "a body. Only statuses the spec already documents get the body; none are added."
        ),
        apply=functools.partial(
            _add_error_body,
            statuses=("400", "403", "404", "406", "409", "422"),
            schema="ErrorsHolder",
            media_types=(REST_MEDIA_TYPE,),
            add_missing_status=False,
        ),
    ),
    Deviation(
        name="429 is a documented status of every REST operation",
        reason=(
            "ALLEGRO-API.md §6.1, §6.2: exceeding the 9000 requests/minute client id limit or "
            "the per-user leaky bucket answers 429 Too Many Requests on any resource; the spec "
            "documents no 429 on these paths. No source gives the body (ALLEGRO-API.md §6.4), "
            "so it is not checked."
        ),
        apply=functools.partial(_add_status_without_known_body, status="429"),
    ),
    Deviation(
        name="non-required fields may be null",
        reason=(
            "ALLEGRO-API.md §5.6: 'an empty value is null' ([Guideline] Representation); real "
            "order payloads ([Sample]) carry null in messageToSeller, pickupPoint, "
            "invoice.address, lineItems[].discounts, offer.external, payment.reconciliation and "
            "more, so every non-required field is read as possibly null. The spec marks almost "
            "none as nullable. Also covers the 422 body with \"userMessage\": null (§9.3, §5.8) "
            'and {"latestEvent": null} (§8.1). Required fields stay non-nullable.'
        ),
        apply=_allow_null_for_optional_fields,
    ),
)


# ==============================================================================================
# Loading (once per test session)
# ==============================================================================================


@functools.cache
def load_spec() -> Mapping[str, Any]:
    """The subset spec exactly as stored (parsed once; treat it as read-only)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with SPEC_PATH.open(encoding="utf-8") as fh:
        spec: dict[str, Any] = yaml.load(fh, Loader=loader)  # a *safe* loader
    return spec


@functools.cache
def _effective_spec() -> dict[str, Any]:
    """A deep copy of the subset with the deviations applied and the servers neutralized."""
    spec: dict[str, Any] = copy.deepcopy(dict(load_spec()))
    for deviation in DEVIATIONS:
        deviation.apply(spec)
    # The emulator runs on http://127.0.0.1:PORT, not on api.allegro.pl / allegro.pl: match
    # path-relative by making the root server "/" and dropping path/operation-level servers.
    spec["servers"] = [{"url": "/"}]
    for path_item in spec["paths"].values():
        path_item.pop("servers", None)
        for method, operation in path_item.items():
            if method in _HTTP_METHODS:
                operation.pop("servers", None)
    return spec


@functools.cache
def _openapi() -> OpenAPI:
    config = Config(
        # openapi-core only knows plain application/json; Allegro's vnd type is JSON too.
        extra_media_type_deserializers={REST_MEDIA_TYPE: json_loads},
    )
    return OpenAPI.from_dict(_effective_spec(), config=config)


# ==============================================================================================
# Request/response adapters for openapi-core's protocols
# ==============================================================================================


@dataclass
class _Request:
    """openapi_core.protocols.Request built from plain values."""

    host_url: str
    path: str
    method: str
    parameters: RequestParameters
    content_type: str
    body: bytes | None


@dataclass
class _Response:
    """openapi_core.protocols.Response built from plain values."""

    status_code: int
    content_type: str
    headers: Headers
    data: bytes | None


def _headers(mapping: Mapping[str, str] | None) -> Headers:
    return Headers(list((mapping or {}).items()))


def _build_request(
    method: str, url: str, headers: Mapping[str, str] | None, body: bytes | None
) -> _Request:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        raise AssertionError(f"validate_response needs an absolute URL, got {url!r}")
    request_headers = _headers(headers)
    return _Request(
        host_url=f"{parts.scheme}://{parts.netloc}",
        path=parts.path or "/",
        method=method.lower(),
        parameters=RequestParameters(
            # Flat names: Allegro's query params contain dots ("lineItems.boughtAt.gte").
            query=ImmutableMultiDict(parse_qsl(parts.query, keep_blank_values=True)),
            header=request_headers,
        ),
        content_type=request_headers.get("Content-Type", "").lower(),
        body=body,
    )


# ==============================================================================================
# Error formatting
# ==============================================================================================


def _json_path(path: Iterable[Any]) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _is_null_branch_error(error: SchemaError) -> bool:
    """The error of the "or null" branch added by ``_nullable``: noise in a report."""
    return bool(error.validator == "enum" and error.validator_value == [None])


def _explain(error: SchemaError) -> tuple[SchemaError, str]:
    """Find the error that names the actual field, and a readable message for it.

    Descends anyOf/oneOf contexts while only one real alternative is left (the "or null"
    branch of ``_nullable`` does not count), so a bad field inside an optional object is
    reported at the field. A genuine choice between alternatives is reported as a whole.
    """
    while error.context:
        branches: dict[Any, list[SchemaError]] = {}
        for sub in error.context:
            if not _is_null_branch_error(sub):
                branch = sub.relative_schema_path[0] if sub.relative_schema_path else None
                branches.setdefault(branch, []).append(sub)
        if len(branches) != 1:
            alternatives = "; ".join(
                f"alternative {branch}: {_short(best.message)}"
                for branch, subs in sorted(branches.items(), key=lambda item: str(item[0]))
                if (best := best_match(subs)) is not None
            )
            return error, f"matches none of the allowed alternatives ({alternatives})"
        chosen = best_match(next(iter(branches.values())))
        if chosen is None:
            break
        error = chosen
    if error.validator == "type" and error.instance is None:
        return error, "null is not allowed here (the field is not nullable)"
    return error, _short(error.message)


def _short(message: str) -> str:
    if len(message) > _MAX_MESSAGE_CHARS:
        return message[: _MAX_MESSAGE_CHARS - 3] + "..."
    return message


def _schema_messages(errors: Iterable[Any]) -> list[str]:
    messages = []
    for raw in errors:
        if not isinstance(raw, SchemaError):
            messages.append(str(raw))
            continue
        error, message = _explain(raw)
        messages.append(f"body {_json_path(error.absolute_path)}: {message}")
    return sorted(set(messages))


def _describe_data_error(exc: BaseException, media_type: str) -> list[str]:
    cause = exc.__cause__
    if isinstance(exc, MissingData):
        return ["body is empty, but the spec documents a body for this status"]
    if isinstance(cause, MediaTypeNotFound):
        return [
            f"Content-Type {media_type or '(none)'!r} is not allowed here; "
            f"the spec allows {cause.availableMimetypes}"
        ]
    if isinstance(cause, MediaTypeDeserializeError):
        return [f"body cannot be parsed as {media_type!r}: {cause.value[:80]!r}"]
    if isinstance(cause, InvalidSchemaValue):
        return _schema_messages(cause.schema_errors)
    return [str(cause or exc)]


# ==============================================================================================
# Public API
# ==============================================================================================


def validate_response(
    *,
    method: str,
    url: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    request_headers: Mapping[str, str] | None = None,
    request_body: bytes | None = None,
    allow_undocumented_status: bool = False,
) -> None:
    """Assert that one real HTTP response matches the subset spec (plus ``DEVIATIONS``).

    Checks, in order: the URL's path matches a path template and ``method`` one of its
    operations; ``status`` is documented (exact code, then ``NXX``, then ``default``); the
    Content-Type is one of the response's media types; the body validates against the schema.
    Only the URL's path is used (scheme/host/port are ignored) so the emulator's
    ``http://127.0.0.1:PORT`` works.

    ``allow_undocumented_status=True`` turns "status not in the spec" from a failure into a
    silent pass, for tests that deliberately provoke behaviour the spec does not describe.

    Raises ``AssertionError`` listing what is wrong (field path + problem for body errors).
    """
    api = _openapi()
    request = _build_request(method, url, request_headers, request_body)
    response_headers = _headers(headers)
    media_type = response_headers.get("Content-Type", "")
    response = _Response(
        status_code=status,
        content_type=media_type.lower(),
        headers=response_headers,
        data=body,
    )
    what = f"{method.upper()} {request.path} -> {status}"

    # 1. path template + operation
    full_url = request.host_url + request.path
    try:
        found = APICallPathFinder(api.spec).find(request.method, full_url)
    except OperationNotFound as exc:
        raise AssertionError(
            f"{what}: the spec has no {method.upper()} operation for this path "
            f"(documented methods: {_methods_for(request.path)})"
        ) from exc
    except (PathNotFound, ServerNotFound) as exc:
        known = ", ".join(load_spec()["paths"])
        raise AssertionError(
            f"{what}: no path template in {SPEC_PATH.name} matches {request.path!r} "
            f"(known: {known})"
        ) from exc
    template: str = found.path_result.pattern
    if any(value == "" for value in (found.path_result.variables or {}).values()):
        raise AssertionError(f"{what}: empty path parameter for template {template!r}")
    operation: Mapping[str, Any] = _effective_spec()["paths"][template][request.method]
    op_name = f"{method.upper()} {template} ({operation.get('operationId', '?')})"

    # 2. documented status (exact, range, default)
    responses: Mapping[str, Any] = operation["responses"]
    key = next((k for k in (str(status), f"{str(status)[0]}XX", "default") if k in responses), None)
    if key is None:
        if allow_undocumented_status:
            return
        raise AssertionError(
            f"{what}: status {status} is not documented for {op_name}; documented: "
            f"{sorted(responses)} (pass allow_undocumented_status=True if this is deliberate)"
        )
    spec_response: Mapping[str, Any] = responses[key]

    # 3. a body where the spec documents none
    if "content" not in spec_response:
        if body and not spec_response.get(_BODY_UNCHECKED):
            raise AssertionError(
                f"{what}: {op_name} documents no body for {key}, but got {len(body)} bytes "
                f"({media_type or 'no Content-Type'}): {body[:80]!r}"
            )
        return

    # 4. Content-Type + body schema (openapi-core)
    try:
        api.validate_response(request, response)
    except DataValidationError as exc:
        problems = _describe_data_error(exc, media_type)
        shown = problems[:_MAX_REPORTED_ERRORS]
        more = len(problems) - len(shown)
        lines = "\n".join(f"  - {p}" for p in shown) + (f"\n  ... and {more} more" if more else "")
        raise AssertionError(
            f"{what}: response does not match {op_name}, response {key!r}:\n{lines}"
        ) from exc


def _methods_for(path: str) -> list[str]:
    """Methods documented for whichever template matches ``path`` (for error messages)."""
    for template, path_item in _effective_spec()["paths"].items():
        parser = PathParser(template, pre_expression="^", post_expression="$")
        if parser.search(path):
            return sorted(m.upper() for m in path_item if m in _HTTP_METHODS)
    return []


def assert_valid(response: httpx.Response, *, allow_undocumented_status: bool = False) -> None:
    """``validate_response`` for an ``httpx.Response`` (its ``.request`` gives method/URL)."""
    request = response.request
    try:
        request_body: bytes | None = request.content
    except httpx.RequestNotRead:  # streamed upload; the body is not needed for matching
        request_body = None
    validate_response(
        method=request.method,
        url=str(request.url),
        status=response.status_code,
        headers=response.headers,
        body=response.content,
        request_headers=request.headers,
        request_body=request_body,
        allow_undocumented_status=allow_undocumented_status,
    )


def assert_valid_request(request: httpx.Request) -> None:
    """Assert that a request sent to the emulator (path, query, headers, body) is one Allegro's
    spec documents: what the tests send must be what the app may send to Allegro."""
    try:
        body: bytes | None = request.content
    except httpx.RequestNotRead:
        body = None
    built = _build_request(request.method, str(request.url), request.headers, body)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # openapi-core skips oauth2 schemes
        try:
            _openapi().validate_request(built)
        except OpenAPIError as exc:
            cause = exc.__cause__
            problems = (_schema_messages(cause.schema_errors)
                        if isinstance(cause, InvalidSchemaValue) else [str(exc)])
            lines = "\n".join(f"  - {p}" for p in problems)
            raise AssertionError(f"{request.method} {request.url.path}: the request does not "
                                 f"match the spec:\n{lines}") from exc
