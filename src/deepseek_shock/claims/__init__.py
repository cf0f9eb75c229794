"""The claims stage: the registry of press claims, the verdict engine, claim cards and the ledger.

Imports ``data`` and ``chapters`` (and ``errors``, ``paths``); never ``build`` or ``cli``.
"""
