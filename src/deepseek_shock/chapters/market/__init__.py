"""What the two market chapters share: daily prices, trading days, moves, share counts and market values.

Imports ``data`` only; ``nvda_drawdown`` and ``market_selloff`` import it, never each other.
"""
