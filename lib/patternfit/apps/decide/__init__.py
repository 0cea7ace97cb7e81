"""The decision dashboard (notebooks/decide.ipynb)."""

from patternfit.apps.decide.app import DecisionApp, build_app

__all__ = ["DecisionApp", "build_app"]
