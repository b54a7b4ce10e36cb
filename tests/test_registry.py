import pytest

from wirewatch.nlp.registry import RegistryError, load_file, load_registry, normalise_name


def test_builtin_registry_loads_and_covers_every_state():
    reg = load_registry()
    states = [a for a in reg.actors.values() if a.kind == "state"]
    assert len(states) >= 193
    assert reg.lookup("U.S.").id == "USA"
    assert reg.lookup("the United States").id == "USA"
    assert reg.country_of_demonym("Iraqis").id == "IRQ"
    assert reg.country_of_capital("Baghdad").id == "IRQ"


def test_normalisation_folds_spelling_variants():
    assert normalise_name("The Popular Mobilization Forces") == "popular mobilization forces"
    assert normalise_name("Kata’ib Hezbollah") == normalise_name("Kata'ib Hezbollah")
    assert normalise_name("al-Sudani") == normalise_name("Al Sudani")


def _write(tmp_path, text):
    path = tmp_path / "mine.yaml"
    path.write_text(text)
    return path


def test_user_file_extends_registry(tmp_path):
    path = _write(tmp_path, """
- id: X_TIGRIS_FRONT
  name: Tigris Front
  type: ORG
  kind: armed_group
  sectors: [REB]
  country: IRQ
  acronyms: [TF]
  backed_by: [IRN]
""")
    reg = load_registry((str(path),))
    assert reg.lookup("tigris front").id == "X_TIGRIS_FRONT"
    assert reg.lookup("TF").id == "X_TIGRIS_FRONT"


@pytest.mark.parametrize("body, message", [
    ("- id: A\n  name: A\n  type: ORG\n  kind: armed_group\n  colour: red\n", "unknown keys"),
    ("- id: A\n  name: A\n  type: THING\n  kind: armed_group\n", "type 'THING'"),
    ("- id: A\n  name: A\n  type: ORG\n  kind: armed_group\n  country: Iraq\n", "ISO3"),
    ("- id: A\n  name: A\n  type: ORG\n  kind: armed_group\n  sectors: [XXX]\n", "sector"),
    ("- name: A\n  type: ORG\n  kind: armed_group\n", "'id' is required"),
    ("just text\n", "expected a YAML list"),
    ("- id: A\n  name: [unclosed\n", "cannot read"),
])
def test_invalid_files_are_rejected_with_file_and_entry(tmp_path, body, message):
    path = _write(tmp_path, body)
    with pytest.raises(RegistryError) as exc:
        load_file(path)
    assert message in str(exc.value) and str(path) in str(exc.value)


def test_dangling_reference_and_duplicate_id_are_errors(tmp_path):
    path = _write(tmp_path, "- id: A\n  name: A\n  type: ORG\n  kind: militia\n  part_of: NOPE\n")
    with pytest.raises(RegistryError, match="unknown actor id 'NOPE'"):
        load_registry((str(path),))
    path = _write(tmp_path, "- id: IRQ\n  name: Again\n  type: GPE\n  kind: state\n")
    with pytest.raises(RegistryError, match="duplicate id 'IRQ'"):
        load_registry((str(path),))


def test_name_keys_are_cached_between_lookups() -> None:
    # the actor component asks for the key of every capitalised word; repeats are free
    normalise_name.cache_clear()
    assert normalise_name("The Dorsk  Harbour-Board’s") == "dorsk harbour boards"
    assert normalise_name("The Dorsk  Harbour-Board’s") == "dorsk harbour boards"
    assert normalise_name.cache_info().hits == 1
