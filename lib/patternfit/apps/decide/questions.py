"""The questions of the decide page, bound to a `DecisionState`.

Guided mode is the default: at the top, beside the card, the next questions to answer
(``pf-ask-next``, from the assessment's ``ask_next``) and the question just answered; below, the
whole questionnaire by group (one click away: the "All questions" link), where unanswered
questions that make no difference now (every outcome still possible stays possible whatever
the answer, and no other becomes possible) are folded away with a line saying why. Each question
row (``pf-q-<key>``) appears once on the page; it moves between the guided panel and its group.
Inside each row a line says what its current answer does.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w

from patternfit.apps.common.questions import QuestionRow, Shared, grid
from patternfit.apps.common.templates import render
from patternfit.apps.decide.card import ask_next_html
from patternfit.apps.decide.guidance import ASK_SHOWN, Effect, Guidance
from patternfit.apps.decide.state import SUB_PREFIX, DecisionState, several_steps
from patternfit.model.catalog import Model

Guard = Callable[[Callable[..., Any]], Callable[..., None]]


@functools.lru_cache(maxsize=512)
def effect_html(effect: Effect | None) -> str:
    """The line under a question (effects repeat from answer to answer: rendered once each)."""
    return render("decide/effect.html", effect=effect)


class QuestionsView:
    """The guided panel and the full questionnaire; `rows` and `sub_rows` by key."""

    def __init__(self, state: DecisionState, model: Model, shared: Shared, guard: Guard) -> None:
        self.state = state
        self.model = model
        self.shared = shared
        self.guard = guard
        self.last: str | None = None  # the row answered last from the guided panel stays there
        self.rows: dict[str, QuestionRow] = {
            q.key: QuestionRow(q, model, shared, guard(self._answered), css=f"pf-q-{q.key}")
            for q in model.characteristics
        }
        self.sub_rows: dict[str, QuestionRow] = {}
        self.sub_box = w.VBox([], layout=w.Layout(width="100%", display="none"))
        self.sub_box.add_class("pf-sub")
        self.ask_head = w.HTML("", layout=shared.full, style=shared.html)
        self.asked = w.VBox([], layout=shared.full)
        jump = w.HTML(render("decide/jump.html"), layout=shared.auto, style=shared.html)
        self.guided = w.VBox([self.ask_head, self.asked, jump], layout=shared.full)
        self.guided.add_class("pf-ask-next")
        self.groups: dict[str, w.VBox] = {}
        self.group_titles: dict[str, w.HTML] = {}
        self.full = w.VBox(self._questionnaire(), layout=shared.full)
        self.full.add_class("pf-questionnaire")
        self._placed: Any = None

    def _questionnaire(self) -> list[w.Widget]:
        """All questions by group (the coordination box under the process group), then the
        questions that make no difference now, folded."""
        model, shared = self.model, self.shared
        parts: list[w.Widget] = [w.HTML(render("decide/all_questions.html"), layout=shared.auto, style=shared.html)]
        for group, label in model.groups:
            if any(r.q.group == group for r in self.rows.values()):
                title = w.HTML(render("decide/group_title.html", label=label), style=shared.html)
                self.group_titles[group] = title
                self.groups[group] = w.VBox([], layout=shared.full)
                self.groups[group].add_class("pf-qgrid")
                parts += [title, self.groups[group]]
            if group == "process":
                parts.append(self.sub_box)
        self.folded_note = w.HTML("", layout=shared.full, style=shared.html)
        self.folded_rows = w.VBox([], layout=shared.full)
        self.folded_rows.add_class("pf-qgrid")
        self.folded = w.Accordion(
            children=[w.VBox([self.folded_note, self.folded_rows], layout=shared.full)],
            titles=("Questions that make no difference now",),
            selected_index=None,
            layout=w.Layout(width="100%", display="none"),
        )
        self.folded.add_class("pf-folded")
        parts.append(self.folded)
        return parts

    # -- from the widgets to the state ----------------------------------------------------
    def _answered(self, row: QuestionRow) -> None:
        if self._in_guided(row.key):
            self.last = row.key
        with self.state.held():
            self.state.set_answer(row.key, row.value, unsure=row.is_unsure)
        if row.key == "coordinated_steps":
            self.update_sub_visibility()
        self.state.recompute()

    def _sub_changed(self, row: QuestionRow) -> None:
        if self._in_guided(SUB_PREFIX + row.key):
            self.last = SUB_PREFIX + row.key
        self.state.set_answer(row.key, row.value, unsure=row.is_unsure)

    def _in_guided(self, key: str) -> bool:
        return bool(self._placed and key in self._placed[0])

    # -- from the state to the widgets ----------------------------------------------------
    def sync(self) -> None:
        """Show the state's answers (and unsure marks) in the rows; fires no callbacks."""
        s = self.state
        unsure = set(s.unsure)
        for key, row in self.rows.items():
            row.set(s.answers.get(key), key in unsure)
        for key, row in self.sub_rows.items():
            row.set(s.sub.get(key), SUB_PREFIX + key in unsure)
        self.update_sub_visibility()

    def update_sub_visibility(self) -> None:
        shown = several_steps(self.state.answers)
        if shown and not self.sub_rows:
            self._build_sub()
        display = None if shown else "none"
        if self.sub_box.layout.display != display:
            self.sub_box.layout.display = display

    def _build_sub(self) -> None:
        s, m = self.shared, self.model
        self.sub_rows = {
            q.key: QuestionRow(q, m, s, self.guard(self._sub_changed), css=f"pf-q-{q.key}") for q in m.sub_inputs
        }
        unsure = set(self.state.unsure)
        for key, row in self.sub_rows.items():
            row.set(self.state.sub.get(key), SUB_PREFIX + key in unsure)
        label = "Orchestration or choreography? (a flow of several steps)"
        title = w.HTML(render("decide/group_title.html", label=label), style=s.html)
        self.sub_grid = grid(list(self.sub_rows.values()))
        self.sub_box.children = [title, self.sub_grid]
        self._placed = None

    def show(self, g: Guidance, effects: Mapping[str, Effect]) -> None:
        """Place the rows (guided, by group, folded) and write each row's effect line."""
        self.ask_head.value = ask_next_html(g)
        asked: list[str] = []
        for ask in g.ask_next:
            key = ask.key
            if key.startswith(SUB_PREFIX) and key[len(SUB_PREFIX) :] not in self.sub_rows:
                continue
            if not key.startswith(SUB_PREFIX) and key not in self.rows:
                continue
            asked.append(key)
            if len(asked) >= ASK_SHOWN:
                break
        if self.last and self.last not in asked:
            asked.insert(0, self.last)
        folded = sorted(k for k in g.cannot_matter if k in self.rows and k not in asked)
        placed = (tuple(asked), tuple(folded), tuple(self.sub_rows))
        if placed != self._placed:
            self._placed = placed
            self._place(asked, set(folded))
        for key, row in self.rows.items():
            row.show_effect(effect_html(effects.get(key)))
        for key, row in self.sub_rows.items():
            row.show_effect(effect_html(effects.get(SUB_PREFIX + key)))

    def _row(self, key: str) -> QuestionRow:
        if key.startswith(SUB_PREFIX):
            return self.sub_rows[key[len(SUB_PREFIX) :]]
        return self.rows[key]

    def _place(self, asked: list[str], folded: set[str]) -> None:
        self.asked.children = [self._row(k).box for k in asked]
        taken = set(asked) | folded
        for group, box in self.groups.items():
            keep = [r.box for k, r in self.rows.items() if r.q.group == group and k not in taken]
            box.children = keep
            self.group_titles[group].layout.display = None if keep else "none"
        if self.sub_rows:
            self.sub_grid.children = [r.box for k, r in self.sub_rows.items() if SUB_PREFIX + k not in taken]
        self.folded_rows.children = [self.rows[k].box for k in self.rows if k in folded]
        self.folded.layout.display = None if folded else "none"
        many = len(folded) != 1
        title = f"{len(folded)} question{'s' if many else ''} that make{'' if many else 's'} no difference now"
        if tuple(self.folded.titles) != (title,):
            self.folded.titles = (title,)
        self.folded_note.value = render("decide/folded.html", count=len(folded)) if folded else ""
