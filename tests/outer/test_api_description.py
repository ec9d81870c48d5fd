"""openapi.json describes the files a program reads from a built site: it is a valid OpenAPI 3.1
document, every path it names is reached by filling its template from the site's own catalogue,
and every JSON file it gives a schema for validates against that schema."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
from jsonschema import Draft202012Validator
from lxml import etree
from openapi_spec_validator import validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from fadian.refs.index import normalise_title
from fadian.uri import FrbrUri

from conftest import serve_dir

API = "urn:fadian:openapi"


@pytest.fixture(scope="module")
def api(built_project) -> dict:
    return json.loads((built_project / "site" / "openapi.json").read_bytes())


def fetch(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        raise AssertionError(f"{url}: {error.code}") from None


def schema_validator(api: dict, operation: dict) -> Draft202012Validator | None:
    """A validator for the operation's JSON, its ``$ref`` resolved inside the OpenAPI document."""
    (content,) = operation["get"]["responses"]["200"]["content"].values()
    if "schema" not in content:
        return None
    registry = Registry().with_resource(API, DRAFT202012.create_resource(api))
    schema = json.loads(json.dumps(content["schema"]).replace('"#/components/', f'"{API}#/components/'))
    return Draft202012Validator(schema, registry=registry)


def filled(template: str, values: dict[str, str]) -> str | None:
    """The path with its parameters filled, or None when a parameter has no value here."""
    names = re.findall(r"\{(\w+)\}", template)
    if "number" in names and ("subtype" in names) != (values.get("subtype") is not None):
        return None  # a work's address has its subtype exactly when the work has one
    if any(values.get(name) is None for name in names):
        return None
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)


def test_the_description_is_valid_openapi(api):
    validate(api)
    assert api["openapi"].startswith("3.1")


def test_every_described_file_is_there_and_matches_its_schema(built_project, api):
    site = built_project / "site"
    catalogue = json.loads((site / "akn" / "index.json").read_bytes())
    requests: list[dict[str, str | None]] = []  # the parameters of each expression of each work
    for work in catalogue["works"]:
        uri = FrbrUri.parse(work["work_uri"])
        values = {
            "jurisdiction": uri.jurisdiction,
            "doctype": uri.doctype,
            "subtype": uri.subtype,
            "date": uri.date,
            "number": uri.number,
        }
        data = json.loads((site / work["data"]).read_bytes())
        for expression in data["expressions"]:
            slug = expression["page"].removeprefix("documents/").strip("/")
            parsed = FrbrUri.parse(expression["expression_uri"])
            bucket = str(ord(normalise_title(work["title"])[0]) % 256)
            requests.append(
                {
                    **values,
                    "expressionDate": parsed.expression_date,
                    "slug": slug,
                    "asOf": catalogue["as_of"],
                    "bucket": bucket,
                }
            )
    reached: set[str] = set()
    with serve_dir(site) as base:
        for template, operation in api["paths"].items():
            validator = schema_validator(api, operation)
            if validator is not None:
                assert list(validator.iter_errors({})), f"{template}: its schema accepts anything"
            for path in sorted({filled(template, values) for values in requests} - {None}):
                body = fetch(base + urllib.request.quote(path.lstrip("/")))
                reached.add(template)
                media = next(iter(operation["get"]["responses"]["200"]["content"]))
                if validator is not None:
                    errors = [e.message for e in validator.iter_errors(json.loads(body))]
                    assert not errors, (path, errors[:3])
                elif media.endswith("xml"):
                    etree.fromstring(body)  # well-formed (the AKN is schema-validated by the build)
                elif media == "application/zip":
                    assert body.startswith(b"PK\x03\x04"), path
    assert reached == set(api["paths"]), set(api["paths"]) - reached


def test_a_work_with_a_subtype_has_its_own_template(api, built_project):
    catalogue = json.loads((built_project / "site" / "akn" / "index.json").read_bytes())
    subtyped = [w for w in catalogue["works"] if FrbrUri.parse(w["work_uri"]).subtype]
    assert subtyped, "the bulletin's Wuhan draft is a city's text: its address has a subtype"
    assert any("{subtype}" in path for path in api["paths"])
