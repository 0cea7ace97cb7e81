"""Scoring a connection: the vectorised kernel, rules, robustness, weights, and `assess`."""
