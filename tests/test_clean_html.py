"""HTML cleaning on pages written for these tests (fictional outlet, people and events)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import wirewatch
from wirewatch.cli import app
from wirewatch.ingest.clean_html import clean_html, prune_widgets, real_byline
from wirewatch.ingest.clean_text import clean_text

STORY = [
    "Dock workers in the port of Varna walked out on Monday after talks over pay broke down,"
    " leaving dozens of cargo ships waiting at anchor outside the harbour.",
    "The strike was called by the Black Sea Dockers Union, which says wages have not kept up"
    " with prices for three years and that overtime is no longer paid on public holidays.",
    "Port managers said the walkout was unlawful because the union had not given the notice"
    " the law requires, and they asked a court in Varna to order the workers back to work.",
    "A hearing is set for Thursday. Until then no container will be loaded or unloaded, the"
    " port's operations director told reporters at the main gate on Monday afternoon.",
]


def page(extra_inside: str = "", extra_after: str = "", title: str = "Varna dockers strike",
         author: str = "Mila Petrova") -> str:
    paras = "".join(f"<p>{p}</p>" for p in STORY)
    return (
        "<html><head><title>" + title + " | Harbour Herald</title>"
        f'<meta name="author" content="{author}"></head><body>'
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"<article><h1>{title}</h1>{extra_inside}{paras}</article>{extra_after}"
        "<footer>All rights reserved.</footer></body></html>"
    )


def body(cleaned) -> str:
    return "\n".join(cleaned.text[s.start:s.end] for s in cleaned.segments if s.kind == "body")


def test_headline_is_its_own_segment():
    cleaned = clean_html(page())
    first = cleaned.segments[0]
    assert first.kind == "headline"
    assert cleaned.text[first.start:first.end] == "Varna dockers strike"
    assert "Dock workers in the port of Varna" in body(cleaned)
    assert "Varna dockers strike" not in body(cleaned)


def test_embedded_posts_and_widgets_are_not_body():
    tweet = ('<blockquote class="twitter-tweet"><p>Ships queueing outside Varna tonight, no'
             ' end in sight for the standoff at the port</p>&mdash; Harbour Watcher'
             ' (@harbourwatch) March 3, 2025</blockquote>')
    share = '<div class="share-bar"><a>Share on Facebook</a><a>Share on X</a></div>'
    box = ('<aside class="dont-miss"><h3>DON\'T MISS</h3><ul><li>Ferry fares rise again'
           ' as fuel costs climb</li><li>New bridge opens to traffic</li></ul></aside>')
    cleaned = clean_html(page(extra_inside=share + STORY_SPLIT + tweet + box))
    text = body(cleaned)
    assert "Ships queueing" not in text and "@harbourwatch" not in text
    assert "Share on Facebook" not in text and "Ferry fares" not in text
    assert all(p[:40] in text for p in STORY)


STORY_SPLIT = ""


def test_hover_card_goes_but_the_linked_name_stays():
    card = ('<p>Union leader <span class="person-rollover"><a href="/p/1">Ivan Dimov</a>'
            '<span class="rollover-card">Ivan DimovPort strike enters day two</span></span>'
            ' said the union would not back down before the court hearing on Thursday.</p>')
    cleaned = clean_html(page(extra_inside=card))
    text = body(cleaned)
    assert "Union leader Ivan Dimov said the union" in text
    assert "enters day two" not in text


def test_comment_policy_is_not_taken_for_the_article():
    policy = ('<div class="comments-policy"><p>Comments are welcome, but keep them civil and'
              ' on topic. No profanity or personal attacks. By posting you agree that the'
              ' Harbour Herald may republish your comment in its other publications.</p></div>')
    cleaned = clean_html(page(extra_after=policy))
    assert "Dock workers in the port of Varna" in body(cleaned)


def test_placeholder_byline_is_empty():
    assert real_byline("Username") is None
    assert real_byline("admin") is None
    assert real_byline("Mila Petrova") == "Mila Petrova"
    assert clean_html(page(author="Username")).meta.get("byline") is None


def test_credits_timestamps_and_contributor_lines():
    raw = "\n".join([
        "Updated on March 3 at 3:15 p.m.",
        STORY[0],
        "(Credit: Ana Ruse / Harbour Herald)",
        STORY[1],
        "Continue reading the main story",
        "DON'T MISS",
        "___",
        "Harbour Herald writers Ana Ruse and Petar Kolev contributed to this report.",
    ])
    cleaned = clean_text(raw)
    kinds = {cleaned.text[s.start:s.end]: s.kind for s in cleaned.segments}
    text = "\n".join(t for t, k in kinds.items() if k == "body")
    assert "Updated on" not in text and "Continue reading" not in text
    assert "DON'T MISS" not in text and "contributed to this report" not in text
    assert "___" not in cleaned.text
    assert kinds.get("(Credit: Ana Ruse / Harbour Herald)") == "caption"


def test_tweet_signature_takes_the_post_with_it():
    raw = "\n".join([
        STORY[0],
        "Ships queueing outside Varna tonight, no end in sight",
        "— Harbour Watcher (@harbourwatch) March 3, 2025",
        STORY[1],
    ])
    cleaned = clean_text(raw)
    assert "Ships queueing" not in cleaned.text and "@harbourwatch" not in cleaned.text
    assert STORY[1] in cleaned.text


def test_clean_html_is_public_and_prune_keeps_unparsable_input():
    assert wirewatch.clean_html is clean_html
    assert prune_widgets("") == ""


def test_clean_command_text_and_json(tmp_path):
    path = tmp_path / "strike.html"
    path.write_text(page(extra_inside='<div class="share-bar"><a>Share on X</a></div>'),
                    encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["clean", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Varna dockers strike\n\nDock workers")
    assert "Share on X" not in result.stdout
    result = runner.invoke(app, ["clean", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["segments"][0]["kind"] == "headline"
    assert data["byline"] == "Mila Petrova"
