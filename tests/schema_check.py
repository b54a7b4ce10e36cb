"""Validate article records against the JSON Schema shipped in the package."""

import json
from functools import lru_cache
from importlib import resources

import jsonschema


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    path = resources.files("wirewatch") / "schema" / "article_record.schema.json"
    return jsonschema.Draft202012Validator(json.loads(path.read_text()))


def validate_record(record: dict) -> None:
    _validator().validate(record)
    text = record["article"]["text"]
    # Offsets must point into the text and say what the record says they say.
    for ent in record["entities"]:
        for m in ent["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"], m
    for q in record["quotes"]:
        for s, e in q["content_spans"]:
            assert 0 <= s < e <= len(text)
    for ev in record["events"]:
        t = ev["trigger"]
        assert text[t["start"]:t["end"]] == t["text"], t
    for x in record["times"] + record["places"]:
        assert text[x["start"]:x["end"]] == x["text"], x
