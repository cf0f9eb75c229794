"""The DeepSeek Shock, Reproduced: the library behind the report's notebooks."""

__version__ = "0.1.0"
