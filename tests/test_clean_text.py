from wirewatch.ingest.clean_text import clean_text, is_boilerplate, is_byline, is_caption


def _kinds(cleaned):
    return {s.kind: cleaned.text[s.start:s.end] for s in cleaned.segments}


def test_front_matter_is_metadata_not_text():
    cleaned = clean_text("---\ntitle: Talks resume\npublished: 2025-09-02\nsource: Tigris Wire\n"
                         "---\nOfficials met in Erbil on Monday to restart talks.")
    assert cleaned.meta == {"title": "Talks resume", "published": "2025-09-02",
                            "source": "Tigris Wire"}
    assert cleaned.text == "Officials met in Erbil on Monday to restart talks."


def test_share_widgets_are_removed_and_recorded():
    raw = ("Share and Follow\nThe council voted on Sunday to extend the mandate.\n"
           "Click to share on Facebook (Opens in new window)\nSign up for our daily newsletter\n"
           "Advertisement\nIt was the third extension this year.")
    cleaned = clean_text(raw)
    assert "Share" not in cleaned.text and "newsletter" not in cleaned.text
    assert "Advertisement" not in cleaned.text
    assert [r.text for r in cleaned.removed] == [
        "Share and Follow", "Click to share on Facebook (Opens in new window)",
        "Sign up for our daily newsletter", "Advertisement"]
    assert cleaned.text.startswith("The council voted")


def test_caption_byline_dateline_are_marked_segments():
    raw = ("By Samira Odeh\n\nBASRA, Iraq (Gulf Wire Service) — Dock workers walked out on "
           "Tuesday over unpaid wages, halting exports.\n\n"
           "A worker walks past idle cranes at Umm Qasr port in Basra, Iraq, on Sept. 9, 2025.\n"
           "The strike entered its second day.")
    cleaned = clean_text(raw)
    kinds = _kinds(cleaned)
    assert kinds["byline"] == "By Samira Odeh"
    assert kinds["dateline"].startswith("BASRA, Iraq (Gulf Wire Service)")
    assert kinds["caption"].startswith("A worker walks past idle cranes")
    assert cleaned.meta["byline"] == "Samira Odeh"
    body = [cleaned.text[s.start:s.end] for s in cleaned.segments if s.kind == "body"]
    assert body[0].startswith("Dock workers walked out")
    # Segments never overlap and always index into the text.
    ends = 0
    for seg in cleaned.segments:
        assert seg.start >= ends and seg.end <= len(cleaned.text)
        ends = seg.end


def test_paragraph_breaks_survive():
    cleaned = clean_text("First paragraph here.\n\n\n\nSecond paragraph here.")
    assert cleaned.text == "First paragraph here.\n\nSecond paragraph here."


def test_line_classifiers():
    assert is_boilerplate("Follow us on X")
    assert is_boilerplate("Copyright 2025 Levant Ledger. All rights reserved.")
    assert not is_boilerplate("Followers of the cleric gathered in Kufa.")
    assert is_caption("Photo: Protesters gather outside the provincial council.")
    assert is_caption("Smoke rises over the town. (Tigris Photo/Ali Saad)")
    assert not is_caption("Troops entered the town in Anbar, Iraq, on Sept. 9, 2025. "
                          "Residents said the fighting lasted hours.")
    assert is_byline("By Layla Haddad and Omar Nasser")
    assert not is_byline("By nightfall the convoy had reached Mosul and the road was closed.")
