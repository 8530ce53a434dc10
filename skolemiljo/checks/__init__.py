"""``skm check``: named checks of a case repository (issue 4).

- ``registry``: the check ids, their severity and one-line description;
- ``content``: one pass per case file (with ``fastyaml`` and ``schema_check``);
- ``deadlines`` and ``workdays``: the legal deadlines in working days;
- ``audit_checks``: git status, the log's skm trailers, the schema copies;
- ``runner``: the whole run, with the warm cache (``cache``) and a process pool;
- ``reporters``: text, json, github and junit output.

The catalogue of checks for users is ``docs/checks.md``.
"""
