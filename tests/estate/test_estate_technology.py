"""The technology catalogue: forgiving names → patterns, a profile's entries and standards, the new findings."""

from __future__ import annotations

import pandas as pd
import pytest
from patternfit.errors import InputError
from patternfit.estate.review import read_inventory_bytes, review
from patternfit.model.profile import profile_technologies
from patternfit.model.technologies import implement_with, load_technologies, standard_for

PROFILE = {
    "name": "Acme",
    "version": "1",
    "technologies": [{"name": "Solace PubSub+", "pattern": "events", "flavour": "topic", "aliases": ["solace"],
                      "reason": "our event mesh"}],
    "standards": {"events.queue": "Azure Service Bus queues", "events.topic": "solace", "api": "REST"},
}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("Apache Kafka", "Apache Kafka", "events (stream)"),
        ("kafka 3.7", "Apache Kafka", "events (stream)"),
        ("Camunda 8", "Camunda", "workflow"),
        ("REST/JSON", "REST", "api"),
        ("JSON/HTTPS", "REST", "api"),
        ("  grpc ", "gRPC", "api"),
        ("Google Cloud Pub/Sub", "Google Cloud Pub/Sub", "events (stream)"),
        ("AWS SQS", "Amazon SQS", "events (queue)"),
        ("Service Bus topics", "Azure Service Bus topics", "events (topic)"),
        ("EventBridge", "Amazon EventBridge", "events (topic)"),
        ("SFTP", "SFTP", "batch"),
        ("Control-M", "Control-M", "batch"),
        ("AWS Step Functions", "AWS Step Functions", "workflow"),
        ("database link", "JDBC", "shared_database"),
    ],
)
def test_names_are_matched_forgivingly(text, name, kind):
    """Case, spaces, versions, vendor words and 'A/B' spellings are forgiven."""
    found = load_technologies().match(text)
    assert found is not None and (found.name, found.kind) == (name, kind)


def test_unknown_or_mixed_texts_are_not_read():
    """An unknown name or a text naming two patterns gives no match, and says why."""
    catalogue = load_technologies()
    assert catalogue.match("carrier pigeon") is None and "not in the technology catalogue" in catalogue.explain("x")
    assert catalogue.match("Kafka + REST") is None
    assert "different patterns" in catalogue.explain("Kafka + REST")


def test_every_entry_cites_its_sources():
    """Each reference entry names the documentation it rests on."""
    assert all(entry.docs for entry in load_technologies().entries)


def test_profile_adds_entries_and_names_standards():
    """standard_for and implement_with name the organisation's standard (flavour first, then pattern)."""
    catalogue = profile_technologies(PROFILE)
    assert catalogue.match("Solace 10.2").name == "Solace PubSub+"
    assert standard_for("events", "queue", catalogue) == "Azure Service Bus queues"
    assert standard_for("events", "topic", catalogue) == "Solace PubSub+"
    assert standard_for("events", "stream", catalogue) is None and standard_for("api", None, catalogue) == "REST"
    assert implement_with("api", None, catalogue).startswith("Implement with REST")
    assert standard_for("api") is None and implement_with("api") == ""  # the reference catalogue has none


@pytest.mark.parametrize(
    ("change", "what"),
    [
        ({"standards": {"events.queue": "Kafka"}}, "implements events (stream)"),
        ({"standards": {"evnts": "REST"}}, "unknown pattern or flavour"),
        ({"standards": {"api": "Nonesuch"}}, "is not in the technology catalogue"),
        ({"technologies": [{"name": "X", "pattern": "queue"}]}, "is not a pattern"),
        ({"technologies": [{"name": "X", "pattern": "events"}]}, "needs a reason"),
        (
            {"technologies": [{"name": "X", "pattern": "api", "flavour": "topic", "reason": "r"}]},
            "not a flavour of api",
        ),
    ],
)
def test_bad_profile_technologies_are_refused(change, what):
    """A standard of the wrong pattern, an unknown slot or name, a bad entry: one InputError naming it."""
    with pytest.raises(InputError) as caught:
        profile_technologies({"name": "A", "version": "1", **change})
    assert what in caught.value.message and caught.value.message.startswith("profile: ")


def test_technology_column_and_technology_in_current_pattern_are_read():
    """'kafka' in current_pattern is events (kept in technology); a blank pattern is filled from technology."""
    text = "id,owner,current_pattern,technology\nA,Shop,kafka,\nB,Shop,,RabbitMQ\nC,Shop,api,\nD,Shop,carrier pigeon,\n"
    result = review(read_inventory_bytes(text.encode(), "inv.csv"))
    table = result.inventory.table
    assert list(table["current_pattern"].astype(str)) == ["events", "events", "api", "carrier pigeon"]
    assert list(table["technology"].astype(str)) == ["kafka", "RabbitMQ", "", ""]
    assert result.problems["value"].tolist() == ["carrier pigeon"]


def test_off_standard_and_technology_mix_findings():
    """With standards named, a team's own queue is flagged ('every team its own way'); the mix lists owners' tools."""
    text = (
        "id,owner,technology\nA,Shop,RabbitMQ\nB,Shop,Azure Service Bus queues\nC,Shop,Amazon SQS\n"
        "D,Billing,REST\nE,Billing,gRPC\n"
    )
    result = review(read_inventory_bytes(text.encode(), "inv.csv"), profile=PROFILE)
    off = result.findings.off_standard
    assert set(off["id"]) == {"A", "C", "E"}
    reason = off.set_index("id").loc["A", "reason"]
    assert "RabbitMQ is not the organisation's standard for events (queue): Azure Service Bus queues" in reason
    assert "Every team its own way" in reason
    mix = result.findings.technology_mix.set_index(["owner", "pattern"])
    assert (
        mix.loc[("Shop", "events"), "count"] == 3 and "3 technologies for events" in mix.loc[("Shop", "events"), "note"]
    )
    assert mix.loc[("Billing", "api"), "technologies"] in ("REST, gRPC", "gRPC, REST")
    assert result.findings.summary["off-standard technology"] == 3
    report = result.report()
    assert report["off_standard"].tolist() == [True, False, True, False, True]


def test_a_million_rows_read_technologies_by_distinct_value():
    """The technology step costs per distinct text, not per row (a quick guard, not a benchmark)."""
    from patternfit.estate.technology import read_technologies
    from patternfit.model.catalog import load_model

    table = pd.DataFrame({"id": [str(i) for i in range(200_000)], "current_pattern": ["kafka", "api"] * 100_000})
    out, matched = read_technologies(table, load_model(), load_technologies())
    assert (out["current_pattern"].astype(str) == "events").sum() == 100_000
    assert (matched["technology_name"].astype(str) == "Apache Kafka").sum() == 100_000
