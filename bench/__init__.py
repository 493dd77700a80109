"""``make bench``: the performance budgets of docs/performance.md, measured and printed (never asserted).

Run ``python -m bench`` from the repository root; ``python -m bench --help`` lists the options.
"""
