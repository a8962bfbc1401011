"""Shared fixtures.  Tests never read ../shared: everything comes from the repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_GOLDEN = os.environ.get("READINGLIST_UPDATE_GOLDEN") == "1"
# tests/enrich/enrich_fakes.py: imported by the enrich tests and loaded as their plugin (pytest_plugins),
# its asserts rewritten from the first import on.
pytest.register_assert_rewrite("enrich_fakes")


def make_project(root: Path, dumps: dict[str, str | bytes] | None = None,
                 manifest: str | None = None, copy_sources: bool = False, copy_pages: bool = False) -> Path:
    """A throwaway readinglist checkout: the repo's config, the given dumps, no pages
    (or, with copy_pages, the repo's committed pages)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "site_config", root / "site_config",
                    ignore=shutil.ignore_patterns("__pycache__"))
    if copy_pages:
        shutil.copytree(REPO / "content" / "papers", root / "content" / "papers",
                        ignore=shutil.ignore_patterns(".*"))
        # The pages' committed record of who filed them (filings.py) travels with them.
        shutil.copy(REPO / "content" / ".filed-by-rules.yml", root / "content" / ".filed-by-rules.yml")
    else:
        (root / "content" / "papers").mkdir(parents=True)
    sources = root / "sources"
    if copy_sources:
        shutil.copytree(REPO / "sources", sources)
    else:
        sources.mkdir()
    for name, data in (dumps or {}).items():
        target = sources / name
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    if manifest is not None:
        (root / "site_config" / "sources.yml").write_text(manifest, encoding="utf-8")
    elif dumps is not None:
        entries = "".join(f"  - file: {name}\n" for name in dumps)
        (root / "site_config" / "sources.yml").write_text(f"dumps:\n{entries}", encoding="utf-8")
    return root


def run_cli(root: Path, *args: str, input: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `readinglist` as a user would, in `root` (with `env` added to the environment)."""
    return subprocess.run([sys.executable, "-m", "readinglist", *args], cwd=root,
                          capture_output=True, text=True, input=input, timeout=600,
                          env={**os.environ, **env} if env else None)


# The guard every hostile test runs under: a hang guard and a memory guard, not a
# speed test.  A command that waits forever (a named pipe) or reads without end
# (/dev/zero) fails the test instead of the machine.
GUARD_SECONDS = 60
GUARD_ADDRESS_SPACE = 512 * 1024 * 1024

# Faults the operating system raises, injected into the child (as root, as tests
# often run in containers, permissions stop nothing): each is Python run before
# the command, given the path it is about.
FAULTS = {
    # Every file written gets "No space left on device", as on a full disk: files
    # made by tempfile.mkstemp (atomic writes) and by open() for writing (build products).
    "disk-full": """
import builtins, io, os, tempfile
def _onto_full(fd):
    full = os.open("/dev/full", os.O_WRONLY)
    os.dup2(full, fd)
    os.close(full)
_mkstemp = tempfile.mkstemp
def _full(*args, **kwargs):
    fd, name = _mkstemp(*args, **kwargs)
    _onto_full(fd)
    return fd, name
tempfile.mkstemp = _full
_open = builtins.open
def _open_full(file, mode="r", *args, **kwargs):
    handle = _open(file, mode, *args, **kwargs)
    if not isinstance(file, int) and any(c in mode for c in "wx") and not str(file).endswith(".lock"):
        _onto_full(handle.fileno())
    return handle
builtins.open = io.open = _open_full
""",
    # No file can be created in the folder TARGET, as in a read-only folder.
    "read-only": """
import errno, os, tempfile
_mkstemp = tempfile.mkstemp
def _refuse(*args, dir=None, **kwargs):
    if dir is not None and os.path.realpath(dir).startswith(os.path.realpath(TARGET)):
        raise PermissionError(errno.EACCES, "Permission denied", os.path.join(dir, "tmp"))
    return _mkstemp(*args, dir=dir, **kwargs)
tempfile.mkstemp = _refuse
""",
    # The file TARGET cannot be opened for reading, as with mode 000.
    "unreadable": """
import errno, os
_open = os.open
def _refuse(path, flags, *args, **kwargs):
    if os.path.realpath(path) == os.path.realpath(TARGET) and not flags & (os.O_WRONLY | os.O_RDWR):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))
    return _open(path, flags, *args, **kwargs)
os.open = _refuse
""",
}


def run_guarded(root: Path, *args: str, fault: str | None = None, target: Path | str | None = None,
                input: str | None = None) -> subprocess.CompletedProcess:
    """Run `readinglist *args` in `root` under the guard, optionally with a FAULTS entry about `target`.

    A command still running after GUARD_SECONDS fails the test; one that needs
    more than GUARD_ADDRESS_SPACE ends with MemoryError (exit 3), which the
    tests then refuse.
    """
    return run_guarded_code(root, (f"TARGET = {str(target)!r}\n" + FAULTS[fault] if fault else "")
                            + "\nimport sys\nfrom readinglist.cli import main\nsys.exit(main(sys.argv[1:]))\n",
                            *args, input=input, what=f"`readinglist {' '.join(args)}`")


def run_guarded_code(root: Path, code: str, *args: str, input: str | None = None,
                     what: str = "the guarded code") -> subprocess.CompletedProcess:
    """Run Python `code` (with `args` as sys.argv[1:]) in `root`, under the guard."""
    # The limit is set first thing in the child (not in a preexec_fn, which is unsafe in a threaded parent).
    code = (f"import resource\nresource.setrlimit(resource.RLIMIT_AS, ({GUARD_ADDRESS_SPACE}, {GUARD_ADDRESS_SPACE}))\n"
            + code)
    # One BLAS thread: address space must not grow with the number of CPUs.
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    try:
        return subprocess.run([sys.executable, "-c", code, *args], cwd=root, capture_output=True, text=True,
                              errors="backslashreplace", input=input, timeout=GUARD_SECONDS, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{what} still running after {GUARD_SECONDS} s (a hang)")


@pytest.fixture
def project(tmp_path):
    return lambda **kw: make_project(tmp_path / "proj", **kw)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The real dumps ingested and built once per test session: (project root, site dir)."""
    root = make_project(tmp_path_factory.mktemp("site") / "proj", copy_sources=True)
    shutil.copyfile(REPO / "site_config" / "sources.yml", root / "site_config" / "sources.yml")
    for step in (("ingest",), ("build",)):
        result = run_cli(root, *step)
        assert result.returncode == 0, result.stderr
    return root, root / "site"


# Where the Pages workflow would deploy the seed site: an address under a project path.
DEPLOYED_AT = "https://example.github.io/reading-list/"


@pytest.fixture(scope="session")
def deployed_site(built_site, tmp_path_factory):
    """The session's pages built as the Pages workflow builds them, with the site's
    address (READINGLIST_SITE_URL = DEPLOYED_AT): (project root, site dir).  The
    session's `built_site` is a local build, with no address."""
    root = tmp_path_factory.mktemp("deployed") / "proj"
    shutil.copytree(built_site[0], root, ignore=shutil.ignore_patterns("site", "build"))
    result = run_cli(root, "build", env={"READINGLIST_SITE_URL": DEPLOYED_AT, "SOURCE_DATE_EPOCH": "1767225600"})
    assert result.returncode == 0, result.stderr
    return root, root / "site"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per session (see tests/browser.py)."""
    from browser import chromium_browser
    with chromium_browser() as b:
        yield b


@pytest.fixture(scope="session")
def site_url(built_site):
    """The session's built site served on a loopback port."""
    from browser import serve
    with serve(built_site[1]) as url:
        yield url
