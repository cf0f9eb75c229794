"""The wider sell-off: one-day moves of the stocks, funds and indexes the articles name, and longer spans."""
