"""The build stage: the notebook pipeline, kernels, freshness, site rendering, editions, sweeps, scenarios.

Imports every stage below it (``data``, ``chapters``, ``claims``); only ``cli`` imports it.
"""
