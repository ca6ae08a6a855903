"""Tests of tests/helpers/openapi_validation.py, the spec checker every emulator contract test
relies on.

Why: a checker that accepts everything would make the emulator's contract tests worthless, and
one that rejects what Allegro really sends would make them noise. So this checks both ways with
hand-built responses (no server): the spec's own example payloads must pass, mutated ones must
fail with a message naming the field, and the error/OAuth bodies docs/ALLEGRO-API.md documents
must pass.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.openapi_validation import (
    DEVIATIONS,
    REST_MEDIA_TYPE,
    SPEC_PATH,
    assert_valid,
    assert_valid_request,
    load_spec,
    validate_response,
)

EXAMPLES = Path(__file__).resolve().parent / "data" / "examples"
BASE = "http://127.0.0.1:8765"  # like the emulator: not Allegro's host, on a random port
ORDER_ID = "29738e61-7f6a-11e8-ac45-09db60ede9d6"  # time-based (v1) UUID, as Allegro's are
REST = {"Content-Type": REST_MEDIA_TYPE}
JSON = {"Content-Type": "application/json;charset=UTF-8"}

Json = dict[str, Any]


def example(name: str) -> Json:
    data: Json = json.loads((EXAMPLES / f"{name}.openapi-example.json").read_text("utf-8"))
    return data


def dump(data: Any) -> bytes:
    return json.dumps(data).encode()


def check(
    method: str,
    path: str,
    status: int,
    body: Any,
    headers: dict[str, str] | None = None,
    **kwargs: Any,
) -> None:
    """Validate a constructed response; ``body`` may be bytes or JSON-able data."""
    raw = body if isinstance(body, bytes) else dump(body)
    validate_response(
        method=method,
        url=BASE + path,
        status=status,
        headers=REST if headers is None else headers,
        body=raw,
        **kwargs,
    )


# --------------------------------------------------------------------------------------------
# The spec's example payloads validate for their endpoints
# --------------------------------------------------------------------------------------------

EXAMPLE_ENDPOINTS = [
    ("order-events", "/order/events?from=1532603898317497&limit=100&type=BOUGHT&type=FILLED_IN"),
    ("order-event-stats", "/order/event-stats"),
    (
        "checkout-forms-list",
        "/order/checkout-forms?lineItems.boughtAt.gte=2026-07-01T00:00:00.000Z"
        "&lineItems.boughtAt.lte=2026-07-08T00:00:00.000Z&limit=100&offset=0",
    ),
    ("checkout-form", f"/order/checkout-forms/{ORDER_ID}"),
]


@pytest.mark.parametrize(("name", "path"), EXAMPLE_ENDPOINTS)
def test_example_payload_validates(name: str, path: str) -> None:
    check("GET", path, 200, example(name))


@pytest.mark.parametrize(("name", "path"), EXAMPLE_ENDPOINTS)
def test_assert_valid_accepts_httpx_response(name: str, path: str) -> None:
    response = httpx.Response(
        200,
        headers={"Content-Type": f"{REST_MEDIA_TYPE}; charset=utf-8"},
        content=dump(example(name)),
        request=httpx.Request("GET", BASE + path, headers={"Accept": REST_MEDIA_TYPE}),
    )
    assert_valid(response)


def test_scheme_host_and_port_are_ignored() -> None:
    for base in ("http://localhost:1", "https://api.allegro.pl", "http://127.0.0.1:65000"):
        validate_response(
            method="get",
            url=f"{base}/order/event-stats",
            status=200,
            headers=REST,
            body=dump(example("order-event-stats")),
        )


# --------------------------------------------------------------------------------------------
# Mutated payloads fail, naming the field and the problem
# --------------------------------------------------------------------------------------------

Mutation = Callable[[Json], None]


def _drop_buyer_email(data: Json) -> None:
    del data["buyer"]["email"]


def _bad_status(data: Json) -> None:
    data["status"] = "SHIPPED"


def _quantity_as_string(data: Json) -> None:
    data["lineItems"][0]["quantity"] = "1"


def _bad_fulfillment_status(data: Json) -> None:
    data["fulfillment"]["status"] = "DONE"


def _drop_summary(data: Json) -> None:
    del data["summary"]


def _bad_id(data: Json) -> None:
    data["id"] = "not-a-uuid"


def _null_required_buyer(data: Json) -> None:
    data["buyer"] = None


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (_drop_buyer_email, r"body \$\.buyer: 'email' is a required property"),
        (_bad_status, r"body \$\.status: 'SHIPPED' is not one of \['BOUGHT'"),
        (_quantity_as_string, r"body \$\.lineItems\[0\]\.quantity: '1' is not of type"),
        (_bad_fulfillment_status, r"body \$\.fulfillment\.status: 'DONE' is not one of"),
        (_drop_summary, r"body \$: 'summary' is a required property"),
        (_bad_id, r"body \$\.id: 'not-a-uuid' is not a 'uuid'"),
        (_null_required_buyer, r"body \$\.buyer: null is not allowed here"),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_mutated_checkout_form_fails_with_field_path(mutate: Mutation, expected: str) -> None:
    data = copy.deepcopy(example("checkout-form"))
    mutate(data)
    with pytest.raises(AssertionError, match=expected) as info:
        check("GET", f"/order/checkout-forms/{ORDER_ID}", 200, data)
    assert "getOrdersDetailsUsingGET" in str(info.value)


def test_event_id_must_be_a_string_of_digits_not_a_number() -> None:
    data = example("order-events")
    data["events"][0]["id"] = int(data["events"][0]["id"])
    with pytest.raises(AssertionError, match=r"\$\.events\[0\]\.id: 1532603898317497 is not of"):
        check("GET", "/order/events", 200, data)


def test_unknown_event_type_fails() -> None:
    data = example("order-events")
    data["events"][0]["type"] = "PAID"
    with pytest.raises(AssertionError, match=r"\$\.events\[0\]\.type: 'PAID' is not one of"):
        check("GET", "/order/events", 200, data)


def test_list_missing_total_count_and_bad_nested_item_reports_both() -> None:
    data = example("checkout-forms-list")
    del data["totalCount"]
    data["checkoutForms"][0]["lineItems"][0]["offer"].pop("id")
    with pytest.raises(AssertionError) as info:
        check("GET", "/order/checkout-forms", 200, data)
    message = str(info.value)
    assert "body $: 'totalCount' is a required property" in message
    assert "body $.checkoutForms[0].lineItems[0].offer: 'id' is a required property" in message


def test_bad_date_time_fails() -> None:
    with pytest.raises(AssertionError, match=r"\$\.latestEvent\.occurredAt: 'yesterday' is not"):
        check(
            "GET",
            "/order/event-stats",
            200,
            {"latestEvent": {"id": "1", "occurredAt": "yesterday"}},
        )


def test_body_that_is_not_json_fails() -> None:
    with pytest.raises(AssertionError, match="cannot be parsed"):
        check("GET", "/order/event-stats", 200, b"<html>oops</html>")


def test_empty_body_fails_where_one_is_documented() -> None:
    with pytest.raises(AssertionError, match="body is empty"):
        check("GET", "/order/event-stats", 200, b"")


# --------------------------------------------------------------------------------------------
# ALLEGRO-API.md §5.6: blank fields are null (deviation "non-required fields may be null")
# --------------------------------------------------------------------------------------------


def test_optional_fields_may_be_null_like_real_payloads() -> None:
    data = example("checkout-form")
    data["messageToSeller"] = None
    data["note"] = None
    data["buyer"]["companyName"] = None
    data["buyer"]["personalIdentity"] = None
    data["payment"]["reconciliation"] = None
    data["delivery"]["pickupPoint"] = None
    data["delivery"]["cancellation"] = None
    data["delivery"]["address"]["modifiedAt"] = None
    data["delivery"]["time"]["guaranteed"] = None
    data["invoice"]["address"] = None
    data["invoice"]["features"] = None
    data["lineItems"][0]["discounts"] = None
    data["lineItems"][0]["offer"]["external"] = None
    check("GET", f"/order/checkout-forms/{ORDER_ID}", 200, data)


def test_latest_event_may_be_null() -> None:
    check("GET", "/order/event-stats", 200, {"latestEvent": None})


def test_nullable_wrapper_does_not_hide_errors_inside_optional_objects() -> None:
    data = example("checkout-form")
    data["delivery"]["pickupPoint"]["address"] = "Poznań"
    with pytest.raises(AssertionError, match=r"\$\.delivery\.pickupPoint\.address: 'Poznań' is"):
        check("GET", f"/order/checkout-forms/{ORDER_ID}", 200, data)


# --------------------------------------------------------------------------------------------
# Error bodies
# --------------------------------------------------------------------------------------------

# ALLEGRO-API.md §9.3, verbatim: offset + limit > 10000.
OFFSET_LIMIT_422 = {
    "errors": [
        {
            "code": "VALIDATION_ERROR",
            "message": "Offset and limit parameters exceed maximal result size of 10000 items",
            "details": None,
            "path": "/order/checkout-forms",
            "userMessage": None,
        }
    ]
}


def test_errors_holder_validates_for_422_on_checkout_forms() -> None:
    check("GET", "/order/checkout-forms?offset=9950&limit=100", 422, OFFSET_LIMIT_422)


def test_errors_holder_with_metadata_validates_for_404_on_order_details() -> None:
    body = {
        "errors": [
            {
                "code": "CheckoutFormNotFoundException",
                "message": f"Checkout form {ORDER_ID} not found",
                "details": None,
                "path": None,
                "userMessage": "Nie znaleziono zamówienia",
                "metadata": {"checkoutFormId": ORDER_ID},
            }
        ]
    }
    check("GET", f"/order/checkout-forms/{ORDER_ID}", 404, body)


def test_malformed_errors_holder_fails() -> None:
    with pytest.raises(AssertionError, match=r"\$\.errors\[0\]\.code: 42 is not of type 'string'"):
        check("GET", "/order/checkout-forms", 422, {"errors": [{"code": 42, "message": "x"}]})


def test_conflict_on_fulfillment_uses_the_spec_schema() -> None:
    body = {"errors": [{"code": "CONFLICT", "message": "Provided revision is outdated"}]}
    check(
        "PUT", f"/order/checkout-forms/{ORDER_ID}/fulfillment?checkoutForm.revision=819b", 409, body
    )


AUTH_401 = {"error": "invalid_token", "error_description": f"Access token expired: {'x' * 20}"}


@pytest.mark.parametrize(
    "path",
    [
        "/me",
        "/order/events",
        "/order/event-stats",
        "/order/checkout-forms",
        f"/order/checkout-forms/{ORDER_ID}",
    ],
)
def test_auth_error_validates_for_401_as_application_json(path: str) -> None:
    check("GET", path, 401, AUTH_401, headers=JSON)


def test_auth_error_on_me_also_validates_with_the_spec_media_type() -> None:
    check("GET", "/me", 401, AUTH_401, headers=REST)


def test_401_without_body_fails_because_allegro_sends_one() -> None:
    with pytest.raises(AssertionError, match="body is empty"):
        check("PUT", f"/order/checkout-forms/{ORDER_ID}/fulfillment", 401, b"", headers=JSON)


def test_401_with_errors_holder_shape_fails() -> None:
    with pytest.raises(AssertionError, match=r"body \$: 'error' is a required property"):
        check("GET", "/order/events", 401, OFFSET_LIMIT_422, headers=JSON)


def test_wrong_content_type_fails() -> None:
    with pytest.raises(AssertionError, match=r"Content-Type 'text/html' is not allowed"):
        check("GET", "/order/events", 401, AUTH_401, headers={"Content-Type": "text/html"})


def test_rest_success_body_must_use_the_versioned_media_type() -> None:
    with pytest.raises(AssertionError, match="is not allowed here"):
        check("GET", "/order/event-stats", 200, example("order-event-stats"), headers=JSON)


def test_missing_content_type_fails() -> None:
    with pytest.raises(AssertionError, match=r"Content-Type '\(none\)' is not allowed"):
        check("GET", "/order/event-stats", 200, example("order-event-stats"), headers={})


# --------------------------------------------------------------------------------------------
# Statuses: documented, undocumented, without body
# --------------------------------------------------------------------------------------------


def test_undocumented_status_fails_with_the_documented_list() -> None:
    with pytest.raises(AssertionError, match=r"status 418 is not documented .*'200'.*"):
        check("GET", "/order/event-stats", 418, {"x": 1})


def test_undocumented_status_can_be_allowed_explicitly() -> None:
    check("GET", "/order/event-stats", 503, b"down", headers={}, allow_undocumented_status=True)


def test_429_is_accepted_on_rest_operations_with_any_body() -> None:
    check("GET", "/order/events", 429, b"", headers={})
    check("GET", "/order/checkout-forms", 429, {"errors": []})


def test_fulfillment_204_without_body_validates() -> None:
    check("PUT", f"/order/checkout-forms/{ORDER_ID}/fulfillment", 204, b"", headers={})


def test_body_where_spec_documents_none_fails() -> None:
    with pytest.raises(AssertionError, match="documents no body for 204"):
        check("PUT", f"/order/checkout-forms/{ORDER_ID}/fulfillment", 204, {"status": "SENT"})


# --------------------------------------------------------------------------------------------
# Path and operation matching
# --------------------------------------------------------------------------------------------


def test_unknown_path_fails() -> None:
    with pytest.raises(AssertionError,
                       match=r"no path template .* matches '/order/customer-returns'"):
        check("GET", "/order/customer-returns", 200, {})


def test_path_prefix_is_not_silently_ignored() -> None:
    with pytest.raises(AssertionError, match="no path template"):
        check("GET", "/v1/order/events", 200, example("order-events"))


def test_unknown_method_fails() -> None:
    with pytest.raises(AssertionError, match=r"no DELETE operation .*\['GET'\]"):
        check("DELETE", f"/order/checkout-forms/{ORDER_ID}", 204, b"")


def test_fulfillment_path_is_not_mistaken_for_order_details() -> None:
    with pytest.raises(AssertionError, match="setOrderFulfillmentUsingPUT"):
        check("PUT", f"/order/checkout-forms/{ORDER_ID}/fulfillment", 418, b"")


def test_relative_url_is_rejected() -> None:
    with pytest.raises(AssertionError, match="absolute URL"):
        validate_response(method="GET", url="/order/events", status=200, headers=REST, body=b"")


# --------------------------------------------------------------------------------------------
# OAuth section (from ALLEGRO-API.md §2-§4; not in Allegro's spec)
# --------------------------------------------------------------------------------------------

DEVICE_200 = {
    "user_code": "cbt3zdu4g",
    "device_code": "645629715abcdef0123456789abcdef0",
    "expires_in": 3600,
    "interval": 5,
    "verification_uri": "https://allegro.pl/skojarz-aplikacje",
    "verification_uri_complete": "https://allegro.pl/skojarz-aplikacje?code=cbt3zdu4g",
}
TOKEN_200 = {
    "access_token": "eyJhbGciOiJSUzI1NiJ9.e30.sig",
    "token_type": "bearer",
    "refresh_token": "eyJhbGciOiJSUzI1NiJ9.e30.sig2",
    "expires_in": 43199,
    "scope": "allegro:api:orders:read allegro:api:orders:write",
    "allegro_api": True,
    "jti": "2184f3be-6a5b-4d2e-9b7a-1c2d3e4f5a6b",
}
DEVICE = "/auth/oauth/device?client_id=abc"
TOKEN = "/auth/oauth/token"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def test_device_authorization_response_validates() -> None:
    check(
        "POST",
        DEVICE,
        200,
        DEVICE_200,
        headers=JSON,
        request_headers=FORM,
        request_body=b"client_id=abc&scope=allegro%3Aapi%3Aorders%3Aread",
    )


def test_device_expires_in_as_string_fails_real_responses_use_numbers() -> None:
    body = {**DEVICE_200, "expires_in": "3600"}
    with pytest.raises(AssertionError, match=r"\$\.expires_in: '3600' is not of type 'integer'"):
        check("POST", DEVICE, 200, body, headers=JSON)


def test_device_response_missing_verification_uri_complete_fails() -> None:
    body = {k: v for k, v in DEVICE_200.items() if k != "verification_uri_complete"}
    with pytest.raises(AssertionError, match="'verification_uri_complete' is a required"):
        check("POST", DEVICE, 200, body, headers=JSON)


def test_device_401_unauthorized_object_validates() -> None:
    check(
        "POST",
        DEVICE,
        401,
        {"error": "Unauthorized", "error_description": "Unauthorized"},
        headers=JSON,
    )


def test_device_401_unauthorized_client_array_validates() -> None:
    body = [
        {
            "code": "unauthorized_client",
            "message": "Client does not have the device_code grant.",
            "details": None,
            "path": None,
            "userMessage": "An error has occurred",
        }
    ]
    check("POST", DEVICE, 401, body, headers=JSON)


def test_device_401_other_shape_fails() -> None:
    with pytest.raises(AssertionError, match=r"body \$: matches none of the allowed alternatives"):
        check("POST", DEVICE, 401, {"errors": []}, headers=JSON)


def test_token_response_validates_and_allows_extra_fields() -> None:
    check(
        "POST",
        TOKEN,
        200,
        {**TOKEN_200, "future_field": 1},
        headers=JSON,
        request_headers=FORM,
        request_body=b"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"
        b"&device_code=645629715",
    )


def test_token_response_missing_access_token_fails() -> None:
    body = {k: v for k, v in TOKEN_200.items() if k != "access_token"}
    with pytest.raises(AssertionError, match=r"body \$: 'access_token' is a required property"):
        check("POST", TOKEN, 200, body, headers=JSON)


def test_token_response_with_vnd_media_type_fails() -> None:
    with pytest.raises(AssertionError, match="is not allowed here"):
        check("POST", TOKEN, 200, TOKEN_200, headers=REST)


@pytest.mark.parametrize(
    "body",
    [
        {
            "error": "authorization_pending",
            "error_description": "User has not authorized the device code yet.",
        },
        {"error": "slow_down"},
        {"error": "access_denied"},
        {"error": "invalid_request", "error_description": "Invalid device code"},
        {"error": "invalid_grant", "error_description": "Invalid refresh token: abc"},
    ],
)
def test_token_400_error_bodies_validate(body: Json) -> None:
    check("POST", TOKEN, 400, body, headers=JSON)


def test_token_400_without_error_fails() -> None:
    with pytest.raises(AssertionError, match="'error' is a required property"):
        check("POST", TOKEN, 400, {"error_description": "Invalid device code"}, headers=JSON)


def test_token_401_validates() -> None:
    check(
        "POST",
        TOKEN,
        401,
        {"error": "Unauthorized", "error_description": "Unauthorized"},
        headers=JSON,
    )


# --------------------------------------------------------------------------------------------
# The spec file and the deviation list
# --------------------------------------------------------------------------------------------


def test_subset_file_names_its_source_and_generator() -> None:
    head = SPEC_PATH.read_text("utf-8")[:2000]
    assert "developer.allegro.pl/swagger.yaml, version of 2026-07-18" in head
    assert "bf03f601d526280fcdeed22459b9140921cb5b61" in head
    assert "scripts/extract_spec.py" in head


def test_subset_contains_exactly_the_expected_paths() -> None:
    assert list(load_spec()["paths"]) == [
        "/me",
        "/order/events",
        "/order/event-stats",
        "/order/checkout-forms",
        "/order/checkout-forms/{id}",
        "/order/checkout-forms/{id}/fulfillment",
        "/order/carriers",
        "/order/checkout-forms/{id}/shipments",
        "/order/checkout-forms/{id}/invoices",
        "/order/checkout-forms/{id}/invoices/{invoiceId}/file",
        "/auth/oauth/device",
        "/auth/oauth/token",
    ]


def test_oauth_operations_are_marked_as_not_from_allegros_spec() -> None:
    paths = load_spec()["paths"]
    for path in ("/auth/oauth/device", "/auth/oauth/token"):
        assert paths[path]["post"]["x-source"].startswith("ALLEGRO-API.md §")


def test_deviations_are_applied_in_memory_only() -> None:
    # The file stays a faithful copy of Allegro's spec: 401 on /order/events has no body there.
    assert "content" not in load_spec()["paths"]["/order/events"]["get"]["responses"]["401"]
    assert "429" not in load_spec()["paths"]["/order/events"]["get"]["responses"]


def test_every_deviation_cites_allegro_api_md() -> None:
    assert DEVIATIONS
    for deviation in DEVIATIONS:
        assert "ALLEGRO-API.md §" in deviation.reason, deviation.name


def test_spec_is_parsed_once() -> None:
    assert load_spec() is load_spec()


# --------------------------------------------------------------------------------------------
# Requests (assert_valid_request): what the tests send must be what the spec documents
# --------------------------------------------------------------------------------------------


def _request(method: str, path: str, body: bytes | None = None,
             content_type: str = REST_MEDIA_TYPE) -> httpx.Request:
    headers = {"Accept": REST_MEDIA_TYPE, "Authorization": "Bearer x"}
    if body is not None:
        headers["Content-Type"] = content_type
    return httpx.Request(method, BASE + path, headers=headers, content=body)


SHIPMENTS = f"/order/checkout-forms/{ORDER_ID}/shipments"


def test_a_documented_request_passes() -> None:
    assert_valid_request(_request("POST", SHIPMENTS, dump(
        {"carrierId": "OTHER", "waybill": "AD-1239134", "carrierName": "Sample carrier",
         "lineItems": [{"id": "14e142cf-e8e0-48cc-bcf6-399b5fd90b32"}]})))
    assert_valid_request(_request("PUT", f"/order/checkout-forms/{ORDER_ID}/invoices/i-1/file",
                                  b"%PDF-1.4", "application/pdf"))
    assert_valid_request(_request(
        "PUT", f"/order/checkout-forms/{ORDER_ID}/fulfillment?checkoutForm.revision=819b5836",
        dump({"status": "PROCESSING"})))


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        (_request("POST", SHIPMENTS, dump({"waybill": "A1"})),
         r"body \$: 'carrierId' is a required property"),
        (_request("POST", SHIPMENTS, dump({"carrierId": "DPD", "waybill": "9" * 65})),
         r"body \$\.waybill: '9+' is too long"),
        (_request("PUT", f"/order/checkout-forms/{ORDER_ID}/fulfillment",
                  dump({"status": "DONE"})), "does not match the spec"),
        (_request("PUT", f"/order/checkout-forms/{ORDER_ID}/invoices/i-1/file", b"{}"),
         "application/json|vnd.allegro"),
    ],
    ids=["no-carrier", "long-waybill", "unknown-status", "file-not-pdf"],
)
def test_an_undocumented_request_fails(request_: httpx.Request, expected: str) -> None:
    with pytest.raises(AssertionError, match=expected):
        assert_valid_request(request_)
