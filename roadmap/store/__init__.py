"""The store: the history database (PRODUCT.md §5 "Progress over time").

Input: roadmaps and plans to keep (snapshots, frozen plans), the actions to log, with the acting
:class:`~roadmap.security.roles.Actor`.
Output: plain frozen dataclasses read back (:class:`~roadmap.store.snapshots.Snapshot`,
:class:`~roadmap.store.snapshots.FrozenPlan`, :class:`~roadmap.store.audit.AuditEntry`), never ORM objects.
Errors: every database error is a :class:`~roadmap.errors.StoreError`; a write without the role
it needs is a :class:`~roadmap.errors.PermissionDeniedError`.

Modules, in the order the data flows:

* :mod:`~roadmap.store.database`: settings, the database URL, the engine, the Alembic migrations of
  ``roadmap/store/migrations``;
* :mod:`~roadmap.store.schema`: the SQLAlchemy tables;
* :mod:`~roadmap.store.snapshots`: snapshots of a workbook and frozen plans;
* :mod:`~roadmap.store.chain`: the audit log's hash chain (how an entry is sealed);
* :mod:`~roadmap.store.audit`: the append-only audit log, and the check of its chain;
* :mod:`~roadmap.store.mappings`: column mappings kept in the database.
"""
