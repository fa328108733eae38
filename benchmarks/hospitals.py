"""Generated hospitals for the planner's benchmark and tests: the family of instances the planner
is measured on (issue 22), reproducible from a seed.

4 teams of 3, 2, 2 and 1 FTE (availability 100 %, one person per measure); efforts 2–20
person-days; 80 % to do, 8 % in progress at 50 %, 8 % done, 4 % blocked; 0–2 prerequisites among
the 30 previous measures; 1–3 risk links of effectiveness 0.3, 0.5 or 0.7 over 10 risks up to 200
measures and one risk per 8 measures beyond; likelihood and severity 2–4; start Monday 5 April
2027, 13 weeks, 2-week sprints, French holidays.
"""

from __future__ import annotations

import datetime as dt
import random

from roadmap.models import Measure, Mitigation, Risk, Roadmap, Settings, Status, Team

START = dt.date(2027, 4, 5)
TEAMS = (("Infra", 3.0), ("Réseau", 2.0), ("Applications", 2.0), ("RSSI", 1.0))


def hospital(size: int, seed: int = 0) -> Roadmap:
    """A roadmap of ``size`` measures of the family above, the same for the same ``(size, seed)``."""
    rng = random.Random(f"{size}-{seed}")
    risks = tuple(
        Risk(id=f"R{n:03d}", likelihood=rng.randint(2, 4), severity=rng.randint(2, 4))
        for n in range(10 if size <= 200 else size // 8)
    )
    measures = []
    for n in range(size):
        earlier = [f"M{k:04d}" for k in range(max(0, n - 30), n)]
        depends = tuple(rng.sample(earlier, k=min(len(earlier), rng.randint(0, 2))))
        draw = rng.random()
        status, progress = Status.NOT_STARTED, 0.0
        if draw >= 0.96:
            status = Status.BLOCKED
        elif draw >= 0.88:
            status, progress = Status.DONE, 100.0
        elif draw >= 0.80:
            status, progress = Status.IN_PROGRESS, 50.0
        links = rng.sample(risks, k=rng.randint(1, 3))
        measures.append(
            Measure(
                id=f"M{n:04d}",
                title=f"Mesure {n}",
                team=rng.choice(TEAMS)[0],
                effort_days=rng.randint(2, 20),
                status=status,
                progress=progress,
                depends_on=depends,
                mitigates=tuple(Mitigation(risk_id=r.id, effectiveness=rng.choice([0.3, 0.5, 0.7])) for r in links),
            )
        )
    teams = tuple(Team(name=name, fte=fte, availability=1.0) for name, fte in TEAMS)
    settings = Settings(start_date=START, horizon_weeks=13, sprint_weeks=2, calendar="FR")
    return Roadmap(measures=tuple(measures), risks=risks, teams=teams, settings=settings)
