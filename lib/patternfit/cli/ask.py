"""`patternfit ask [FILE]`: the questionnaire in a terminal, the question that matters most first.

After each answer the connection is assessed again and the recommendation and its state are
shown; the questionnaire stops when the state is settled, when no question is left to ask (it
then offers to revisit the answers marked unsure), or when the user stops — and says whether the
result is settled or, while open, what would still change it. The connection file is written at the end, all at
once (a temporary file renamed into place); Ctrl-C leaves nothing behind. An existing FILE is
never replaced without --force, and that is checked before anything is asked.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from patternfit.errors import InputError

if TYPE_CHECKING:
    from patternfit.engine.assess import Assessment
    from patternfit.model.catalog import Model, Question
    from patternfit.model.connection import Connection

SUB = "sub."
SAMPLES = 500  # robustness samples per re-assessment: enough for the state, quick between answers


class _Choice:
    """The answers beside the catalog's values."""

    UNSURE = "\0unsure"
    SKIP = "\0skip"
    STOP = "\0stop"


def register(commands: Any) -> None:
    """Add the `ask` subcommand."""
    p = commands.add_parser(
        "ask", help="answer the questions in a terminal, the one that matters most first; writes a connection file"
    )
    p.add_argument(
        "file", type=Path, nargs="?", default=None, help="connection file to write (default: NAME.yaml here)"
    )
    p.add_argument("--force", action="store_true", help="replace FILE if it already exists")
    p.add_argument(
        "--from", dest="start", type=Path, default=None, metavar="EXISTING", help="start from this connection's answers"
    )
    p.set_defaults(run=_ask)


@dataclass
class Answers:
    """What the user has said so far (mutable while asking; `connection` makes it a Connection)."""

    name: str = ""
    source: str = ""
    target: str = ""
    description: str = ""
    characteristics: dict[str, Any] = field(default_factory=dict)
    sub: dict[str, Any] = field(default_factory=dict)
    unsure: list[str] = field(default_factory=list)
    asked: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, connection: Connection) -> Answers:
        return cls(
            name=connection.name,
            source=connection.source,
            target=connection.target,
            description=connection.description,
            characteristics=dict(connection.characteristics),
            sub=dict(connection.sub),
            unsure=list(connection.unsure),
        )

    def to_dict(self) -> dict[str, Any]:
        """The connection-file mapping (DESIGN.md), only the parts that are set."""
        out: dict[str, Any] = {"name": self.name}
        for key in ("description", "source", "target"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        out["characteristics"] = dict(self.characteristics)
        if self.sub:
            out["sub"] = dict(self.sub)
        if self.unsure:
            out["unsure"] = list(self.unsure)
        return out

    def set(self, key: str, value: Any, *, unsure: bool) -> None:
        section = self.sub if key.startswith(SUB) else self.characteristics
        section[key.removeprefix(SUB)] = value
        if unsure and key not in self.unsure:
            self.unsure.append(key)
        if not unsure and key in self.unsure:
            self.unsure.remove(key)


def _ask(args: argparse.Namespace) -> int:
    from patternfit.model.catalog import load_model
    from patternfit.model.connection import Connection, load_connection

    target = _check_target(args.file, args.force)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InputError(
            "patternfit ask",
            "needs a terminal to ask its questions (standard input or output is not one)",
            "run it in a terminal, or write the connection file by hand and run `patternfit assess FILE`",
        )
    model = load_model()
    start = load_connection(args.start, model) if args.start is not None else Connection(name="")
    answers = Answers.of(start)
    try:
        _introduce(answers)
        assessment = _questionnaire(answers, model)
        connection = _connection(answers, model)
        written = _write(target, answers, connection, force=args.force)
    except (KeyboardInterrupt, EOFError):
        sys.stderr.write("patternfit: stopped; nothing was written\n")
        raise KeyboardInterrupt from None
    print(f"Wrote {written}")
    print(f"Recommendation: {_headline(assessment, model)}")
    return 0


def _check_target(path: Path | None, force: bool) -> Path | None:
    """FILE as given, refused at once if it exists and --force is not given (or is a folder)."""
    if path is None:
        return None
    from patternfit.io.files import check_path

    check_path(path, "choose another file name")
    if path.is_dir():
        raise InputError(str(path), "is a folder", "give a file name, e.g. connection.yaml")
    if (path.exists() or path.is_symlink()) and not force:
        raise InputError(str(path), "already exists", "pass --force to replace it, or give another file name")
    if not path.parent.is_dir():
        raise InputError(str(path), f"its folder {path.parent} does not exist", "create the folder first")
    return path


def _introduce(answers: Answers) -> None:
    import questionary

    print("Describe the connection briefly; then answer the questions, most telling first.")
    print("Each question offers “Not sure” and “Don't know”; “Stop here and save” ends it at any time.\n")
    answers.name = (
        questionary.text(
            "Name of the connection:",
            default=answers.name,
            validate=lambda text: bool(text.strip()) or "give it a name",
        )
        .unsafe_ask()
        .strip()
    )
    answers.source = questionary.text("Sending system (optional):", default=answers.source).unsafe_ask().strip()
    answers.target = questionary.text("Receiving system (optional):", default=answers.target).unsafe_ask().strip()


def _questionnaire(answers: Answers, model: Model) -> Assessment:
    """Ask until settled, out of questions, or stopped; the last assessment. Out of questions
    while open, it offers to revisit the answers marked unsure; it always ends saying the truth:
    settled, or open with what would change it."""
    assessment = _assess(answers, model)
    _show(assessment, model)
    revisit: list[str] | None = None  # the unsure answers to ask again, once the user agrees
    while True:
        if assessment.state == "settled":
            print("Settled: no combination of the remaining answers can change the recommendation.")
            return assessment
        key = next((item["key"] for item in assessment.ask_next if item["key"] not in answers.asked), None)
        if key is None:
            if revisit is None:
                revisit = _offer_revisit(assessment, model)
            unsure = set(assessment.connection.unsure)
            key = next((k for k in revisit if k in unsure), None)
            if key is None:
                _end_open(assessment, model)
                return assessment
            revisit.remove(key)
        answers.asked.add(key)
        if not _ask_one(key, answers, model, assessment):
            _end_open(assessment, model)
            return assessment
        assessment = _assess(answers, model)
        _show(assessment, model)


def _offer_revisit(assessment: Assessment, model: Model) -> list[str]:
    """Answers marked unsure, to ask again if the user agrees (empty otherwise)."""
    unsure = list(assessment.connection.unsure)
    if not unsure:
        return []
    import questionary

    labels = ", ".join(_question(model, k).label for k in unsure)
    print(f"\nNo new question is left to ask; {len(unsure)} answer(s) are marked unsure: {labels}.")
    agreed = questionary.confirm("Revisit the answers marked unsure?", default=True).unsafe_ask()
    return unsure if agreed else []


def _end_open(assessment: Assessment, model: Model) -> None:
    """The last words when the questions stop before settled: what would still change it."""
    if assessment.state == "conflict":
        print("Conflict: the answers contradict each other; resolve it before deciding (see above).")
        return
    if assessment.state != "open":
        return
    print("Open: the recommendation is not settled.")
    if assessment.flips:
        print("It would change:")
        for flip in assessment.flips:
            print(f"  * {flip['text']}")
    elif assessment.tie:
        print("The best patterns tie; no answer left separates them.")


def _question(model: Model, key: str) -> Question:
    return model.question(key.removeprefix(SUB))


def _ask_one(key: str, answers: Answers, model: Model, assessment: Assessment) -> bool:
    """Ask one question and record the answer; False when the user stops."""
    import questionary

    question = _question(model, key)
    print()
    if question.help:
        print(question.help)
    changes = _changes(assessment, key, question, model)
    if changes:
        print(f"Could change the result: {changes}")
    elif any(item["key"] == key for item in assessment.ask_next):
        print("No answer to it changes the result alone; it can together with others.")
    current = (answers.sub if key.startswith(SUB) else answers.characteristics).get(key.removeprefix(SUB))
    choices = [
        questionary.Choice(question.value_label(value), value=value, description=_description(question, value))
        for value in _values(question)
    ]
    default = next((c for c in choices if current is not None and c.value == _bucket_value(question, current)), None)
    choices += [
        questionary.Choice("Not sure — choose the likeliest answer next", value=_Choice.UNSURE),
        questionary.Choice("Don't know — leave it unanswered", value=_Choice.SKIP),
        questionary.Choice("Stop here and save", value=_Choice.STOP),
    ]
    picked = questionary.select(question.question, choices=choices, default=default).unsafe_ask()
    unsure = picked == _Choice.UNSURE
    if unsure:
        answers_only = [c for c in choices if not str(c.value).startswith("\0")]
        likeliest = [questionary.Choice(c.title, value=c.value, description=c.description) for c in answers_only]
        start = next((c for c in likeliest if default is not None and c.value == default.value), None)
        picked = questionary.select(
            "The likeliest answer (it will be marked not sure):", choices=likeliest, default=start
        ).unsafe_ask()
    if picked == _Choice.STOP:
        return False
    if picked == _Choice.SKIP:
        return True
    answers.set(key, _exact(question, picked), unsure=unsure)
    return True


def _values(question: Question) -> tuple[Any, ...]:
    """The allowed answers in catalog order (booleans: yes first); integers by bucket."""
    if question.scale.type == "boolean":
        return (True, False)
    return question.scale.values


def _bucket_value(question: Question, value: Any) -> Any:
    if question.scale.type == "integer":
        return question.scale.values[question.scale.level_of(value)]
    return value


def _description(question: Question, value: Any) -> str | None:
    """The catalog's example for an answer and what it is not, shown when the answer is highlighted."""
    parts = [text for text in ((question.examples or {}).get(value), (question.not_meant or {}).get(value)) if text]
    return "  ".join(parts) or None


def _bounds(question: Question, bucket: str) -> tuple[int, int | None]:
    """The smallest and largest number in an integer bucket (None: no upper end)."""
    scale = question.scale
    level = scale.values.index(bucket)
    low = (scale.minimum or 0) if level == 0 else int(scale.bucket_max[level - 1] or 0) + 1
    return low, scale.bucket_max[level]


def _exact(question: Question, picked: Any) -> Any:
    """The answer to store: for an integer bucket spanning several numbers, ask which one."""
    if question.scale.type != "integer":
        return picked
    import questionary

    low, high = _bounds(question, str(picked))
    if high == low:
        return low

    def valid(text: str) -> bool | str:
        ok = text.strip().isdigit() and int(text) >= low and (high is None or int(text) <= high)
        return True if ok else f"a whole number from {low}" + (f" to {high}" if high is not None else " up")

    text = questionary.text(f"{question.label}: how many exactly?", default=str(low), validate=valid).unsafe_ask()
    return int(text.strip())


def _changes(assessment: Assessment, key: str, question: Question, model: Model) -> str:
    """The answers that would change the winner, as the catalog words them (from `ask_next`)."""
    for item in assessment.ask_next:
        if item["key"] == key:
            return ", ".join(_change_text(change, question, model) for change in item["changes"])
    return ""


def _change_text(change: Mapping[str, Any], question: Question, model: Model) -> str:
    """'Yes → Workflow orchestration': an answer and the winner (or coordination style) it gives."""
    label = question.value_label(change["value"])
    winner = change.get("recommended")
    if winner in model.pattern_keys:
        return f"{label} → {model.pattern(winner).label}"
    style = model.coordination.styles.get(str(change.get("coordination")))
    return f"{label} → {style.get('label', '')}" if style else label


def _assess(answers: Answers, model: Model) -> Assessment:
    from patternfit.engine.assess import assess_connection

    return assess_connection(_connection(answers, model), samples=SAMPLES, seed=0, model=model)


def _connection(answers: Answers, model: Model) -> Connection:
    from patternfit.model.connection import parse_connection

    return parse_connection(answers.to_dict(), model, where="patternfit ask")


def _headline(assessment: Assessment, model: Model) -> str:
    """The state in the engine's words (wording from data/policy.yaml), with the fit."""
    from patternfit.engine.explain import headline, recommendation

    pattern = assessment.recommended
    fit = assessment.scores.get(pattern) if pattern else None
    fit_text = "" if fit is None else f" (fit {fit:+.2f})"
    if assessment.state == "conflict" and pattern:
        return f"{headline(assessment, model)}; best left for now: {recommendation(assessment, model)}{fit_text}"
    return headline(assessment, model) + fit_text


def _show(assessment: Assessment, model: Model) -> None:
    print(f"\n→ {_headline(assessment, model)}")
    for item in assessment.conflict[:2]:
        print(f"  To resolve: {item['message']} {item.get('fix') or ''}".rstrip())


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80] or "connection"


def _write(target: Path | None, answers: Answers, connection: Connection, *, force: bool) -> Path:
    """Write the connection file all at once; never replace a file unless --force was given."""
    import yaml

    from patternfit.io.files import publish_new, write_atomic

    text = "# written by patternfit ask\n" + yaml.safe_dump(
        answers.to_dict(), sort_keys=False, allow_unicode=True, width=100
    )
    if target is not None and force:
        return write_atomic(target, text)
    for path in _candidates(target, connection.name):
        if publish_new(path, text):
            return path
    assert target is not None  # _candidates never runs out without a target
    raise InputError(str(target), "was created while the questions were asked", "pass --force to replace it")


def _candidates(target: Path | None, name: str) -> Iterable[Path]:
    if target is not None:
        yield target
        return
    slug = _slug(name)
    yield Path(f"{slug}.yaml")
    number = 2
    while True:
        yield Path(f"{slug}-{number}.yaml")
        number += 1
