"""The workshop dashboard (notebooks/workshop.ipynb): its state, the bar, the room panel, the
walk-through and the page, which embeds the decide page."""

from patternfit.apps.workshop.app import WorkshopApp, build_workshop_app, start_workshop
from patternfit.apps.workshop.intro import Intro, frame_html, recommendations_text
from patternfit.apps.workshop.state import WorkshopState

__all__ = [
    "Intro",
    "WorkshopApp",
    "WorkshopState",
    "build_workshop_app",
    "frame_html",
    "recommendations_text",
    "start_workshop",
]
