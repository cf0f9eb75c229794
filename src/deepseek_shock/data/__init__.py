"""The data stage: embedded snapshots (load, verify, build, live refresh) and the articles' printed figures.

Imports only ``deepseek_shock.errors`` and ``deepseek_shock.paths``; every later stage may import it.
"""
