"""The estate page's state, apart from its widgets: the source read, the profile and column mapping
in force, the review, the table's filter, the connection chosen to open in decide, the progress and
what went wrong. Widgets set it through its methods and observe its traits (traitlets); the page's
HTML is drawn from it, never read back.

A bad upload (inventory, profile, mapping) is refused with one message in ``error`` naming the file;
what was in force before stays in force."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import traitlets as t
import yaml

from patternfit.apps.common.limits import INVENTORY_BYTES, SMALL_FILE_BYTES, too_large
from patternfit.apps.estate.filters import ALL_OWNERS, VIEWS
from patternfit.errors import InputError, PatternfitError
from patternfit.io.yamlio import decode, parse
from patternfit.model.catalog import Model, load_model
from patternfit.model.profile import apply_profile

if TYPE_CHECKING:  # the review's stack (pandas, the importers) loads at the first upload, not at page open
    import pandas as pd

    from patternfit.estate.review import EstateReview, Inventory

# where each stage of a review sits on the progress bar: (start, share)
STAGES = {"reading": (0.0, 0.3), "checking": (0.3, 0.1), "scoring": (0.4, 0.45), "charts": (0.85, 0.15)}


def example_inventory(model: Model) -> Path:
    """The example inventory shipped in data/examples/."""
    return model.directory / "examples" / "inventory.csv"


class EstateState(t.HasTraits):
    """What the estate page shows, as traits the widgets observe."""

    source = t.Unicode("")  # the file name of the inventory or model read
    review: Any = t.Any(None, allow_none=True)  # EstateReview | None
    profile: Any = t.Any(None, allow_none=True)  # the profile in force (as parsed), None: the reference model
    profile_info: Any = t.Any(None, allow_none=True)  # what apply_profile says of it (name, version, changes)
    profile_file = t.Unicode("")
    mapping: Any = t.Any(None, allow_none=True)  # a column mapping for spreadsheets with other headers
    mapping_file = t.Unicode("")
    view = t.Enum([key for _, key in VIEWS], default_value="mismatches")
    owner = t.Unicode(ALL_OWNERS)
    search = t.Unicode("")
    chosen = t.Unicode("")  # the connection chosen to open in the decide dashboard ("" none)
    progress = t.Float(-1.0)  # 0–1 while reading and reviewing, -1 when idle
    stage = t.Unicode("")
    error = t.Unicode("")

    def __init__(self, model: Model | None = None) -> None:
        super().__init__()
        self.model = model or load_model()
        self.inventory: Inventory | None = None  # the last inventory read (re-reviewed when the profile changes)
        self.upload: tuple[bytes, str] | None = None  # the last upload (read again when the mapping changes)

    # -- what the page asks ------------------------------------------------------------------

    def load_example(self) -> bool:
        """Review the example inventory of data/examples/."""
        path = example_inventory(self.model)
        return self.load_bytes(path.read_bytes(), path.name)

    def load_bytes(self, data: bytes, name: str) -> bool:
        """Read, check and review an uploaded inventory or architecture model."""
        self.error = ""
        source = Path(name).name or "inventory"
        self.upload = (bytes(data), source)

        def read_and_review() -> None:
            if len(data) > INVENTORY_BYTES:
                raise InputError(
                    source, too_large(len(data), INVENTORY_BYTES), "use `patternfit estate` on the command line"
                )
            from patternfit.estate.importers import read_source

            self.inventory = read_source(bytes(data), name=source, columns=self.mapping, model=self.model)
            self.source = source
            self._review()

        return self._attempt(read_and_review, self._forget)

    def load_profile_bytes(self, data: bytes, name: str) -> bool:
        """Put an uploaded profile in force and review again with it."""
        where = Path(name).name or "profile"
        self.error = ""
        try:
            profile = self._small_yaml(data, where, "profile", "a profile is a short YAML file")
            _, info = apply_profile(profile, self.model, where=where)
        except PatternfitError as exc:
            self.error = exc.message
            return False
        return self._use_profile(profile, info, where)

    def clear_profile(self) -> bool:
        """Go back to the reference model (and review again)."""
        self.error = ""
        return self._use_profile(None, None, "")

    def load_mapping_bytes(self, data: bytes, name: str) -> bool:
        """Use a column mapping (YAML: ``columns: {their header: our key}``, ``values: {...}``) and
        read the last upload again with it."""
        where = Path(name).name or "mapping"
        self.error = ""
        try:
            mapping = self._small_yaml(data, where, "column mapping", "a mapping is a short YAML file")
            if not isinstance(mapping, Mapping) or "columns" not in mapping:
                raise InputError(where, "is not a column mapping", "write `columns: {Their header: our key, …}`")
        except PatternfitError as exc:
            self.error = exc.message
            return False
        return self._use_mapping(dict(mapping), where)

    def clear_mapping(self) -> bool:
        """Read spreadsheets by our own column names again."""
        self.error = ""
        return self._use_mapping(None, "")

    def set_view(self, view: str, owner: str = ALL_OWNERS, search: str = "") -> None:
        """Choose what the findings table shows (as the dropdowns and the search box do)."""
        with self.hold_trait_notifications():
            self.view, self.owner, self.search = view, owner, search

    def choose(self, connection_id: str) -> None:
        """Choose the connection to open in the decide dashboard ("" none)."""
        self.chosen = connection_id

    def table_frame(self) -> pd.DataFrame:
        """The rows the findings table shows now (all of them: the page draws the first ROWS_SHOWN)."""
        import pandas as pd

        from patternfit.apps.estate.tables import filtered

        if self.review is None:
            return pd.DataFrame()
        return filtered(self.review, self.view, self.owner, self.search)

    def owners(self) -> list[str]:
        """The owners with at least one connection, in the review's order."""
        if self.review is None:
            return []
        import numpy as np

        owner = self.review.findings.owner
        counts = np.bincount(np.asarray(owner.codes), minlength=len(owner.categories))
        return [str(o) for o, k in zip(owner.categories, counts, strict=True) if k]

    def connection_file(self, connection_id: str) -> str:
        """The connection file (YAML) of one readable row, for the decide dashboard's upload."""
        if self.review is None:
            raise InputError("estate", "nothing is loaded yet", "upload an inventory first")
        connection = self.review.connection(connection_id)
        return yaml.safe_dump(connection.to_dict(), sort_keys=False, allow_unicode=True)

    def still_to_ask(self, connection_id: str) -> list[str]:
        """The labels of the questions the source left open for this connection."""
        result: EstateReview = self.review
        row = int(result.inventory.table.index[result.position(connection_id)])
        keys = (getattr(result.inventory, "questions", None) or {}).get(row, ())
        labels = []
        for key in keys:
            try:
                labels.append(self.model.question(str(key)).label)
            except KeyError:
                continue
        return labels

    # -- how ----------------------------------------------------------------------------------

    def _small_yaml(self, data: bytes, where: str, what: str, hint: str) -> Any:
        if len(data) > SMALL_FILE_BYTES:
            raise InputError(where, too_large(len(data), SMALL_FILE_BYTES), hint)
        return parse(decode(bytes(data), where, what=what), where)

    def _use_profile(self, profile: Any, info: Any, where: str) -> bool:
        """Put a profile in force and review the inventory again; on failure the previous one stays."""
        kept = (self.profile, self.profile_info, self.profile_file)

        def restore() -> None:
            self.profile, self.profile_info, self.profile_file = kept

        self.profile, self.profile_info, self.profile_file = profile, info, where
        if self.inventory is None:
            return True
        return self._attempt(self._review, restore)

    def _use_mapping(self, mapping: dict[str, Any] | None, where: str) -> bool:
        """Use a mapping and read the last upload again; on failure the previous one stays."""
        kept = (self.mapping, self.mapping_file)

        def restore() -> None:
            self.mapping, self.mapping_file = kept

        self.mapping, self.mapping_file = mapping, where
        if self.inventory is None or self.upload is None:
            return True
        data, name = self.upload

        def again() -> None:
            from patternfit.estate.importers import read_source

            self.inventory = read_source(data, name=name, columns=self.mapping, model=self.model)
            self._review()

        return self._attempt(again, restore)

    def _review(self) -> None:
        from patternfit.estate.review import review

        assert self.inventory is not None
        result = review(self.inventory, model=self.model, profile=self.profile, progress=self._progress)
        self._progress(0.0, "charts")
        with self.hold_trait_notifications():
            self.owner, self.chosen = ALL_OWNERS, ""
        self.review = result

    def _forget(self) -> None:
        self.inventory = None
        self.review = None

    def _attempt(self, work: Callable[[], None], undo: Callable[[], None]) -> bool:
        """Run `work`; bad input calls `undo` and leaves its one-line message in ``error``. Anything
        else is a bug: undone too, and raised for the page's guard to report."""
        self._progress(0.05, "reading")
        try:
            work()
            return True
        except PatternfitError as exc:
            undo()
            self.error = exc.message
        except Exception:
            undo()
            raise
        finally:
            self.progress, self.stage = -1.0, ""
        return False

    def _progress(self, fraction: float | None, stage: str) -> None:
        """The review's progress callback: the share of the whole job done so far."""
        start, width = STAGES.get(stage, (0.0, 1.0))
        self.stage = stage
        self.progress = min(1.0, start + width * (fraction or 0.0))
