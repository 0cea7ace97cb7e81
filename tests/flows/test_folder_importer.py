"""patternfit.flows.importers.folder: walking a catalog folder safely, and reading front matter."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from patternfit.errors import InputError
from patternfit.flows.importers.folder import front_matter, inside, walk


def test_walk_reads_only_the_named_files_in_a_stable_order(tmp_path: Path):
    """Files with the wanted name are read in sorted order; hidden folders, skipped ones and links are passed over."""
    for rel in ("b/index.md", "a/index.md", ".git/index.md", "node_modules/x/index.md", "skip/index.md", "a/other.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    outside = tmp_path.parent / "outside.md"
    outside.write_text("secret")
    (tmp_path / "d").mkdir()
    os.symlink(outside, tmp_path / "d" / "index.md")
    found = [(p.relative_to(tmp_path).as_posix(), text) for p, text in walk(tmp_path, ("index.md",), skip=("skip",))]
    assert found == [("a/index.md", "a/index.md"), ("b/index.md", "b/index.md")]


def test_inside_follows_links(tmp_path: Path):
    """A link pointing out of the root is outside it, whatever its own path says."""
    (tmp_path / "root").mkdir()
    os.symlink(tmp_path, tmp_path / "root" / "up")
    assert inside(tmp_path / "root", tmp_path / "root" / "file.md")
    assert not inside(tmp_path / "root", tmp_path / "root" / "up" / "x.md")


def test_front_matter_is_the_yaml_between_the_dashes():
    """Front matter is read as a mapping; text without it gives {}."""
    assert front_matter("---\nid: checkout\nversion: 1\n---\n# Body\n", "f.md") == {"id": "checkout", "version": 1}
    assert front_matter("# No front matter\n", "f.md") == {}


@pytest.mark.parametrize(
    ("text", "what"),
    [("---\nid: x\n# never closed\n", "front matter is not closed"), ("---\n- a\n- b\n---\n", "is not a mapping")],
)
def test_bad_front_matter_names_the_file_and_the_fix(text: str, what: str):
    """Unclosed or non-mapping front matter is an InputError naming the file."""
    with pytest.raises(InputError) as raised:
        front_matter(text, "flows/checkout/index.mdx")
    assert raised.value.where == "flows/checkout/index.mdx" and what in raised.value.what


def test_walk_refuses_a_file_for_a_folder(tmp_path: Path):
    """Given a file instead of the catalog folder, walk says so before reading anything."""
    (tmp_path / "f").write_text("")
    with pytest.raises(InputError, match="is not a folder"):
        list(walk(tmp_path / "f", ("index.md",)))
