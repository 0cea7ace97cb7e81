"""The calibration dashboard (notebooks/calibrate.ipynb): its state, editors, fragments and page."""

from patternfit.apps.calibrate.app import CalibrateApp, build_calibrate_app
from patternfit.apps.calibrate.labels import answer_label, describe_change, fit_choices
from patternfit.apps.calibrate.state import CalibrateState, EffectRow, FitChange

__all__ = [
    "CalibrateApp",
    "CalibrateState",
    "EffectRow",
    "FitChange",
    "answer_label",
    "build_calibrate_app",
    "describe_change",
    "fit_choices",
]
