"""Convert Allegro's OpenAPI ``CheckoutForm`` schema into a self-contained JSON Schema file.

Why this exists: the emulator's order generator is tested against the official schema, and the
tests read nothing outside the repository. This script is run by hand whenever the spec changes;
it writes ``tests/data/checkout-form.schema.json``, which the tests load. It reads the
repository's own ``tests/data/allegro-openapi-subset.yaml`` (which holds ``CheckoutForm`` and
every schema it references; refresh it first with ``scripts/extract_spec.py``), or Allegro's
full spec given as an argument (a downloaded https://developer.allegro.pl/swagger.yaml): both
give the same schema.

Conversion rules (JSON Schema draft 2020-12):

* every ``$ref`` is inlined (the ``CheckoutForm`` graph has no cycles; a cycle is an error);
* documentation-only keywords (``description``, ``example``, ``deprecated``, ``title``) are dropped;
* ``nullable: true`` becomes ``type: [<type>, "null"]`` (and ``null`` joins an ``enum``);
* a property that its parent object does not list in ``required`` is also made nullable.  The
  spec marks almost nothing nullable, yet Allegro's REST guideline says blank fields are ``null``
  and real production payloads carry ``null`` in ``messageToSeller``, ``pickupPoint``,
  ``invoice.address``, ``lineItems[].discounts`` and many more (docs/ALLEGRO-API.md §5.6).
  Required properties stay non-nullable, so the schema still catches a missing or ``null``
  ``id``/``buyer``/``summary``...

Usage::

    python scripts/make_checkout_form_schema.py [SPEC_YAML] [OUTPUT_JSON]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

_TEST_DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
DEFAULT_SPEC = _TEST_DATA / "allegro-openapi-subset.yaml"
DEFAULT_OUTPUT = _TEST_DATA / "checkout-form.schema.json"
ROOT_SCHEMA = "CheckoutForm"
_DOC_ONLY_KEYS = frozenset({"description", "example", "examples", "deprecated", "title"})
_REF_PREFIX = "#/components/schemas/"


def _resolve(node: Any, schemas: dict[str, Any], stack: tuple[str, ...]) -> Any:
    """Return a copy of schema ``node`` with refs inlined and doc-only keywords removed."""
    if isinstance(node, list):
        return [_resolve(item, schemas, stack) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith(_REF_PREFIX):
            raise ValueError(f"unsupported $ref {ref!r}")
        name = ref.removeprefix(_REF_PREFIX)
        if name in stack:
            raise ValueError(f"cyclic $ref: {' -> '.join((*stack, name))}")
        return _resolve(schemas[name], schemas, (*stack, name))
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DOC_ONLY_KEYS or key == "nullable":
            continue
        if key == "properties":
            out[key] = {
                prop: _resolve(sub, schemas, stack) for prop, sub in value.items()
            }
        else:
            out[key] = _resolve(value, schemas, stack)
    if node.get("nullable") is True:
        out = _make_nullable(out)
    return out


def _make_nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """Allow ``null`` in addition to whatever ``schema`` accepts."""
    schema = dict(schema)
    if "allOf" in schema or "anyOf" in schema or "oneOf" in schema:
        return {"anyOf": [{"type": "null"}, schema]}
    if "enum" in schema and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
    elif isinstance(kind, list) and "null" not in kind:
        schema["type"] = [*kind, "null"]
    elif kind is None and "enum" not in schema:
        return {"anyOf": [{"type": "null"}, schema]}
    return schema


def _optional_props_nullable(node: Any) -> Any:
    """Walk the resolved schema and make every non-required property nullable (see module doc)."""
    if isinstance(node, list):
        return [_optional_props_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _optional_props_nullable(value) for key, value in node.items()
           if key != "properties"}
    if "properties" in node:
        required = set(node.get("required", ()))
        props: dict[str, Any] = {}
        for prop, sub in node["properties"].items():
            converted = _optional_props_nullable(sub)
            props[prop] = converted if prop in required else _make_nullable(converted)
        out["properties"] = props
    return out


def build_schema(spec: dict[str, Any]) -> dict[str, Any]:
    """Build the self-contained JSON Schema for ``CheckoutForm`` from a parsed OpenAPI spec."""
    schemas = spec["components"]["schemas"]
    resolved = _resolve(schemas[ROOT_SCHEMA], schemas, (ROOT_SCHEMA,))
    body = _optional_props_nullable(resolved)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": (
            "Generated by scripts/make_checkout_form_schema.py from Allegro's OpenAPI spec "
            "(developer.allegro.pl/swagger.yaml, schema CheckoutForm). Refs inlined; "
            "nullable:true and non-required properties accept null (Allegro sends null for "
            "blank fields). Do not edit by hand."
        ),
        "title": ROOT_SCHEMA,
        **body,
    }


def main(argv: list[str]) -> int:
    """Read the spec, write the JSON schema, report where it went."""
    spec_path = Path(argv[1]) if len(argv) > 1 else DEFAULT_SPEC
    out_path = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUTPUT
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    schema = build_schema(spec)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(
        json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {out_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
