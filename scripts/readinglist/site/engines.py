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


def _show(line: str) -> bool:
    """The engine's own progress lines (INFO) are noise next to readinglist's summary."""
    return bool(line.strip()) and not line.startswith("INFO")


def build(engine: str, config_path: Path, strict: bool = True) -> int:
    """Build the site; the engine's warnings and errors are shown, its exit code returned."""
    command = engine_command(engine, "build", config_path, *(["--strict"] if strict else []))
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=_engine_env(),
                            encoding="utf-8", errors="replace", check=False)
    for line in result.stdout.splitlines():
        if _show(line):
            print(line, file=sys.stderr)
    if result.returncode != 0:
        print(f"error: the site build with {engine} failed (exit {result.returncode}); "
              "the messages above say why", file=sys.stderr)
        return 1
    return 0


def serve(engine: str, config_path: Path, dev_addr: Optional[str]) -> subprocess.Popen:
    """Start the engine's live preview of the tree: it rebuilds the pages whose files
    change (`--dirty`), and readinglist keeps the tree up to date (site/preview.py)."""
    # Not strict: a dirty rebuild warns that the links of pages it skipped may be stale.
    options = ["--dirty", "--no-strict"] + (["--dev-addr", dev_addr] if dev_addr else [])
    return subprocess.Popen(engine_command(engine, "serve", config_path, *options), env=_engine_env())


def _engine_env() -> dict[str, str]:
    # Material's banner about MkDocs 2 and its own end of life: the project has
    # chosen its engines knowingly (README, "Engines"); the banner hides real warnings.
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
