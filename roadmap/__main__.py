"""``python -m roadmap``: see :mod:`roadmap.cli`."""

from roadmap.cli import main

raise SystemExit(main())
