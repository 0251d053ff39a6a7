"""The scenario tests shipped with the procedures (processes/*.scenarios.json) pass on the demo data."""

import time
from collections import Counter
from pathlib import Path

from app.workflow.deployments import read_bundle_dir
from app.workflow.scenario_tests import run_scenarios

ROOT = Path(__file__).resolve().parents[2]
# Started by a person, so tested on their own; the rest are only called (department_response,
# reject_forward_coordinate, town_opinion) or started by a message (supervision_case), and their tasks are played
# in the scenarios of the processes that reach them.
STARTED_BY_PEOPLE = {"admission_approval", "assigned_matter", "call_response"}


def test_every_shipped_scenario_passes(session):
    files = read_bundle_dir(ROOT / "processes", ROOT / "forms")
    began = time.perf_counter()
    results = run_scenarios(session, files)
    seconds = time.perf_counter() - began
    failed = [r for r in results if not r["passed"]]
    for r in failed:
        print(f"{r['file']} {r['scenario']}（{r['name']}）: " + "；".join(r["failures"]))
    print(f"{len(results)} scenarios in {seconds:.1f} s (one worker)")
    assert results and not failed, [(r["scenario"], r["failures"]) for r in failed]
    per_process = Counter(r["process"] for r in results)
    assert all(per_process[p] >= 2 for p in STARTED_BY_PEOPLE), per_process
    reached = {element for r in results for element in r["path"]}
    branches = {"give_opinion", "overdue", "revise", "leader_approval", "decide", "negotiate", "coordinate", "propose",
                "no_response", "redo", "approve_extension", "until_end", "notify_rejected"}
    assert branches - reached == set(), "every branch is played by some scenario"
