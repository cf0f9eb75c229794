"""Values shown in messages stay short, whatever their size."""

from __future__ import annotations

from deepseek_shock.errors import quoted


def test_a_long_text_is_cut_with_its_length() -> None:
    shown = quoted("x" * 50_000_000)
    assert len(shown) < 100 and shown.endswith("(50,000,000 characters)")
    assert quoted("NVDA") == "'NVDA'"


def test_a_nested_value_is_cut_by_depth_and_width() -> None:
    value: list = [1] * 9
    for _ in range(30):
        value = [value] * 9  # 9**31 leaves, all shared
    assert len(quoted(value)) < 200
    assert quoted([1, 2]) == "[1, 2]"
