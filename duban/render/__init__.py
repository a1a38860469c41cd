"""Word and Excel the way government offices use them.

Plain Python, no Django.  What the web application and the command line call:

- ``render_notice(doc, path)``                      the notice as an official .docx (GB/T 9704-2012)
- ``export_plan_xlsx(doc, path, round_data=None)``  the whole plan, one row a task
- ``unit_ledger_template(doc, unit, path, rounds)`` a unit's ledger to fill offline
- ``import_unit_ledger(path, doc, unit)``           a filled ledger read back and checked → ``LedgerImport``
- ``round_from_ledgers(doc, ledgers, round_name)``  units' imported ledgers → ``RoundData``
- ``round_summary(doc, round_data)``                the figures of a round → ``RoundSummary``
- ``bulletin_text(doc, round_data)``                the bulletin (通报) as editable text → ``BulletinDraft``
- ``render_bulletin(doc, round_data, path, draft=None)``
- ``render_yearend(doc, round_data, path, unit=None)``  the year-end account (全年落实情况)

Each lives in its own module (``notice``, ``ledger``, ``ledger_import``, ``collect``,
``summary``, ``bulletin``, ``yearend``); import from there, so that loading one does
not load python-docx, openpyxl and matplotlib all at once.  The progress data they
read is in ``duban.render.data``.  See ``docs/render.md``.
"""
