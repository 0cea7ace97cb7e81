"""Decision records (MADR 4.0): build, render, save, reopen, supersede, and the decision log.

The public surface of the records feature; the work is done in the modules of this package.
"""

from __future__ import annotations

from patternfit.records.build import build_record, default_title
from patternfit.records.check import check_madr
from patternfit.records.load import (
    check_model_version,
    decision_log,
    duplicate_numbers,
    is_record_file,
    load_record,
    reassessment_notice,
    reopen_options,
)
from patternfit.records.render import FORMATS, record_data, render_record
from patternfit.records.store import DEFAULT_FOLDER, next_number, save_record, supersede
from patternfit.records.text import slugify
from patternfit.records.types import (
    DecisionRecord,
    Link,
    LoadedRecord,
    LogEntry,
    Option,
    RecordMeta,
    check_date,
    check_status,
)

__all__ = [
    "DEFAULT_FOLDER",
    "FORMATS",
    "DecisionRecord",
    "Link",
    "LoadedRecord",
    "LogEntry",
    "Option",
    "RecordMeta",
    "build_record",
    "check_date",
    "check_madr",
    "check_model_version",
    "check_status",
    "decision_log",
    "default_title",
    "duplicate_numbers",
    "is_record_file",
    "load_record",
    "next_number",
    "reassessment_notice",
    "record_data",
    "render_record",
    "reopen_options",
    "save_record",
    "slugify",
    "supersede",
]
