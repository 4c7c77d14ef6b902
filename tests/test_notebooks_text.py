"""The tutorial notebooks as a reader meets them: papers cited by author and year with a reference
list (never by an internal file name such as "seed 003"), stored without outputs, a parameters
cell, and a last code cell that asserts something."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 6, NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_papers_are_cited_by_author_and_year(path):
    text = "\n".join(_source(c) for c in _cells(path))
    found = re.findall(r"seed[ _-]?0\d\d", text, flags=re.IGNORECASE)
    assert not found, f"{path.name}: papers named by file ('{found[0]}'); cite author and year"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_ends_with_a_reference_list(path):
    markdown = [_source(c) for c in _cells(path) if c["cell_type"] == "markdown"]
    refs = [m for m in markdown if re.search(r"^#+\s*References\s*$", m, flags=re.MULTILINE)]
    assert refs, f"{path.name}: no markdown cell with a '## References' heading"
    # every entry: authors, a title, a venue and a year
    # a bullet starts a line with "- " or "* "; indented lines below it continue that entry
    entries: list[str] = []
    for line in refs[-1].splitlines():
        if line.startswith(("- ", "* ")):
            entries.append(line)
        elif entries and line.startswith(" ") and line.strip():
            entries[-1] += " " + line.strip()
    assert entries, f"{path.name}: the references section lists nothing"
    for entry in entries:
        assert re.search(r"(19|20)\d\d", entry), f"{path.name}: no year in {entry!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs_and_with_parameters(path):
    cells = _cells(path)
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), path.name
    assert "parameters" in code[0].get("metadata", {}).get("tags", []), path.name
    assert "assert " in _source(code[-1]), f"{path.name}: the last code cell asserts nothing"


DATA = sorted((Path(__file__).resolve().parents[1] / "notebooks" / "data").glob("*_full_size.json"))


@pytest.mark.parametrize("path", DATA, ids=lambda p: p.stem)
def test_full_size_records_carry_their_provenance(path):
    record = json.loads(path.read_text(encoding="utf-8"))
    number = path.name[:2]
    notebook = [p for p in NOTEBOOKS if p.name.startswith(number)]
    assert notebook and record["notebook"] == notebook[0].stem, record.get("notebook")
    provenance = record["provenance"]
    for key in ("source", "commit", "machine", "date", "run_time_s", "sizes"):
        assert provenance.get(key) not in (None, ""), f"{path.name}: provenance lacks {key}"
    # the notebook loads its record (and so shows it beside its live result)
    text = "".join(_source(c) for c in _cells(notebook[0]))
    assert path.name in text, f"{notebook[0].name} does not load {path.name}"
