"""Store: the only module that touches the disk.

Everything else in the package is pure and gets or returns text.  Writes are
atomic (a temporary file in the same folder, flushed, then renamed over the
target), and a file is written only when its content changes, so a second run
of any command writes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import re
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

import yaml

from readinglist.curate.classify import Taxonomy, TaxonomyError, taxonomy_from_data
from readinglist.curate.filings import LEDGER_FILE, ledger_from_data, ledger_from_text, ledger_to_text
from readinglist.curate.removals import (HEADER as REMOVALS_HEADER, REMOVALS_FILE, RemovalsError, Tombstone,
                                         removals_from_data, removals_to_data)
from readinglist.curate.topicmodel import MODEL_FILE, ModelError, TitleModel
from readinglist.page.markdown import YAMLRefused, compose_yaml, load_yaml, yaml_value
from readinglist.paper import InputError, Problem, WriteError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, single-user use
    fcntl = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Project:
    """Where things live in a readinglist checkout."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def papers(self) -> Path:
        return self.content / "papers"

    @property
    def sources(self) -> Path:
        return self.root / "sources"

    @property
    def config(self) -> Path:
        return self.root / "site_config"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def build(self) -> Path:
        """Build products that are not the site: the docs tree, its config, caches (ignored by git)."""
        return self.root / "build"

    @property
    def tree(self) -> Path:
        return self.build / "docs"

    @property
    def cache(self) -> Path:
        return self.build / "cache"

    @property
    def enrich_cache(self) -> Path:
        """The answers of scholarly services `readinglist enrich` keeps (ignored by git; kept by `make clean`)."""
        return self.root / ".cache" / "enrich"

    def rel(self, path: Path) -> str:
        """A path as people see it in messages: relative to the project root (a symlink by its own name)."""
        try:
            return (path.parent.resolve() / path.name).relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def find_project(start: Optional[Path] = None) -> Project:
    """The checkout containing `start` (the folder that has site_config/)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        # Any mkdocs.yml marks the checkout: one that is no file to read is named when it is read.
        if (folder / "site_config").is_dir() and os.path.lexists(folder / "mkdocs.yml"):
            return Project(folder)
    raise InputError(str(here), "not inside a readinglist checkout (no mkdocs.yml and site_config/ here "
                                "or above); cd into the repository first")


# --------------------------------------------------------------------------- reading

# How much readinglist reads of one file (CONTRIBUTING.md, "Limits").  Nothing
# is read without a limit: an endless stream (/dev/zero) or a huge file given
# by mistake is refused by name, never read until memory runs out.
MIB = 1024 * 1024
# A dump is the text of a listing: a few hundred kilobytes (the four seed dumps
# are 76-316 KB); 16 MiB is some 10,000 papers.
MAX_DUMP_BYTES = 16 * MIB
# A page is a few kilobytes; the limit leaves room for an abstract of millions of characters.
MAX_PAGE_BYTES = 8 * MIB
# Every other file: configuration, the title model, labels, BibTeX, generated pages.
MAX_FILE_BYTES = 16 * MIB
# What readinglist writes for itself under build/ and site/ (memos, the docs tree, the
# search index): sized by the list, hundreds of megabytes at 50,000 papers.
MAX_PRODUCT_BYTES = 1024 * MIB


def size_text(limit: int) -> str:
    return f"{limit // MIB} MiB" if limit >= MIB else f"{limit} bytes"


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device (like /dev/zero)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_limited(path: Path, name: str, what: str, limit: int, fix: str = "replace it with a regular file") -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes.

    Anything else is an InputError naming `name`: a folder, a named pipe, a
    device or a socket (opened without blocking and refused before a byte is
    read), a file over the limit (only limit + 1 bytes are ever read), a file
    that cannot be read.  FileNotFoundError is left to the caller, which
    knows what a missing file means.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
                     | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError(name, f"is a symlink to {os.readlink(path)!r}, which does not exist "
                                   f"(replace it with {what} itself)") from None
        raise
    except IsADirectoryError:  # pragma: no cover - Windows opens no folders
        raise InputError(name, f"is a folder, not {what} ({fix})") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read: {exc.strerror or exc} ({_read_hint(exc)})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(name, f"is {_kind_of(mode)}, not {what}: only regular files of at most "
                                   f"{size_text(limit)} are read ({fix})")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(limit + 1 - total, MIB))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise InputError(name, f"is larger than {size_text(limit)}, the limit for {what} "
                                   "(is this the right file?)")
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(name, f"cannot be read: {exc.strerror or exc} ({_read_hint(exc)})") from None
    finally:
        os.close(fd)


def _read_hint(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "give yourself read permission, e.g. chmod u+r"
    if exc.errno == errno.ELOOP:
        return "it is a symlink that leads back to itself: delete it"
    return "check the file and the disk"


@dataclass(frozen=True)
class DumpEntry:
    """One dump listed in site_config/sources.yml."""

    file: str
    captured: Optional[dt.date]
    format: Optional[str] = None
    line: int = 0  # where sources.yml lists it
    problem: Optional[Problem] = None  # why it is not ingested: a bad entry


def read_yaml(path: Path, project: Project):
    """A YAML config file, or one clear InputError naming the file and line."""
    rel = project.rel(path)
    try:
        return load_yaml(_config_text(path, rel))
    except YAMLRefused as exc:
        raise InputError(rel, exc.problem + (f" ({exc.hint})" if exc.hint else ""), line=exc.line) from None


class _MkDocsConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs does for the keys readinglist needs: `!ENV` gives
    the variable's value (or the default), other tags (`!!python/name:`) read as None."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node):
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
    *variables, default = names if len(names) > 1 else (*names, None)
    for name in variables:
        if isinstance(name, str) and os.environ.get(name) is not None:
            return os.environ[name]
    return default


_MkDocsConfigLoader.add_constructor("!ENV", _env_tag)
_MkDocsConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_engine_config(project: Project) -> dict:
    """mkdocs.yml as a dict (environment variables filled in), or a clear InputError."""
    path = project.root / "mkdocs.yml"
    text = _config_text(path, "mkdocs.yml")
    try:
        data = yaml.load(text, Loader=_MkDocsConfigLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise InputError("mkdocs.yml", f"not valid YAML: {exc.problem}", line=(mark.line + 1) if mark else 0) from None
    if not isinstance(data, dict):
        raise InputError("mkdocs.yml", "expected settings like `site_name: ...`")
    return data


def _config_text(path: Path, rel: str) -> str:
    try:
        return _utf8(read_limited(path, rel, "a YAML file", MAX_FILE_BYTES), rel)
    except FileNotFoundError:
        raise InputError(rel, "file is missing") from None


MANIFEST_KEYS = ("file", "captured", "format")


def read_manifest(project: Project) -> list[DumpEntry]:
    """The dumps site_config/sources.yml lists, in order.

    A file that is no list of dumps, or has a key besides `dumps:`, is an
    InputError (nothing can be ingested from it).  A bad entry (no `file:`,
    a file outside sources/, an unknown key, a `captured:` that is not a date,
    a dump listed twice) is that entry's problem: only that dump is refused.
    """
    path = project.config / "sources.yml"
    rel = project.rel(path)
    try:
        root = compose_yaml(_config_text(path, rel))
    except YAMLRefused as exc:
        raise InputError(rel, exc.problem + (f" ({exc.hint})" if exc.hint else ""), line=exc.line) from None
    dumps = None
    for key, value in root.value if isinstance(root, yaml.MappingNode) else []:
        if _key_name(key) != "dumps":
            raise InputError(rel, f"unknown key `{_key_name(key)}:` (sources.yml holds one key, `dumps:`; see "
                                  "CONTRIBUTING.md, 'Adding a dump')", line=key.start_mark.line + 1)
        dumps = value
    if not isinstance(dumps, yaml.SequenceNode):
        raise InputError(rel, "expected a `dumps:` list (see CONTRIBUTING.md, 'Adding a dump')",
                         line=dumps.start_mark.line + 1 if dumps is not None else 0)
    seen: dict[str, int] = {}
    return [_manifest_entry(item, project, rel, seen) for item in dumps.value]


def _manifest_entry(item: yaml.Node, project: Project, rel: str, seen: dict[str, int]) -> DumpEntry:
    line = item.start_mark.line + 1
    fields = {_key_name(key): (key, value) for key, value in item.value} if isinstance(item, yaml.MappingNode) else {}
    name_node = fields.get("file", (None, None))[1]
    name = name_node.value if isinstance(name_node, yaml.ScalarNode) and name_node.value else None

    def refused(message: str, at: int, fix: str) -> DumpEntry:
        what = f"{name} was" if name else "it was"
        return DumpEntry(name or "", None, None, line, Problem(rel, at, f"{message}, so {what} not ingested ({fix})"))

    if name is None:
        return refused("this dump has no `file:` name", line, "add `file: NAME`, a file in sources/")
    for key_name, (key, _) in fields.items():
        if key_name not in MANIFEST_KEYS:
            return refused(f"unknown key `{key_name}:`", key.start_mark.line + 1,
                           "a dump has `file:`, `captured:` and `format:`")
    target = project.sources / name
    if Path(name).is_absolute() or ".." in Path(name).parts or not _inside(target, project.sources):
        where = f"is a symlink to {os.readlink(target)!r}, outside" if target.is_symlink() else "is outside"
        return refused(f"`file: {name}` {where} sources/", name_node.start_mark.line + 1,
                       "put the dump in sources/ and name it here as it is named there")
    key = os.path.normpath(name)
    if key in seen:
        return DumpEntry(name, None, None, line, Problem(rel, line, f"{name} is listed a second time (first on line "
                                                                   f"{seen[key]}), so this entry was ignored "
                                                                   "(delete one of the two)"))
    seen[key] = line
    captured = None
    if "captured" in fields:
        node = fields["captured"][1]
        try:
            captured = yaml_value(node)
            if isinstance(captured, str):
                captured = dt.date.fromisoformat(captured.strip())
        except (YAMLRefused, ValueError):
            captured = "?"
        if isinstance(captured, dt.datetime):
            captured = captured.date()
        if not isinstance(captured, dt.date):
            return refused(f"`captured: {getattr(node, 'value', '')}` is not a date", node.start_mark.line + 1,
                           "write the day the listing was copied, like 2025-12-03")
    fmt = None
    if "format" in fields:
        node = fields["format"][1]
        fmt = node.value if isinstance(node, yaml.ScalarNode) else None
        if not fmt:
            return refused("`format:` is not a format name", node.start_mark.line + 1,
                           "leave it out: the format is detected from the records")
    return DumpEntry(name, captured, fmt, line)


def _key_name(node: yaml.Node) -> str:
    return str(node.value)[:60] if isinstance(node, yaml.ScalarNode) else "?"


def unlisted_dumps(project: Project, entries: list[DumpEntry]) -> list[str]:
    """Files in sources/ (names starting with a dot aside) that no entry names, as sources/<path>."""
    listed = {os.path.normpath(e.file) for e in entries}
    found = []
    if project.sources.is_dir():
        for folder, dirnames, filenames in os.walk(project.sources):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                rel = (Path(folder) / name).relative_to(project.sources)
                if not name.startswith(".") and os.path.normpath(rel) not in listed:
                    found.append(f"sources/{rel.as_posix()}")
    return found


# Files that are not text, told apart by their first bytes, so the message
# can say what the file is.
_MAGIC = (
    (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx file)"),
    (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive"), (b"{\\rtf", "an RTF document"), (b"\xd0\xcf\x11\xe0", "an Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def decode_dump(data: bytes, name: str) -> tuple[str, list[Problem]]:
    """Text of a dump: UTF-8 (BOM or not), any line ends.  Binary is refused.

    UTF-16/UTF-32 with a byte-order mark and Windows-1252 are decoded with a
    warning; anything else is refused with an InputError saying what it is.
    """
    problems: list[Problem] = []
    if not data:
        raise InputError(name, "the file is empty; nothing to ingest (remove it from site_config/sources.yml)")
    if not data.strip():
        raise InputError(name, "the file holds only blank lines; nothing to ingest "
                               "(paste the listing into it, or remove it from site_config/sources.yml)")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(name, f"is {what}, not a text dump (copy the listing's text into a .txt file)", line=1)
    boms = ((b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"), (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
            (b"\xff\xfe", "utf-16-le", "UTF-16"), (b"\xfe\xff", "utf-16-be", "UTF-16"))
    bom = next((b for b in boms if data.startswith(b[0])), None)
    if bom is not None:
        mark, codec, label = bom
        try:
            text = data[len(mark):].decode(codec)
        except UnicodeDecodeError:
            raise InputError(name, f"starts like {label} text but is not valid {label}; "
                                   "re-save it as UTF-8") from None
        problems.append(Problem(name, 0, f"encoded as {label}; decoded it (save dumps as UTF-8 to silence this)"))
        if "\x00" in text:
            line = text.count("\n", 0, text.index("\x00")) + 1
            raise InputError(name, "contains NUL characters: this is a binary file, not a text dump", line=line)
    else:
        if b"\x00" in data:
            line = data[: data.index(b"\x00")].count(b"\n") + 1
            head = data[:4096]
            if head.count(b"\x00") * 3 >= len(head):
                raise InputError(name, "looks like UTF-16 text without a byte-order mark; re-save it as UTF-8",
                                 line=line)
            raise InputError(name, "contains NUL bytes: this is a binary file, not a text dump", line=line)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise InputError(name, "is neither UTF-8 nor Windows-1252 text; re-save it as UTF-8",
                                 line=line) from None
            problems.append(Problem(name, line, "is not UTF-8; decoded it as Windows-1252 "
                                                "(check accented letters, or re-save the file as UTF-8)"))
    controls = len(_CONTROL_CHARS_RE.findall(text))
    if controls > max(8, len(text) // 1000):
        raise InputError(name, "looks binary (many control characters), not a text dump")
    return text.replace("\r\n", "\n").replace("\r", "\n"), problems


def read_dump(path: Path) -> tuple[str, list[Problem]]:
    try:
        data = read_limited(path, path.name, "a dump", MAX_DUMP_BYTES,
                            fix="name a text file in site_config/sources.yml")
    except FileNotFoundError:
        raise InputError(path.name, "dump file not found (check the name in site_config/sources.yml)") from None
    return decode_dump(data, path.name)


def _utf8(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(name, "is not UTF-8 text (re-save it as UTF-8)", line=line) from None


def page_text(data: bytes) -> str:
    """A page's text as MkDocs reads it: UTF-8 without a byte-order mark, every line end a newline.

    Bytes that are not UTF-8 become U+FFFD (`readinglist check` reports them).
    """
    return data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def _read_page_file(path: Path, project: Optional[Project]) -> str:
    """One page's text; InputError (naming content/papers/<file>) when it is no page that can be read."""
    name = f"content/papers/{path.name}"
    if project is not None and path.is_symlink() and not _inside(path, project.root):
        raise InputError(name, f"is a symlink to {os.readlink(path)!r}, outside the repository "
                               "(replace it with the page itself)")
    return page_text(read_limited(path, name, "a page", MAX_PAGE_BYTES,
                                  fix="a page is a Markdown file: put the page itself here, or delete this"))


def _inside(path: Path, root: Path) -> bool:
    """Whether `path`, symlinks followed, is under `root`.  A symlink loop counts as inside:
    it leads nowhere, and reading it says so (read_limited)."""
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False
    except (OSError, RuntimeError):
        return True


def read_pages(folder: Path, project: Optional[Project] = None) -> dict[str, "str | Problem"]:
    """Text of every `*.md` page in `folder`, by slug (file name without .md).

    A page that cannot be read (a folder, a pipe, a device, a file over
    MAX_PAGE_BYTES, unreadable, or with `project` a symlink out of the
    repository) is the Problem saying why, in place of its text.
    """
    if not folder.is_dir():
        return {}
    pages: dict[str, "str | Problem"] = {}
    for path in sorted(folder.glob("*.md"), key=lambda p: p.name):  # (names sort as paths do, faster)
        try:
            pages[path.stem] = _read_page_file(path, project)
        except InputError as exc:
            pages[path.stem] = exc.problem
        except FileNotFoundError:  # deleted while we looked
            continue
    return pages


def read_page(project: Project, slug: str, asked: str) -> "str | Problem":
    """One page's text, read as read_pages reads each; InputError names `asked` when there is none."""
    path = project.papers / f"{slug}.md"
    try:
        return _read_page_file(path, project)
    except FileNotFoundError:
        raise InputError(asked, "no such page under content/papers/") from None
    except InputError as exc:
        return exc.problem


def page_digests(folder: Path, memo_path: Path) -> list[tuple[str, str]]:
    """(name, SHA-256 of the bytes) of every `*.md` page in `folder`, by name.

    A page whose size and modification time match the memo (an ignored file
    under build/) is not read again; the memo is rewritten when it changed."""
    import hashlib

    kept = read_json_or_none(memo_path, MAX_PRODUCT_BYTES)
    kept = kept if isinstance(kept, dict) else {}
    memo: dict[str, list] = {}
    out = []
    for name, size, mtime in page_stats(folder):
        known = kept.get(name)
        if isinstance(known, list) and len(known) == 3 and known[:2] == [size, mtime]:
            digest = known[2]
        else:
            try:  # a page that is no readable file (a pipe, /dev/zero) is never read: its problem is its digest
                data = read_limited(folder / name, name, "a page", MAX_PAGE_BYTES)
            except (OSError, InputError) as exc:
                data = f"\0{exc}".encode()
            digest = hashlib.sha256(data).hexdigest()
        memo[name] = [size, mtime, digest]
        out.append((name, digest))
    if memo != kept:
        write_cache(memo_path, json.dumps(memo, sort_keys=True) + "\n")
    return out
@dataclass(frozen=True)
class ContentFile:
    """One entry under content/ (content_files)."""

    rel: str  # its path under content/, with `/`
    kind: str  # "file", "link outside", "link to folder", "link to nothing", or what it is (a pipe ...)
    target: str = ""  # where a symlink points, as written


def content_files(project: Project) -> list[ContentFile]:
    """Everything in content/ but names starting with a dot, sorted by path.

    The walk follows no symlink: a symlinked folder is one entry (two symlinks
    to `.` would make a following walk endless).  A symlink to a file inside
    the repository counts as that file.
    """
    root = project.content
    out: list[ContentFile] = []
    if not root.is_dir():
        return out
    for folder, dirnames, filenames in os.walk(root):
        here = Path(folder)
        hidden = any(part.startswith(".") for part in here.relative_to(root).parts)
        dirnames.sort()
        for name in sorted(dirnames):
            path = here / name
            if path.is_symlink():
                out.append(ContentFile(_rel_under(path, root), "link to folder", os.readlink(path)))
        for name in sorted(filenames):
            path = here / name
            if hidden or name.startswith("."):
                continue
            rel = _rel_under(path, root)
            if path.is_symlink():
                target = os.readlink(path)
                if not path.exists():
                    out.append(ContentFile(rel, "link loop" if _loops(path) else "link to nothing", target))
                    continue
                if not _inside(path, project.root):
                    out.append(ContentFile(rel, "link outside", target))
                    continue
            try:
                mode = os.stat(path).st_mode
            except OSError:
                out.append(ContentFile(rel, "link to nothing"))
                continue
            out.append(ContentFile(rel, "file" if stat.S_ISREG(mode) else _kind_of(mode)))
    return sorted(out, key=lambda f: f.rel)


def _loops(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _rel_under(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def page_stats(folder: Path) -> list[tuple[str, int, int]]:
    """(name, size, modification time in ns) of every `*.md` page in `folder`, by name."""
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.md"), key=lambda p: p.name):
        try:
            st = path.lstat() if path.is_symlink() and not path.exists() else path.stat()
        except OSError:
            continue
        out.append((path.name, st.st_size, st.st_mtime_ns))
    return out


def read_text_or_none(path: Path, name: Optional[str] = None, limit: int = MAX_FILE_BYTES) -> Optional[str]:
    """A UTF-8 file readinglist or a person keeps in the project, or None when there is none.

    InputError (naming `name`) when it is there but is no file that can be read.
    """
    try:
        return page_text(read_limited(path, name or str(path), "a text file", limit))
    except (FileNotFoundError, NotADirectoryError):
        return None


def list_files(folder: Path, pattern: str) -> list[Path]:
    """Files in `folder` matching `pattern`, sorted; none when the folder is missing."""
    return sorted(p for p in folder.glob(pattern) if p.is_file()) if folder.is_dir() else []


def digest_files(folder: Path, pattern: str) -> str:
    """A digest of the names and bytes of the files under `folder` matching `pattern`."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(folder.rglob(pattern)):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0"
                          + read_bytes_or_empty(path, MAX_FILE_BYTES))
    return digest.hexdigest()


def package_digest(parts: Iterable[str]) -> str:
    """A digest of parts of the readinglist package (folders of modules, or module files)."""
    import hashlib

    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for part in parts:
        where = package / part
        digest.update(f"\0{part}\0".encode())
        digest.update((digest_files(where, "*.py") if where.is_dir()
                       else hashlib.sha256(read_bytes_or_empty(where)).hexdigest()).encode())
    return digest.hexdigest()


def write_cache(path: Path, text: str) -> None:
    """A memo under build/cache/: written when possible; a read-only checkout just goes without."""
    try:
        write_text(path, text)
    except (OSError, WriteError, UnicodeEncodeError):  # (a file name that is not UTF-8: no memo of it)
        pass


def read_input_file(name: str, what: str) -> str:
    """A file a person names on the command line (BibTeX, labels), as text; InputError says why not."""
    try:
        data = read_limited(Path(name), name, f"the {what}", MAX_FILE_BYTES)
    except FileNotFoundError:
        raise InputError(name, f"no such file (the {what} to read)") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(name, f"the {what} is not UTF-8 text (re-save it as UTF-8)") from None


def read_bytes_or_empty(path: Path, limit: int = MAX_DUMP_BYTES) -> bytes:
    """The bytes of a file for a fingerprint; empty when there is none or it cannot be read
    (whoever reads it for real reports why)."""
    try:
        return read_limited(path, str(path), "a file", limit)
    except (FileNotFoundError, NotADirectoryError, InputError):
        return b""


def read_json(path: Path, project: Project, missing_ok: bool = False):
    """A JSON file people or tools keep in the project, or one clear InputError (None if missing and allowed)."""
    import json

    rel = project.rel(path)
    try:
        text = _utf8(read_limited(path, rel, "a JSON file", MAX_FILE_BYTES), rel)
    except FileNotFoundError:
        if missing_ok:
            return None
        raise InputError(rel, "file is missing") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InputError(rel, f"not valid JSON: {exc}") from None


def read_jsonl(path: Path) -> list:
    """Every line of a JSON Lines file, parsed; InputError names the first bad line."""
    import json

    try:
        lines = _utf8(read_limited(path, str(path), "a JSON Lines file", MAX_FILE_BYTES), str(path)).splitlines()
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    out = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except ValueError as exc:
            raise InputError(str(path), f"not a JSON line: {exc}", line=number) from None
    return out


def read_ledger(project: Project):
    """content/.filed-by-rules.yml (filings.py), or None when there is none yet."""
    path = project.content / LEDGER_FILE
    text = read_text_or_none(path)
    if text is None:
        return None
    # The file as ledger_to_text writes it reads without a YAML parser (seconds at 10,000 lines).
    written = ledger_from_text(text)
    return written if written is not None else ledger_from_data(read_yaml(path, project))


def write_ledger(project: Project, ledger: dict) -> bool:
    return write_text(project.content / LEDGER_FILE, ledger_to_text(ledger))


def read_removals(project: Project) -> list[Tombstone]:
    """content/removed.yml (curate/removals.py): the papers taken off the list; [] when there is none."""
    path = project.content / REMOVALS_FILE
    if not os.path.lexists(path):
        return []
    data = read_yaml(path, project)  # (a file that is no regular file is named here, never read)
    lines = [number for number, line in enumerate(_config_text(path, project.rel(path)).splitlines(), 1)
             if line.startswith("- ")]
    try:
        return removals_from_data(data, lines)
    except RemovalsError as exc:
        raise InputError(project.rel(path), f"{exc} (fix the entry, or delete it)", line=exc.line) from None


def write_removals(project: Project, stones: list[Tombstone]) -> bool:
    from readinglist.page.markdown import dump_yaml
    data = removals_to_data(stones)
    return write_text(project.content / REMOVALS_FILE, REMOVALS_HEADER + (dump_yaml(data) if data else "[]\n"))


def read_json_or_none(path: Path, limit: int = MAX_FILE_BYTES):
    """A JSON file readinglist wrote for itself, or None when missing or unreadable
    (`limit`: MAX_PRODUCT_BYTES for its memos under build/)."""
    import json

    try:
        return json.loads(read_limited(path, str(path), "a JSON file", limit))
    except (OSError, ValueError, InputError):
        return None


# --------------------------------------------------------------------------- writing


def _shown(path: Path) -> str:
    """A path for a message: relative to the current folder when it is inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def _write_failed(path: Path, exc: OSError) -> WriteError:
    """The one-line message for a file that could not be written, with what to do about it."""
    where = _shown(path)
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        how = "free some disk space"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        how = f"make {_shown(path.parent)}/ writable"
    elif exc.errno in (errno.EISDIR, errno.ENOTDIR, errno.EEXIST):
        how = "move what is in the way"
    else:
        how = "check the disk"
    return WriteError(where, f"cannot be written: {exc.strerror or exc} ({how}, then run the command again; "
                             "files written before it are complete)")


def _holds(path: Path, data: bytes) -> bool:
    """Whether `path` is a regular file that says exactly `data` (never reads a pipe or a device)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        return read_limited(path, str(path), "a file", len(data)) == data
    except (OSError, InputError):
        return False


def write_text(path: Path, text: str) -> bool:
    """Write `text` atomically; do nothing if the file already says exactly that.

    Returns True when the file was written.  WriteError when it cannot be
    (disk full, a read-only folder); the file is then as it was.
    """
    return write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> bool:
    """Write `data` atomically (an image, say); do nothing if the file holds exactly that.
    WriteError when it cannot be (disk full, a read-only folder); the file is then as it was."""
    if _holds(path, data):
        return False
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        _remove_temp(tmp)
        raise _write_failed(path, exc) from None
    except BaseException:
        _remove_temp(tmp)
        raise
    return True


def _remove_temp(tmp: Optional[str]) -> None:
    if tmp is not None:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


# Files written between two flushes to disk by write_texts: bounds the memory
# the texts take while keeping flushes rare (one flush costs about what
# writing a thousand small files does).
WRITE_BATCH = 1000


def write_texts(items: Iterable[tuple[Path, str]]) -> list[Path]:
    """Write many files, each atomically, with one flush to disk per batch.

    `write_text` flushes every file (fsync), which costs milliseconds each;
    for thousands of pages this writes every file of a batch to a temporary
    file beside its target, flushes them all at once (os.sync), then renames
    each over its target.  An interruption leaves every target as it was or
    complete.  Files that already say exactly their text are not touched.
    Returns the paths written; WriteError when one cannot be.
    """
    written: list[Path] = []
    batch: list[tuple[Path, bytes]] = []
    for path, text in items:
        data = text.encode("utf-8")
        if _holds(path, data):
            continue
        batch.append((path, data))
        if len(batch) >= WRITE_BATCH:
            written += _write_batch(batch)
            batch = []
    return written + _write_batch(batch)


def _write_batch(batch: list[tuple[Path, bytes]]) -> list[Path]:
    temps: list[tuple[str, Path]] = []
    current = batch[0][0] if batch else Path(".")
    try:
        for path, data in batch:
            current = path
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            temps.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if not hasattr(os, "sync"):  # pragma: no cover - Windows: flush each file
                    handle.flush()
                    os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
        if temps and hasattr(os, "sync"):
            os.sync()
        for tmp, path in temps:
            current = path
            os.replace(tmp, path)
    except BaseException as exc:
        for tmp, _ in temps:
            _remove_temp(tmp)
        if isinstance(exc, OSError):
            raise _write_failed(current, exc) from None
        raise
    return [path for _, path in temps]


def _replace_unflushed(path: Path, data: bytes) -> None:
    """Replace `path` by `data` in one rename (a reader sees the old file or the new one),
    without waiting for the disk: for build products, which the next build can redo.
    A file that does not exist yet is written in place: nobody can be reading it.
    WriteError when it cannot be (disk full, a read-only folder)."""
    tmp = None
    try:
        if not os.path.lexists(path):
            with open(path, "wb") as handle:
                handle.write(data)
            return
        tmp = str(path.with_name(f".{path.name}.{os.getpid()}.tmp"))
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        _remove_temp(tmp)
        raise _write_failed(path, exc) from None
    except BaseException:
        _remove_temp(tmp)
        raise


def write_tree(folder: Path, files: Iterable[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Make `folder` hold exactly `files` ((relative path, text) pairs): (written, removed).

    A build product, not the list: each file is replaced atomically (a live
    preview may be reading it) but not flushed to disk, and a file that already
    says its text is left alone, so its modification time tells the engine it
    did not change.
    """
    written: list[str] = []
    names: set[str] = set()
    for rel, text in files:
        names.add(rel)
        path = folder / rel
        data = text.encode("utf-8")
        if _holds(path, data):
            continue
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _write_failed(path, exc) from None
        _replace_unflushed(path, data)
        written.append(rel)
    removed: list[str] = []
    if folder.is_dir():
        for path in sorted(folder.rglob("*"), reverse=True):  # files before their folders
            rel = path.relative_to(folder).as_posix()
            if path.is_dir():
                with contextlib.suppress(OSError):
                    path.rmdir()  # only when empty
            elif rel not in names:
                remove_file(path)
                removed.append(rel)
    return written, removed


def write_tree_changes(folder: Path, files: dict[str, str], removed: Iterable[str]) -> None:
    """Write `files` and remove `removed` under `folder`, when the caller knows what changed."""
    for rel, text in files.items():
        path = folder / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _write_failed(path, exc) from None
        _replace_unflushed(path, text.encode("utf-8"))
    for rel in removed:
        remove_file(folder / rel)


def file_stats(folders: Iterable[Path], files: Iterable[Path] = ()) -> dict[Path, tuple[int, int]]:
    """(size, modification time in ns) of every file in `folders` (not below) and of `files`."""
    stats = {}
    for path in [*(p for folder in folders if folder.is_dir() for p in folder.iterdir()), *files]:
        try:
            st = path.stat()
        except FileNotFoundError:
            continue
        if path.is_file() and not path.name.startswith("."):
            stats[path] = (st.st_size, st.st_mtime_ns)
    return stats


def remove_file(path: Path) -> bool:
    try:
        path.unlink()
        return True
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise _write_failed(path, exc) from None


def clean_stale_temp_files(folder: Path) -> int:
    """Remove temporary files an interrupted run left behind (never real pages)."""
    removed = 0
    if folder.is_dir():
        for tmp in folder.glob(".*.tmp"):
            removed += remove_file(tmp)
    return removed


@contextlib.contextmanager
def exclusive_lock(project: Project, what: str) -> Iterator[None]:
    """Only one writer at a time: a second ingest refuses with a clear message.

    An OS lock (flock) is released by the kernel when its process dies, so a
    killed run never leaves the project locked.
    """
    path = project.content / ".readinglist.lock"
    try:
        project.content.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")
    except OSError as exc:
        raise _write_failed(path, exc) from None
    with handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise InputError(project.rel(path), f"another readinglist command is writing pages; "
                                                    f"wait for it to finish, then run `{what}` again") from None
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- the taxonomy


def load_taxonomy(project: Project) -> Taxonomy:
    """topics.yml, with the title model beside it when there is one."""
    path = project.config / "topics.yml"
    data = read_yaml(path, project)
    model_path = project.config / MODEL_FILE
    model = None
    model_data = read_json(model_path, project, missing_ok=True)
    if model_data is not None:
        try:
            model = TitleModel.from_data(model_data)
        except ModelError as exc:
            raise InputError(project.rel(model_path), f"{exc} (retrain it: readinglist topics train)") from None
    try:
        return taxonomy_from_data(data, model)
    except TaxonomyError as exc:
        raise InputError(project.rel(path), str(exc)) from None
