"""The model in data/: complete, exactly the reference's keys, and refused when broken."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from patternfit.errors import ModelError
from patternfit.model.catalog import PATTERN_KEYS, load_model

DATA = Path(__file__).resolve().parents[2] / "data"

REFERENCE_KEYS = (
    "response_expectation", "latency_budget", "freshness_value", "interaction_intent",
    "consumer_count", "consumer_churn", "data_volume", "load_profile", "coordinated_steps",
    "process_duration", "human_step", "consistency", "ordering", "delivery_criticality",
    "temporal_decoupling", "visibility", "replay_needed", "counterpart_capability",
)  # fmt: skip


def test_the_eighteen_characteristics_in_reference_order(model):
    """The catalog holds exactly the 18 keys of decision-model.md §5a, in its order."""
    assert model.keys == REFERENCE_KEYS


def test_reference_values_are_kept_exactly(model):
    """Spot-check scale values against §5a."""
    assert model.question("response_expectation").scale.values == ("none", "ack_only", "result_now")
    assert model.question("process_duration").scale.values[-1] == "days_weeks"
    assert model.question("counterpart_capability").scale.values == ("any", "api", "messaging", "file_only")
    assert model.question("consumer_count").scale.values == ("1", "2", "3–5", "6+")
    assert [q.key for q in model.sub_inputs] == ["branching", "step_dependency", "ownership_boundary", "change_pattern"]


def test_default_weights_match_the_reference(model):
    """§5d: 3 for response_expectation, 1 for five keys, 2 for the rest."""
    weights = model.default_weights()
    assert weights["response_expectation"] == 3
    ones = {"consumer_churn", "load_profile", "ordering", "delivery_criticality", "replay_needed"}
    assert {k for k, w in weights.items() if w == 1} == ones
    assert sum(weights.values()) == 32


def test_fit_table_spot_checks(model):
    """A few fit cells of §5d, by characteristic, value and pattern."""

    def fit(key, value, pattern):
        q = model.question(key)
        return model.fit[model.keys.index(key), q.scale.level_of(value), PATTERN_KEYS.index(pattern)]

    assert fit("response_expectation", "result_now", "events") == -2
    assert fit("consumer_count", 7, "api") == -2
    assert fit("human_step", True, "workflow") == 2
    assert fit("counterpart_capability", "file_only", "batch") == 2
    assert fit("latency_budget", "days", "batch") == 2
    assert np.all(np.abs(model.fit) <= 2)


def test_knockouts_and_pitfalls_carry_reference_ids(model):
    """KO-1…KO-8 and at least the pitfalls the issue names, each with sources."""
    assert [k.id for k in model.knockouts] == [f"KO-{i}" for i in range(1, 9)]
    detectable = {p.id for p in model.pitfalls if p.when is not None}
    assert {"P-03", "P-04", "P-05", "P-06", "P-07", "P-08", "P-09", "P-12", "P-13", "P-27"} <= detectable
    assert all(k.sources for k in model.knockouts)


def test_every_file_carries_versions_and_sources():
    """Each data file has schema_version, the same model_version and a sources list."""
    versions = set()
    for path in sorted(DATA.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        assert doc["schema_version"] == 1, path
        assert isinstance(doc["sources"], list), path
        versions.add(doc["model_version"])
    assert len(versions) == 1


def test_checklists_for_every_pattern(model):
    """Every pattern and the choreography add-ons have an operational checklist."""
    assert set(model.checklists) == {*PATTERN_KEYS, "choreography"}
    assert all(len(items) >= 5 for items in model.checklists.values())


def _broken_copy(tmp_path: Path, file: str, edit) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("examples"))
    doc = yaml.safe_load((target / file).read_text())
    edit(doc)
    (target / file).write_text(yaml.safe_dump(doc, allow_unicode=True))
    return target


def _bridge(doc: dict) -> dict:
    """The K-BRIDGE-EVENTS-API check of a pitfalls.yaml document."""
    return next(c for c in doc["checks"] if c["id"] == "K-BRIDGE-EVENTS-API")


@pytest.mark.parametrize(
    ("file", "edit", "expected"),
    [
        (
            "scoring.yaml",
            lambda d: d["fit"]["latency_budget"].__setitem__("sometimes", {"api": 1}),
            "fit.latency_budget.sometimes",
        ),
        (
            "scoring.yaml",
            lambda d: d["fit"]["latency_budget"]["subsecond"].__setitem__("api", 7),
            "fit.latency_budget.subsecond.api",
        ),
        ("scoring.yaml", lambda d: d["weights"].__setitem__("ordering", -1), "weights.ordering"),
        ("scoring.yaml", lambda d: d["weights"].__setitem__("latency_budgte", 1), "latency_budget"),
        (
            "rules.yaml",
            lambda d: d["knockouts"][0].__setitem__("when", {"response_expectation": "instantly"}),
            "knockouts.KO-1.when",
        ),
        ("rules.yaml", lambda d: d["knockouts"][1].__setitem__("excludes", ["batches"]), "knockouts.KO-2.excludes"),
        ("pitfalls.yaml", lambda d: d["pitfalls"][0].__setitem__("when", {"no_such_field": 1}), "no_such_field"),
        ("patterns.yaml", lambda d: d["profiles"]["api"].__setitem__("D1", 9), "profiles.api.D1"),
        ("characteristics.yaml", lambda d: d.__setitem__("model_version", "1999.1"), "model_version"),
        ("checklists.yaml", lambda d: d["checklists"]["api"][0].__setitem__("sources", ["Z9"]), "Z9"),
        ("policy.yaml", lambda d: d["weights"].__setitem__("max", -1), "weights"),
        ("policy.yaml", lambda d: d["samples"].__setitem__("default", "many"), "samples.default"),
        ("policy.yaml", lambda d: d["estate"].__setitem__("mismatch_gap", 0), "estate.mismatch_gap"),
        ("policy.yaml", lambda d: d["wording"].__setitem__("setled", "x"), "wording.setled"),
        ("policy.yaml", lambda d: d["wording"].pop("settled"), "wording"),
        ("policy.yaml", lambda d: d["fit_scale"].__setitem__("max", 2), "fit_scale"),
        ("pitfalls.yaml", lambda d: d["checks"][0].__setitem__("when", {"no_such_field": 1}), "checks.K-IDEMPOTENCY"),
        ("rules.yaml", lambda d: d["contradictions"][2].__setitem__("conflict", "no"), "contradictions.C-3.conflict"),
        ("policy.yaml", lambda d: d["undecided"].__setitem__("min_answers", 0), "undecided.min_answers"),
        ("policy.yaml", lambda d: d.pop("undecided"), "missing key 'undecided'"),
        (
            "policy.yaml",
            lambda d: d["estate"].__setitem__("shared_database_pitfall", "P-99"),
            "shared_database_pitfall",
        ),
        ("policy.yaml", lambda d: d["conflict_ids"].__setitem__("unfitt", "X"), "conflict_ids.unfitt"),
        ("policy.yaml", lambda d: d["conflict_ids"].__setitem__("unfit", "C-ALL"), "conflict_ids"),
        ("policy.yaml", lambda d: d.pop("conflict_ids"), "missing key 'conflict_ids'"),
        ("pitfalls.yaml", lambda d: _bridge(d).__setitem__("bridges", []), "checks.K-BRIDGE-EVENTS-API.bridges"),
        ("pitfalls.yaml", lambda d: _bridge(d).__setitem__("bridges", "webhook"), "K-BRIDGE-EVENTS-API.bridges"),
        (
            "pitfalls.yaml",
            lambda d: _bridge(d).__setitem__("when", {"recommended": "events"}),
            "checks.K-BRIDGE-EVENTS-API.when: a bridge check must read counterpart_capability",
        ),
        ("pitfalls.yaml", lambda d: _bridge(d).__setitem__("sources", []), "checks.K-BRIDGE-EVENTS-API.sources"),
    ],
)
def test_broken_data_names_file_key_and_value(tmp_path, file, edit, expected):
    """A broken data file is refused with a message naming the file and the key."""
    broken = _broken_copy(tmp_path, file, edit)
    with pytest.raises(ModelError) as info:
        load_model(broken)
    assert f"data/{file}" in info.value.message
    assert expected in info.value.message


def test_bridge_checks_name_their_bridges_and_sources(model):
    """Every bridge check reads the recommended pattern and the counterpart, names its bridges, cites sources."""
    bridges = {c.id: c for c in model.checks if c.bridges}
    assert set(bridges) == {
        "K-BRIDGE-EVENTS-API", "K-BRIDGE-EVENTS-FILES", "K-BRIDGE-BATCH-API", "K-BRIDGE-BATCH-MESSAGING",
        "K-BRIDGE-API-FILES", "K-BRIDGE-API-MESSAGING",
    }  # fmt: skip
    assert bridges["K-BRIDGE-EVENTS-API"].bridges[0] == "a webhook subscription"
    assert "change data capture on its database" in bridges["K-BRIDGE-EVENTS-API"].bridges
    assert any("extract job" in b for b in bridges["K-BRIDGE-BATCH-API"].bridges)
    for check in bridges.values():
        assert {"recommended", "counterpart_capability"} <= check.when.fields and check.sources


def test_a_model_folder_without_policy_names_its_own_file(tmp_path):
    """A model folder other than the shipped one is named by its own path in complaints."""
    target = tmp_path / "mymodel"
    shutil.copytree(DATA, target)
    (target / "policy.yaml").unlink()
    with pytest.raises(ModelError) as info:
        load_model(target)
    assert info.value.message.startswith(f"{target}/policy.yaml: no such file")


def test_unparseable_data_file_names_the_line(tmp_path):
    """A YAML syntax error in data/ gives the file and the line."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    (target / "rules.yaml").write_text("schema_version: 1\nknockouts: [\n")
    with pytest.raises(ModelError, match=r"data/rules.yaml.*line"):
        load_model(target)


def test_policy_is_read_from_data(model):
    """Model policy (issue 11): samples, slider range, ties, fit scale, estate thresholds, wording."""
    policy = model.policy
    assert policy.default_samples == 2000 and policy.weight_range == (0.0, 10.0)
    assert policy.fit_range == (-1.0, 1.0) and policy.fit_label == "Fit (−1 … +1)"
    assert (policy.mismatch_gap, policy.many_unanswered) == (0.25, 6)
    assert (policy.min_answers, policy.undecided_ask) == (2, 3)
    assert (policy.conflict_ids.no_pattern, policy.conflict_ids.unfit) == ("C-ALL", "FIT")
    assert policy.shared_database_pitfall == "P-07"
    robustness = model.robustness
    assert (policy.low_acceptability, policy.low_margin) == (robustness.low_acceptability, robustness.low_margin)
    assert {"settled", "open", "conflict"} <= set(policy.wording)
    assert model.checks[0].id == "K-IDEMPOTENCY"
