"""The repository stands on its own: no file points outside it, and every citation resolves.

A clone is all a reader has. So no tracked file may name notes that are not in it (the research
notes the project started from: their facts, known problems and design files, and the folder
beside the repository that held them) or an absolute path of one machine (a home or work
folder), and what code comments cite instead — `ALLEGRO-API.md §9.3`, `ARCHITECTURE.md "Sync"`
— must name a section those pages have.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLEGRO_API = ROOT / "docs" / "ALLEGRO-API.md"
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"
THIS_FILE = str(Path(__file__).resolve().relative_to(ROOT))

#: Folders of a working copy that are not the repository's (when git cannot list its files).
_NOT_OURS = frozenset({".git", ".venv", "build", "dist", "__pycache__", ".mypy_cache",
                       ".ruff_cache", ".pytest_cache", ".import_linter_cache", "demo"})

#: The names of the outside notes, spelled in pieces so that this file does not name them.
_FACT_NOTES, _PROBLEM_NOTES, _DESIGN_NOTES = "FAC" + "TS", "KNOWN-PROB" + "LEMS", "DES" + "IGN"

#: What no file may name.
FORBIDDEN: dict[str, re.Pattern[str]] = {
    "the shared notes folder": re.compile(r"\.\.[/\\]" + "shared"),
    "the shared notes' facts": re.compile(rf"\b{_FACT_NOTES}\.md\b|\b{_FACT_NOTES} §"),
    "the shared notes' known problems": re.compile(_PROBLEM_NOTES),
    "the shared design": re.compile(rf"\b{_DESIGN_NOTES}\.md\b"),
    "an absolute path of one machine": re.compile(
        "(?<![\\w.~])(?:/" + "work/|/" + "root/|/" + "home/[^/\\s]+/|/" + "Users/[^/\\s]+/"
        + "|[A-Za-z]:\\\\" + "Users\\\\)"),
}


def _tracked_files() -> list[Path]:
    """The files of the repository: git's list, or the tree without tool and build folders."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                                check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return [path for path in ROOT.rglob("*") if path.is_file()
                and not _NOT_OURS & set(path.relative_to(ROOT).parts)
                and not any(part.endswith(".egg-info") for part in path.parts)]
    return [ROOT / name for name in listed.decode().split("\0") if name]


def _texts() -> Iterator[tuple[str, str]]:
    """(name, text) of every file of the repository."""
    for path in _tracked_files():
        if path.is_file():  # a tracked file deleted in the working copy is not there to read
            yield (str(path.relative_to(ROOT)),
                   path.read_bytes().decode("utf-8", errors="replace"))


def test_no_file_names_what_a_clone_does_not_have() -> None:
    offenders = [f"{name}:{text.count(chr(10), 0, match.start()) + 1}: {what} "
                 f"({match.group(0)!r})"
                 for name, text in _texts()
                 for what, pattern in FORBIDDEN.items()
                 for match in pattern.finditer(text)]
    assert offenders == [], "\n".join(offenders)


def test_the_forbidden_patterns_catch_what_they_are_for() -> None:
    samples = {
        "the shared notes folder": "see " + "../" + "shared/DESIGN",
        "the shared notes' facts": f"({_FACT_NOTES}.md §4.3)",
        "the shared notes' known problems": f"{_PROBLEM_NOTES} §14",
        "the shared design": f"{_DESIGN_NOTES}.md §7",
        "an absolute path of one machine": 'Path("/' + 'work/shared/spec.yaml")',
    }
    for what, sample in samples.items():
        assert FORBIDDEN[what].search(sample), what
    harmless_texts = ("/tmp/demo", "~/.local/share", "docs/ARCHITECTURE.md",
                      "https://x/wo" + "rk/y")
    for harmless in harmless_texts:
        assert not any(p.search(harmless) for p in FORBIDDEN.values()), harmless


# -- citations ----------------------------------------------------------------------------------

_SECTION = r"§\d+(?:\.\d+)?"
#: `ALLEGRO-API.md` and what follows it: sections, ranges, items, issue tags (across a line
#: break and a comment's `#`).
_ALLEGRO_API_CITATION = re.compile(
    r"ALLEGRO-API\.md((?:[\s#:,;]*(?:and\b|item \d+|\[#\d+\]|" + _SECTION + "(?:-" + _SECTION
    + ")?))*)")
_ARCHITECTURE_CITATION = re.compile(r'ARCHITECTURE\.md[\s#:,]*((?:"[^"]+"[\s#,]*)+)')


def _one_line(text: str) -> str:
    """Line breaks (and the comment or docstring indentation after them) as single spaces."""
    return re.sub(r"\s*\n[ \t]*(?:#:? ?)?", " ", text)


def _allegro_api_sections() -> set[str]:
    found = re.findall(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", ALLEGRO_API.read_text(encoding="utf-8"),
                       flags=re.MULTILINE)
    return set(found)


def _architecture_sections() -> set[str]:
    return set(re.findall(r"^## (.+?)\s*$", ARCHITECTURE.read_text(encoding="utf-8"),
                          flags=re.MULTILINE))


def test_every_allegro_api_citation_names_a_section_it_has() -> None:
    sections = _allegro_api_sections()
    assert {"0.1", "9.3", "16"} <= sections  # the headings are read as they are written
    cited = 0
    offenders = []
    for name, text in _texts():
        if name in ("docs/ALLEGRO-API.md", THIS_FILE):
            continue  # the page links its own sections by anchor; this file quotes patterns
        for match in _ALLEGRO_API_CITATION.finditer(_one_line(text)):
            for number in re.findall(r"§(\d+(?:\.\d+)?)", match.group(1)):
                cited += 1
                if number not in sections:
                    offenders.append(f"{name}: ALLEGRO-API.md §{number}")
    assert cited > 100  # the pattern still finds the code's citations
    assert offenders == [], "\n".join(offenders)


def test_every_architecture_citation_names_a_section_it_has() -> None:
    sections = _architecture_sections()
    assert {"Layers", "Sync", "Conventions"} <= sections
    cited = 0
    offenders = []
    for name, text in _texts():
        if name == THIS_FILE:
            continue
        for match in _ARCHITECTURE_CITATION.finditer(_one_line(text)):
            for title in re.findall(r'"([^"]+)"', match.group(1)):
                cited += 1
                if title not in sections:
                    offenders.append(f'{name}: ARCHITECTURE.md "{title}"')
    assert cited > 30
    assert offenders == [], "\n".join(offenders)
