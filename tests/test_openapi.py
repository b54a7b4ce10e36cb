"""The OpenAPI document tells the truth: schemathesis sends generated requests to every
route and checks that no answer is a server error and that every status code, media type,
header and body is the one the document declares. On SQLite, and on PostgreSQL when
configured (where a NUL byte in a filter used to break the connection)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from tests.webdata import fill
from wirewatch.api.app import create_app
from wirewatch.service import Service

# Whether a value counts as valid is the handler's business (it accepts any letter case of
# an enum and answers 400 naming the values); what is checked is the contract.
EXCLUDED = [checks.positive_data_acceptance, checks.negative_data_rejection]


def test_every_route_keeps_the_documented_contract(store):
    fill(store)
    svc = Service(store)
    # Reviews are exercised; ingest (which would load the NLP pipeline) answers 403.
    _, token = svc.create_token("schemathesis", ["read", "review"])
    app = create_app(service=svc, read_token_required=False)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def keeps_contract(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                                   excluded_checks=EXCLUDED)

        keeps_contract()


def test_the_document_declares_errors_scopes_and_the_version(store):
    from wirewatch import __version__

    client_app = create_app(service=Service(store))
    from fastapi.testclient import TestClient

    doc = TestClient(client_app).get("/openapi.json").json()
    assert doc["info"]["version"] == __version__
    assert doc["components"]["securitySchemes"]["token"]["scheme"].lower() == "bearer"
    events = doc["paths"]["/api/events"]["get"]
    assert {"200", "400", "401", "403", "404", "422"} <= set(events["responses"])
    assert "text/csv" in events["responses"]["200"]["content"]
    params = {p["name"]: p for p in events["parameters"]}
    assert "ASSAULT" in params["type"]["schema"]["anyOf"][0].get("enum", []) or \
        "ASSAULT" in params["type"]["schema"].get("enum", [])
    assert params["since"]["schema"]["anyOf"][0]["pattern"].startswith("^\\d{4}")
    review = doc["paths"]["/api/reviews"]["post"]
    assert review["security"] == [{"token": []}]
