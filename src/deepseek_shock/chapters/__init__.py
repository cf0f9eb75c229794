"""The chapters: one folder per notebook, its Params schema beside its arithmetic, charts and tables.

Imports ``data`` (and ``errors``, ``paths``); never ``claims`` or ``build``. A chapter computes and never
judges, and never imports another chapter: what two chapters share lives in ``chapters/market``.
"""
