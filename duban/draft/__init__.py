"""From a work report to a draft notice.

- ``decompose``  report Document → draft Document: sections and numbered tasks
- ``roundtrip``  a parsed notice → report-like prose, and task-boundary scores
  against a draft, to measure decomposition on notices we have
- ``catalogue`` / ``suggest``: the units most likely to take each task
"""
