"""Hyperscaler capex: capital intensity from the filings and J.P. Morgan's scenario of a 24% cut."""
