from wirewatch.ingest.dedupe import find_original, fingerprint, similarity

STORY = ("Security forces arrested nine members of an armed faction in raids across Anbar "
         "province on Tuesday, the interior ministry said, seizing rockets and launch rails "
         "hidden in farm buildings near the Syrian border. The ministry said the suspects were "
         "linked to last week's attack on a base and would be questioned by investigators. "
         "A spokesman for the faction denied any role and called the raids political.")


def test_fingerprint_is_deterministic():
    assert fingerprint(STORY) == fingerprint(STORY)
    assert len(fingerprint(STORY)) == 64


def test_republished_copy_is_near_and_other_story_is_far():
    copy = STORY.replace("Tuesday", "Tuesday morning").replace(
        "A spokesman for the faction denied any role and called the raids political.", "")
    other = ("Protesters blocked the road to the port in Basra for a third day, demanding "
             "jobs and clean water, while the provincial governor promised a new desalination "
             "plant and called on the crowd to return home peacefully before the holiday.")
    assert similarity(fingerprint(STORY), fingerprint(copy)) > 0.5
    assert similarity(fingerprint(STORY), fingerprint(other)) < 0.1
    known = [("art_other", fingerprint(other)), ("art_story", fingerprint(STORY))]
    assert find_original(fingerprint(copy), known) == "art_story"
    assert find_original(fingerprint("Entirely unrelated words about football scores."),
                         known) is None
