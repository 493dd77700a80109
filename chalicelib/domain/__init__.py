"""Domain objects: what services return and handlers present. Plain frozen dataclasses — no PynamoDB, no HTTP.

The table modules map stored items to these explicitly (``tables/*.py``: ``*_of`` functions), so a handler never
sees a table model and a table can change shape without touching the API.
"""
