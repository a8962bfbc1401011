"""The engines that turn the docs tree into the site: MkDocs, or ProperDocs.

Each runs as its own command on build/mkdocs.yml, the way a person would run
it (`mkdocs build -f build/mkdocs.yml --strict`), so readinglist depends on
the engine's command line only, never on its internals, and the engine's
memory is its own.  ProperDocs is a maintained continuation of MkDocs 1.6 with
the same command line; MkDocs 1.6.1 is the last MkDocs 1.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

from readinglist.paper import InputError

ENGINES = ("mkdocs", "properdocs")
DEFAULT_ENGINE = "mkdocs"


def engine_command(engine: str, action: str, config_path: Path, *options: str) -> list[str]:
    if engine not in ENGINES:
        raise InputError("--engine", f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if importlib.util.find_spec(engine) is None:
        raise InputError("--engine", f"{engine} is not installed here; install it (pip install {engine}) "
                                     f"or build with --engine {DEFAULT_ENGINE}")
    return [sys.executable, "-m", engine, action, "--config-file", str(config_path), *options]


# What MkDocs says of every dirty build: true of a build that skips pages whose
# navigation changed, which readinglist never asks for (build.py rebuilds everything then).
DIRTY_NOTICE = "'dirty' build is being performed"


def _show(line: str) -> bool:
    """The engine's own progress lines (INFO) are noise next to readinglist's summary."""
    return bool(line.strip()) and not line.startswith("INFO") and DIRTY_NOTICE not in line


def build(engine: str, config_path: Path, strict: bool = True, dirty: bool = False) -> int:
    """Build the site; the engine's warnings and errors are shown, its exit code returned.

    `dirty`: only the pages whose files changed since the last build are built
    again (the engine's --dirty).  The engine's strict mode would stop on its
    own notice about dirty builds, so there readinglist is strict itself: any
    other warning fails the build."""
    options = ["--dirty", "--no-strict"] if dirty else (["--strict"] if strict else ["--no-strict"])
    command = engine_command(engine, "build", config_path, *options)
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=_engine_env(),
                            encoding="utf-8", errors="replace", check=False)
    shown = [line for line in result.stdout.splitlines() if _show(line)]
    for line in shown:
        print(line, file=sys.stderr)
    warned = dirty and strict and any(line.startswith("WARNING") for line in shown)
    if result.returncode != 0 or warned:
        print(f"error: the site build with {engine} failed (exit {result.returncode}"
              f"{', warnings in strict mode' if warned else ''}); the messages above say why", file=sys.stderr)
        return 1
    return 0


def version(engine: str) -> str:
    from importlib import metadata

    parts = []
    for dist in (engine, "mkdocs-material"):
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=missing")
    return " ".join(parts)


def serve(engine: str, config_path: Path, dev_addr: Optional[str]) -> subprocess.Popen:
    """Start the engine's live preview of the tree: it rebuilds the pages whose files
    change (`--dirty`), and readinglist keeps the tree up to date (site/preview.py)."""
    # Not strict: a dirty rebuild warns that the links of pages it skipped may be stale.
    options = ["--dirty", "--no-strict"] + (["--dev-addr", dev_addr] if dev_addr else [])
    # Its log comes through a pipe: the preview reads it to know when a rebuild runs.
    return subprocess.Popen(engine_command(engine, "serve", config_path, *options), env=_engine_env(),
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")


def _engine_env() -> dict[str, str]:
    # Material's banner about MkDocs 2 and its own end of life: the project has
    # chosen its engines knowingly (README, "Engines"); the banner hides real warnings.
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
