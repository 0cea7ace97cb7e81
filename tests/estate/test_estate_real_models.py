"""The real public models in ../shared/estates (not copied here): each import gives the connections its README counts.

The README's counts: Structurizr system → system pairs (big-bank-plc 3, financial-risk-system 6,
amazon-web-services 0, moj-bichard7-next-core 10); Backstage consumesApis links (examples 1,
diamond 1); ArchiMate Archisurance 7 Serving between application components (its Flow and
Triggering join business elements and application functions); AsyncAPI streetlights 4 channels.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from patternfit.errors import InputError
from patternfit.estate.importers import read_source
from patternfit.estate.review import review

ESTATES = Path(__file__).resolve().parents[3] / "shared" / "estates"
pytestmark = pytest.mark.skipif(
    not (ESTATES / "README.md").is_file(), reason=f"the shared real models are not at {ESTATES} in this checkout"
)


@pytest.mark.parametrize(
    ("path", "connections"),
    [
        ("structurizr/big-bank-plc.workspace.json", 3),
        ("structurizr/financial-risk-system.workspace.json", 6),
        ("structurizr/moj-bichard7-next-core.workspace.json", 10),
        ("backstage/backstage-examples", 1),
        ("backstage/diamond-developer-portal/catalog-info.yaml", 1),
        ("archimate/archisurance.xml", 7),
        ("asyncapi/streetlights-mqtt-2.6.0.yml", 4),
        ("asyncapi/streetlights-mqtt-3.0.0.yml", 4),
    ],
)
def test_each_real_model_gives_the_connections_its_readme_counts(path, connections):
    """Import and review: the README's count of connections, every row assessed."""
    result = review(ESTATES / path)
    assert result.findings.summary["connections"] == connections
    assert result.assessed == connections


def test_an_estate_with_nothing_answered_recommends_no_pattern_anywhere():
    """moj-bichard7 (issue 20): 10 connections, 18 of 18 unanswered — each undecided, none recommended, none a
    finding ("a close call" of a tie broken by order was one), each with the questions to ask."""
    result = review(ESTATES / "structurizr" / "moj-bichard7-next-core.workspace.json")
    results, findings = result.results, result.findings
    assert (results["unanswered"] == 18).all()
    assert results["recommended"].isna().all() and results["undecided"].all()
    assert set(results["undecided_reason"]) == {"no answer tells the patterns apart yet"}
    assert results["what_to_ask"].str.count("; ").eq(2).all()
    summary = findings.summary
    assert (summary["undecided"], summary["with a recommended pattern"]) == (10, 0)
    assert (summary["mismatches"], summary["workshop candidates"]) == (0, 0)
    assert findings.mix.loc["(undecided)", "recommended"] == 10 and findings.mix["recommended"].sum() == 10
    assert len(findings.undecided_rows) == 10


def test_one_answer_per_connection_is_still_undecided():
    """financial-risk-system: each relationship states only its style (1 answer) — a hint, not a recommendation."""
    results = review(ESTATES / "structurizr" / "financial-risk-system.workspace.json").results
    assert results["undecided"].all() and results["recommended"].isna().all()
    assert set(results["undecided_reason"]) == {"only 1 answer tells the patterns apart (2 needed)"}


def test_amazon_web_services_has_no_connection_between_systems():
    """Its one relationship joins two containers of one system: nothing to review, said so."""
    with pytest.raises(InputError, match="holds no connection between systems"):
        read_source(ESTATES / "structurizr" / "amazon-web-services.workspace.json")


def test_real_models_fields_are_read():
    """financial-risk: 5 synchronous + 1 asynchronous styles; backstage: the three $text URLs listed as not read."""
    risk = read_source(ESTATES / "structurizr" / "financial-risk-system.workspace.json").table
    assert (risk["response_expectation"].astype(str) == "result_now").sum() == 5
    assert (risk["temporal_decoupling"].astype(str) == "true").sum() == 1
    examples = read_source(ESTATES / "backstage" / "backstage-examples")
    assert sum("$text 'https://" in item and "is a URL" in item for item in examples.not_read) == 3
    big_bank = read_source(ESTATES / "structurizr" / "big-bank-plc.workspace.json").table
    assert "api" in set(big_bank["current_pattern"].astype(str))  # XML/HTTPS on the container relationship
