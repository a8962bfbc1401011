"""site_config/sources.yml and sources/, hostile: an impossible capture date
(it was an internal error), a `file:` outside sources/, unknown keys (they were
ignored), a dump listed twice, a dump in sources/ that is not listed (it was
silently left out), aliases.  A bad entry refuses that dump only, with its
line (exit 1); a file that is no list of dumps cannot be used at all (exit 2).
Every command runs under the guard of conftest.run_guarded (60 s, 512 MiB)."""

from __future__ import annotations

import pytest

from conftest import make_project, run_guarded

ABSTRACT = "An abstract that is long enough to count as one, about sparse attention kernels."
GOOD = f"A Good Paper Title\n{ABSTRACT}\n"
OTHER = f"Another Paper Title\n{ABSTRACT} It has more.\n"


def ingest(tmp_path, manifest: str, dumps: dict[str, str] | None = None):
    root = make_project(tmp_path / "proj", dumps=dumps or {"good.txt": GOOD, "other.txt": OTHER}, manifest=manifest)
    return root, run_guarded(root, "ingest")


# manifest -> the error line; every case also lists good.txt, which is ingested.
ENTRY_CASES = {
    "impossible-date": ("  - file: other.txt\n    captured: 2026-13-45\n",
                        "error: site_config/sources.yml:4: `captured: 2026-13-45` is not a date, so other.txt was not "
                        "ingested (write the day the listing was copied, like 2025-12-03)"),
    "not-a-date": ("  - file: other.txt\n    captured: last tuesday\n",
                   "error: site_config/sources.yml:4: `captured: last tuesday` is not a date, so other.txt was not "
                   "ingested"),
    "dotdot": ("  - file: ../../etc/passwd\n",
               "error: site_config/sources.yml:3: `file: ../../etc/passwd` is outside sources/, so ../../etc/passwd "
               "was not ingested (put the dump in sources/ and name it here as it is named there)"),
    "absolute": ("  - file: /etc/passwd\n",
                 "error: site_config/sources.yml:3: `file: /etc/passwd` is outside sources/, so /etc/passwd was not "
                 "ingested"),
    "unknown-key": ("  - file: other.txt\n    capturd: 2025-12-03\n",
                    "error: site_config/sources.yml:4: unknown key `capturd:`, so other.txt was not ingested (a dump "
                    "has `file:`, `captured:` and `format:`)"),
    "no-file": ("  - captured: 2025-12-03\n",
                "error: site_config/sources.yml:3: this dump has no `file:` name, so it was not ingested (add "
                "`file: NAME`, a file in sources/)"),
    "unknown-format": ("  - file: other.txt\n    format: tweets\n",
                       "error: site_config/sources.yml:3: `format: tweets` is not a format ingest reads (org-listing, "
                       "daily-papers, line-pairs, blank-pairs), so other.txt was not ingested"),
    "listed-twice": ("  - file: other.txt\n  - file: ./other.txt\n",
                     "error: site_config/sources.yml:4: ./other.txt is listed a second time (first on line 3), so this "
                     "entry was ignored (delete one of the two)"),
}


@pytest.mark.parametrize("case", sorted(ENTRY_CASES))
def test_a_bad_entry_refuses_that_dump_only(tmp_path, case):
    entry, message = ENTRY_CASES[case]
    root, result = ingest(tmp_path, "dumps:\n  - file: good.txt\n" + entry)
    assert result.returncode == 1, result.stderr
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    expected = 2 if case == "listed-twice" else 1
    assert len(list((root / "content" / "papers").glob("*.md"))) == expected


def test_a_symlink_in_sources_out_of_it_is_refused(tmp_path):
    root = make_project(tmp_path / "proj", dumps={"good.txt": GOOD},
                        manifest="dumps:\n  - file: good.txt\n  - file: link.txt\n")
    (tmp_path / "elsewhere.txt").write_text(OTHER, encoding="utf-8")
    (root / "sources" / "link.txt").symlink_to(tmp_path / "elsewhere.txt")
    result = run_guarded(root, "ingest")
    assert result.returncode == 1
    assert "error: site_config/sources.yml:3: `file: link.txt` is a symlink to " in result.stderr


@pytest.mark.parametrize("manifest, code, message", [
    ("dumps:\n  - file: good.txt\nextras: 1\n", 2,
     "error: site_config/sources.yml:3: unknown key `extras:` (sources.yml holds one key, `dumps:`; see "
     "CONTRIBUTING.md, 'Adding a dump')\n"),
    ("dumps:\n  - file: good.txt\n    captured: &day 2025-12-03\n  - file: other.txt\n    captured: *day\n", 2,
     "error: site_config/sources.yml:5: uses the YAML alias `*day` (aliases and merge keys are not read: write the "
     "value out)\n"),
    ("dumps: good.txt\n", 2, "error: site_config/sources.yml:1: expected a `dumps:` list"),
    ("dumps:\n  - file: good.txt\n    captured: !!timestamp nope\n", 1,
     "error: site_config/sources.yml:3: `captured: nope` is not a date"),
])
def test_a_file_that_is_no_list_of_dumps_cannot_be_used(tmp_path, manifest, code, message):
    _, result = ingest(tmp_path, manifest)
    assert result.returncode == code, result.stderr
    assert message in result.stderr, result.stderr


def test_a_dump_in_sources_that_is_not_listed_is_named(tmp_path):
    root, result = ingest(tmp_path, "dumps:\n  - file: good.txt\n")
    assert result.returncode == 1, result.stderr
    assert result.stderr == ("error: sources/other.txt: is in sources/ but not listed in site_config/sources.yml, so "
                             "it was not ingested (list it there, with its `captured:` date, or move it out of "
                             "sources/)\n")
    # The answer a run over unchanged inputs replays says it too; a dot file is no dump.
    (root / "sources" / ".gitkeep").write_text("", encoding="utf-8")
    again = run_guarded(root, "ingest")
    assert again.returncode == 1 and again.stderr == result.stderr
    # Naming dumps on the command line is not about the others.
    assert run_guarded(root, "ingest", "sources/good.txt").returncode == 0
    (root / "sources" / "other.txt").unlink()
    assert run_guarded(root, "ingest").returncode == 0
