"""The DeepSeek Shock, Reproduced: the library behind the report's notebooks.

Stages, each importing only those before it: ``data`` → ``chapters`` → ``claims`` → ``build`` → ``cli``;
``errors`` and ``paths`` serve them all.
"""

__version__ = "0.1.0"
