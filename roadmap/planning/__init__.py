"""Planning: a :class:`~roadmap.models.Roadmap` → a :class:`~roadmap.planning.plan.Plan` (PRODUCT.md §5).

Input: a roadmap (measures, teams, settings) and the options of a plan: its start, horizon and
sprint length, and a solver time limit.
Output: a :class:`~roadmap.planning.plan.Plan`: each open measure scheduled in a sprint or deferred
with its reason; the :class:`~roadmap.planning.optimise.SolverReport` of the optimiser, and what it would
take (:class:`~roadmap.planning.optimise.Crashing`) to fit every deferred measure.
Errors: :class:`~roadmap.errors.PlanningError` (a horizon or sprint out of range, a roadmap that
cannot be planned).

Modules, in the order the data flows:

* :mod:`~roadmap.planning.calendar`: working days and sprints of the horizon;
* :mod:`~roadmap.planning.plan`: what comes out: :class:`Plan`, its scheduled and deferred measures, its tables;
* :mod:`~roadmap.planning.problem`: the roadmap as a scheduling problem (jobs, crews, rates, risk weights);
* :mod:`~roadmap.planning.schedule`: the list-scheduling heuristic (:func:`compress_plan`);
* :mod:`~roadmap.planning.search`: the exposure planner (constructive rules, restarts, local search);
* :mod:`~roadmap.planning.bound`: a lower bound on any plan's exposure (time-indexed LP);
* :mod:`~roadmap.planning.optimise`: the optimised plan, its report, and the crashing of deferred measures.
"""
