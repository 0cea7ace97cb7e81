"""patternfit.room.summary: the room as a decision record keeps it — numbers and words, nobody's name."""

from __future__ import annotations

from patternfit.model.connection import load_connection
from patternfit.room.analysis import assess_room
from patternfit.room.summary import outcome, room_lines, room_summary

from tests.room.shipment import SHIPMENT_FILE, answer_sets


def analysed(model, **options):
    return assess_room(answer_sets(), connection=load_connection(SHIPMENT_FILE, model), model=model, **options)


def test_the_summary_counts_people_and_tells_each_dispute_without_names(model):
    """Five people, their roles, the one dispute with its spread in labels; no participant id anywhere."""
    summary = room_summary(analysed(model), model, room_id="r1")
    assert (summary["room"], summary["participants"]) == ("r1", 5)
    assert summary["roles"] == {"development": 3, "ops": 2}
    [dispute] = summary["disputes"]
    assert dispute["key"] == "counterpart_capability" and sum(dispute["spread"].values()) == 5
    assert dispute["settled"].startswith("not settled")
    assert "developer0" not in str(summary) and "operations1" not in str(summary)


def test_a_settled_dispute_says_what_the_room_agreed(model):
    """Settled on file_only, the summary says so and the dissent is the messaging side, with its pattern."""
    summary = room_summary(analysed(model, settled={"counterpart_capability": {"value": "file_only"}}), model)
    [dispute] = summary["disputes"]
    assert dispute["settled"].startswith("settled: ")
    assert len(dispute["dissent"]) == 1 and dispute["dissent"][0].startswith("3 answered")


def test_outcome_answers_what_one_answer_would_give(model):
    """With the counterpart answered file_only the room's answers give batch; with messaging, events."""
    analysis = analysed(model)
    assert outcome(analysis, "counterpart_capability", "file_only", model) == "batch"
    assert outcome(analysis, "counterpart_capability", "messaging", model) == "events"


def test_room_lines_read_as_sentences_and_tolerate_a_sparse_mapping(model):
    """The record's room text starts with the count of people; a mapping with only a count still reads."""
    lines = room_lines(room_summary(analysed(model), model))
    assert lines[0] == "5 people answered in the room (development 3, ops 2)."
    assert room_lines({"participants": 0}) == (
        "0 people answered in the room.",
        "No disagreement in the room changed the recommendation.",
    )
