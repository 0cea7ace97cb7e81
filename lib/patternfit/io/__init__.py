"""Reading and writing files safely: one guarded reading layer for every format and surface.

Reading (CLI, dashboards' uploads, importers — use these, never `open`/`read_bytes` on a user's path):

* `io.reading.read_bytes(path, where=..., what=..., limit=...)` / `read_text(...)`: regular files
  only (no device, FIFO or folder), at most `limit` bytes, the size read rather than trusted;
  `decode(raw, where)` for an upload's bytes (UTF-8, BOM dropped; binary and UTF-16 named).
* `io.reading.safe_path_under(root, path)`: `path` resolved (links followed) if it lies inside
  the folder the user named; every file an importer opens in a folder goes through it.
* `io.yamlio.load_yaml(text, where=...)`, `parse_all(text, where)`, `load_json(text, where=...)`,
  `load(path, what=...)`: safe YAML (libyaml's parser, composed with guards) and strict JSON under
  one budget — depth, aliases, the size aliases expand to, duplicate keys (with key and line),
  integers of at most 30 digits. Every refusal is an `InputError` naming file, what and fix.

Writing: `io.files` (atomic writes, exclusive creation, plain names). Output: `io.bidi.isolate_bidi`
(the `finalize` of every HTML template environment).
"""
