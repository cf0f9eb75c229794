"""The build stage: the notebook pipeline, kernels, freshness, site rendering, editions, sweeps,
scenarios, and the preview server.

Imports every stage below it (``data``, ``chapters``, ``claims``); only ``cli`` imports it.
"""
