"""The articles' price arithmetic: token prices, GPU fleets and parameter counts."""
