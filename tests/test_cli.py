"""``python -m roadmap``: plan and validate on the sample, exit codes, no traceback."""

import json
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLE, measure, small_sheets, workbook_bytes

from roadmap.cli import main


def test_plan_json_on_the_sample(capsys):
    assert main(["plan", str(SAMPLE), "--json", "--time-limit", "8"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["measures"] >= 60 and out["risks"] >= 10 and out["teams"] >= 4
    risk = out["risk"]
    assert risk["end_of_plan"] < risk["now"] <= risk["inherent"]
    assert out["scheduled"] + out["deferred"] + out["done"] <= out["measures"]
    assert out["scheduled"] == len(out["schedule"]) and out["deferred"] == len(out["deferred_measures"])
    assert sum(len(s["measures"]) for s in out["sprints"]) == out["scheduled"]
    assert {d["reason"] for d in out["deferred_measures"]} <= {"capacity", "prerequisite", "blocked", "too_long"}
    exposure = out["exposure"]
    assert set(exposure) == {"naive", "greedy", "optimised", "baseline"}
    assert exposure["optimised"] <= exposure["greedy"] < exposure["naive"] < exposure["baseline"]
    solver = out["solver"]
    assert solver["status"] in {"OPTIMAL", "FEASIBLE"} and solver["gap"] >= 0
    # the lower bound, in risk-days, is below the plan's exposure and the gap says by how much
    assert 0 < solver["exposure_lower_bound"] <= exposure["optimised"]
    assert exposure["optimised"] / solver["exposure_lower_bound"] - 1 == pytest.approx(solver["gap"], abs=1e-3)
    crashing = out["crashing"]
    assert set(crashing["extra_person_days_per_sprint"]) == {
        "Systèmes et annuaire",
        "Réseau et sécurité",
        "Poste de travail et support",
        "Applications et biomédical",
        "Gouvernance et conformité",
    }
    assert crashing["horizon_weeks_needed"] > 13
    assert set(crashing["impossible"]) == {d["id"] for d in out["deferred_measures"] if d["reason"] == "blocked"}
    for item in out["schedule"]:
        sprint = out["sprints"][item["sprint"] - 1]
        assert sprint["start"] <= item["end"] <= sprint["end"] and item["start"] <= item["end"]


def test_plan_options_change_the_horizon(capsys):
    assert (
        main(
            [
                "plan",
                str(SAMPLE),
                "--json",
                "--start",
                "2027-01-04",
                "--horizon-weeks",
                "6",
                "--sprint-weeks",
                "3",
                "--time-limit",
                "1",
                "--no-crashing",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["start"] == "2027-01-04" and out["end"] == "2027-02-14"
    assert [s["index"] for s in out["sprints"]] == [1, 2]


def test_plan_human_output_lists_sprints_and_risk(capsys):
    assert main(["plan", str(SAMPLE), "--time-limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "Sprint 1 (" in out and "Residual risk" in out and "To finish every non-blocked measure" in out


def test_plan_with_blocking_issues_exits_1_and_names_the_cell(tmp_path, capsys):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(workbook_bytes(small_sheets([measure("M1", effort="beaucoup")])))
    assert main(["plan", str(path), "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "sheet 'Mesures', row 2, column 'Charge (j.h)': expected an effort in person-days" in captured.err


def test_validate_exit_codes(tmp_path, capsys):
    assert main(["validate", str(SAMPLE)]) == 0
    path = tmp_path / "not.xlsx"
    path.write_bytes(b"hello, this is not a workbook" * 10)
    assert main(["validate", str(path)]) == 1
    assert "not a spreadsheet" in capsys.readouterr().err


def test_validate_json(capsys, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(workbook_bytes(small_sheets([measure("M1", team="Z")])))
    assert main(["validate", str(path), "--json"]) == 1
    (issue,) = json.loads(capsys.readouterr().out)
    assert issue["sheet"] == "Mesures" and issue["row"] == 2 and issue["message"] == "unknown team"


def test_module_entry_point_and_bad_usage():
    ok = subprocess.run(
        [sys.executable, "-m", "roadmap", "plan", str(SAMPLE), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["measures"] >= 60
    bad = subprocess.run(
        [sys.executable, "-m", "roadmap", "plan", str(SAMPLE), "--start", "31/12"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "expected a date" in bad.stderr and "Traceback" not in bad.stderr


def test_out_of_range_options_are_clear_errors(capsys):
    assert main(["plan", str(SAMPLE), "--horizon-weeks", "1000000", "--no-crashing", "--time-limit", "1"]) == 1
    assert "the horizon must be 1 to 156 weeks" in capsys.readouterr().err
    assert main(["plan", str(SAMPLE), "--start", "9999-12-25", "--no-crashing", "--time-limit", "1"]) == 1
    assert "after the year 9999" in capsys.readouterr().err


def test_snapshot_freeze_progress(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'history.db'}"
    week0 = tmp_path / "week0.xlsx"
    week0.write_bytes(workbook_bytes(small_sheets()))
    assert main(["snapshot", str(week0), "--at", "2026-11-30", "--db", db]) == 0
    assert "Snapshot added for 'week0' on 2026-11-30 (4 measures)" in capsys.readouterr().out
    assert main(["snapshot", str(week0), "--at", "2026-12-07", "--db", db]) == 0
    assert "nothing added" in capsys.readouterr().out
    assert main(["freeze", str(week0), "--by", "RSSI", "--time-limit", "1", "--db", db]) == 0
    assert "Plan version 1 frozen for 'week0' by RSSI" in capsys.readouterr().out
    rows = small_sheets()["Mesures"]
    rows[1][6], rows[4][7] = "Fait", 80  # M1 done, M4 at 80 %
    week1 = tmp_path / "week1.xlsx"
    week1.write_bytes(workbook_bytes({**small_sheets(), "Mesures": rows}))
    assert main(["snapshot", str(week1), "--source", "week0", "--at", "2026-12-07", "--db", db]) == 0
    capsys.readouterr()
    assert main(["progress", "--db", db, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"snapshots", "as_of", "pv", "ev", "spi", "forecast_end", "late", "residual_actual"}
    assert out["snapshots"] == 2 and out["as_of"] == "2026-12-07"
    # EV = M1 4 + M3 3 + M4 10 × 80 % (M2 not started) = 15 person-days
    assert out["ev"] == 15.0 and out["spi"] == round(out["ev"] / out["pv"], 4)
    assert [r["date"] for r in out["residual_actual"]] == ["2026-11-30", "2026-12-07"]
    assert out["residual_actual"][1]["total"] < out["residual_actual"][0]["total"]
    assert main(["progress", "--db", db, "--as-of", "2026-11-30"]) == 0
    assert "as of 2026-11-30 (2 snapshots;" in capsys.readouterr().out


def test_progress_errors_are_one_line_on_stderr(tmp_path):
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    for args, message in [
        (["progress", "--db", db, "--json"], "choose a source with --source"),
        (["progress", "--db", db, "--source", "CH"], "no frozen plan for 'CH'"),
        (["progress", "--db", "nonsense"], "not a database URL"),
        (["snapshot", str(tmp_path / "missing.xlsx"), "--db", db], "cannot read"),
    ]:
        run = subprocess.run(
            [sys.executable, "-m", "roadmap", *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert run.returncode == 1 and message in run.stderr and "Traceback" not in run.stderr, run.stderr
