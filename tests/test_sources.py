"""Reading files and JSONL into articles; every bad input becomes a named failure."""

import json

from wirewatch.ingest.sources import Defaults, article_id, read_inputs
from wirewatch.model import Article, IngestFailure

BODY = ("Officials in Baghdad said on Monday that the committee would meet again next week. "
        "The talks are expected to focus on the handover of heavy weapons by armed factions. "
        "Several members of parliament have criticised the slow pace of the process.")


def _read(*paths, **defaults):
    items = list(read_inputs(paths, Defaults(**defaults), max_bytes=10_000))
    return ([i for i in items if isinstance(i, Article)],
            [i for i in items if isinstance(i, IngestFailure)])


def test_text_file_with_front_matter(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(f"---\ntitle: Committee to meet\npublished: 2025-09-08\n---\n{BODY}\n")
    (article,), failures = _read(f)
    assert not failures
    assert article.title == "Committee to meet"
    assert article.published == "2025-09-08" and article.published_from == "metadata"
    assert article.id == article_id(BODY)


def test_cli_defaults_fill_missing_metadata_only(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(BODY)
    (article,), _ = _read(f, published="2025-01-20", source="Tigris Wire")
    assert article.published == "2025-01-20" and article.published_from == "cli"
    assert article.source == "Tigris Wire"


def test_same_text_same_id(tmp_path):
    (tmp_path / "a.txt").write_text(BODY)
    (tmp_path / "b.txt").write_text("---\ntitle: Other\n---\n" + BODY + "\n\n")
    articles, _ = _read(tmp_path)
    assert len(articles) == 2 and articles[0].id == articles[1].id


def test_bad_inputs_are_failures_not_crashes(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 3)
    (tmp_path / "huge.txt").write_text("word " * 5000)
    (tmp_path / "french.txt").write_text(
        "Le gouvernement irakien a demandé aux groupes armés de rendre leurs armes. "
        "Les responsables ont déclaré que les discussions se poursuivraient la semaine "
        "prochaine à Bagdad. Plusieurs députés ont critiqué la lenteur du processus et "
        "les factions ont rejeté le calendrier proposé par le gouvernement.")
    (tmp_path / "broken.html").write_text("<html><body><div><p>")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "good.txt").write_text(BODY)
    articles, failures = _read(*sorted(tmp_path.iterdir()))
    reasons = {f.origin.rsplit("/", 1)[-1]: f.reason for f in failures}
    assert reasons == {
        "binary.txt": "binary file",
        "broken.html": "broken HTML",
        "empty.txt": "empty file",
        "french.txt": "non-English text",
        "huge.txt": "file too large",
        "notes.pdf": "unsupported file type",
    }
    assert len(articles) == 1


def test_legacy_encoding_is_decoded_and_noted(tmp_path):
    f = tmp_path / "cp1252.txt"
    f.write_bytes(("The caf\u00e9 owner said \u201cwe are afraid\u201d after the blast. "
                   + BODY).encode("cp1252"))
    (article,), failures = _read(f)
    assert not failures
    assert "caf\u00e9" in article.text and "\u201cwe are afraid\u201d" in article.text
    assert article.warnings == ["decoded as cp1252"]


def test_jsonl_malformed_lines_are_reported_with_line_numbers(tmp_path):
    f = tmp_path / "feed.jsonl"
    rows = [
        json.dumps({"id": "x1", "title": "One", "published": "2025-09-01", "text": BODY}),
        "{not json",
        json.dumps({"id": "x3", "title": "No body"}),
        json.dumps({"id": "x4", "html": f"<html><body><article><p>{BODY}</p></article>"
                                         "</body></html>"}),
        "",
        json.dumps(["not", "an", "object"]),
    ]
    f.write_text("\n".join(rows))
    articles, failures = _read(f)
    assert [a.external_id for a in articles] == ["x1", "x4"]
    assert [(fl.origin.rsplit(":", 1)[-1], fl.reason) for fl in failures] == [
        ("2", "malformed JSON line"), ("3", "missing text"), ("6", "malformed JSON line")]


def test_html_page_main_text_and_captions(tmp_path):
    page = f"""<html><head><title>Council meets</title>
    <meta property="article:published_time" content="2025-09-10T08:00:00Z">
    <meta name="author" content="Omar Nasser"></head>
    <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <div class="share">Share on Facebook</div>
    <article><h1>Council meets</h1><p>{BODY}</p>
    <figure><img src="x.jpg"><figcaption>Council members arrive in Baghdad.</figcaption></figure>
    <p>The committee chair did not attend the session, officials said later that day.</p>
    </article><footer>Copyright 2025 Example News</footer></body></html>"""
    f = tmp_path / "page.html"
    f.write_text(page)
    (article,), failures = _read(f)
    assert not failures
    assert article.title == "Council meets"
    assert article.published.startswith("2025-09-10")
    assert "Home" not in article.text and "Copyright" not in article.text
    captions = [article.text[s.start:s.end] for s in article.segments if s.kind == "caption"]
    assert captions == ["Council members arrive in Baghdad."]


def test_missing_path_is_a_failure(tmp_path):
    _, failures = _read(tmp_path / "nope.txt")
    assert failures[0].reason == "not found"


def test_nul_in_a_jsonl_field_is_stripped_with_a_warning(tmp_path):
    f = tmp_path / "feed.jsonl"
    rows = [{"id": "n1", "title": "Council\u0000 meets", "text": BODY.replace("Baghdad",
                                                                             "Bagh\u0000dad")},
            {"id": "n2", "title": "Second", "text": BODY + " The vote is on Sunday."}]
    f.write_text("\n".join(json.dumps(r) for r in rows))
    articles, failures = _read(f)
    assert not failures and [a.external_id for a in articles] == ["n1", "n2"]
    first = articles[0]
    assert first.title == "Council meets" and "\x00" not in first.text and "Baghdad" in first.text
    assert "removed 1 NUL characters from title" in first.warnings
    assert "removed 1 NUL characters from text" in first.warnings


def test_a_raw_nul_early_in_jsonl_costs_only_its_line(tmp_path):
    f = tmp_path / "feed.jsonl"
    good = json.dumps({"id": "g1", "text": BODY})
    f.write_bytes(b'{"id": "bad", "text": "x\x00y"}\n' + good.encode() + b"\n")
    articles, failures = _read(f)
    assert [a.external_id for a in articles] == ["g1"]
    assert [(fl.origin.rsplit(":", 1)[-1], fl.reason) for fl in failures] == [
        ("1", "binary content")]


def test_utf16_and_utf32_with_a_byte_order_mark_are_text(tmp_path):
    for codec in ("utf-16", "utf-16-be", "utf-32", "utf-32-le"):
        f = tmp_path / f"{codec}.txt"
        data = ("The caf\u00e9 owner in Najaf said the market reopened. " + BODY).encode(codec)
        if codec.endswith(("-be", "-le")):  # these codecs write no mark of their own
            data = ("\ufeff" + "The caf\u00e9 owner in Najaf said the market reopened. "
                    + BODY).encode(codec)
        f.write_bytes(data)
        (article,), failures = _read(f)
        assert not failures, (codec, failures)
        assert article.text.startswith("The caf\u00e9 owner") and "\ufeff" not in article.text


def test_damaged_utf8_is_refused_not_stored_garbled(tmp_path):
    f = tmp_path / "damaged.txt"
    f.write_bytes(("The caf\u00e9 owner said \u201cwe are afraid\u201d. " + BODY).encode()
                  + b" The minister\xe9s office declined to comment.")
    articles, failures = _read(f)
    assert articles == []
    (failure,) = failures
    assert failure.reason == "invalid UTF-8" and "byte" in failure.detail


def test_unreadable_published_date_falls_back_and_is_noted(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(f"---\ntitle: Talks\npublished: the day after the vote\n---\n{BODY}\n")
    (article,), failures = _read(f, published="2025-09-10")
    assert not failures
    assert article.published == "2025-09-10" and article.published_from == "cli"
    assert any("unreadable published date" in w for w in article.warnings)
    g = tmp_path / "b.jsonl"
    g.write_text(json.dumps({"id": "d1", "published": "2025-13-45", "text": BODY}))
    (article,), failures = _read(g)
    assert not failures and article.published is None
    assert any("'2025-13-45'" in w for w in article.warnings)


def test_symlink_loop_is_a_recorded_failure(tmp_path):
    (tmp_path / "feeds" / "inner").mkdir(parents=True)
    (tmp_path / "feeds" / "inner" / "a.txt").write_text(BODY)
    (tmp_path / "feeds" / "inner" / "back").symlink_to(tmp_path / "feeds")
    articles, failures = _read(tmp_path / "feeds")
    assert len(articles) == 1
    assert [f.reason for f in failures] == ["symlink loop"]
    assert failures[0].origin.endswith("back")


def test_unreadable_subfolder_is_a_recorded_failure(tmp_path, monkeypatch):
    import os

    (tmp_path / "feeds" / "locked").mkdir(parents=True)
    (tmp_path / "feeds" / "a.txt").write_text(BODY)
    real_scandir = os.scandir

    def scandir(path="."):  # chmod 000 does not stop root, so the refusal is simulated
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    articles, failures = _read(tmp_path / "feeds")
    assert len(articles) == 1
    assert [(f.reason, f.detail) for f in failures] == [("unreadable folder",
                                                         "Permission denied")]
    assert failures[0].origin.endswith("locked")
