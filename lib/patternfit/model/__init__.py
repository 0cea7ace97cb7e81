"""The decision model: scales, conditions, the typed catalog loaded from data/, connections, profiles."""
