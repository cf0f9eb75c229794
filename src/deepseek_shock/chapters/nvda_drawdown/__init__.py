"""NVIDIA's fall on 27 January 2025: one stock's move in price and market value, and the press figures."""
