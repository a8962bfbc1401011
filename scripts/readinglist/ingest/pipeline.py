"""Ingest: dumps in, one page per paper out.  Composes the pure stages with the store.

    read (store) -> parse -> normalize -> merge -> match pages -> classify -> render -> write (store)

Existing pages are the list: ingest adds new papers, fills fields that pages
lack and adds sources, and never changes what a page already says (topics
included, once a curator marks them).  A second run writes nothing.

Papers can leave: a paper with a tombstone in content/removed.yml
(curate/removals.py) gets no page.  A page deleted by hand is recognised
from the record of the last run (content/.filed-by-rules.yml names every
page that run left, with `[]` for a page a person filed): a paper the dumps
still list, whose page that record names but which is gone, gets a
tombstone instead of its page back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Optional, Union

from readinglist import store
from readinglist.curate import classify as classify_stage
from readinglist.curate.filings import refile
from readinglist.curate.removals import HAND_DELETED, removed_keys, tombstone
from readinglist.ingest import memo, noop
from readinglist.ingest.report import DumpReport, IngestSummary
from readinglist.ingest.merge import PageIndex, assign_slugs, fill_page, merge_records
from readinglist.text import slugify, title_key
from readinglist.ingest.normalize import record_from_raw
from readinglist.paper import InputError, Paper, Problem, Record
from readinglist.ingest.parse import FORMATS, FormatError, parse_dump
from readinglist.catalog import Catalog
from readinglist.curate.topicmodel import MODEL_FILE
from readinglist.page.markdown import render_paper_page
from readinglist.page.validate import MAX_TITLE_CHARS


def read_records(project: store.Project, dumps: list[store.DumpEntry],
                 summary: IngestSummary) -> list[Record]:
    """Every clean record of every readable dump; unreadable dumps become errors.

    A dump whose text a previous run read already is taken from the memo (memo.py)."""
    records: list[Record] = []
    memo_path = project.cache / memo.DUMPS_FILE
    code = noop.code_digest()
    kept = memo.memo_of(store.read_json_or_none(memo_path, store.MAX_PRODUCT_BYTES), code)
    used: dict[str, dict] = {}
    for entry in dumps:
        if entry.problem is not None:
            summary.errors.append(entry.problem)
            continue
        if entry.format and entry.format not in FORMATS:
            summary.errors.append(Problem("site_config/sources.yml", entry.line, f"`format: {entry.format}` is not a "
                                          f"format ingest reads ({', '.join(FORMATS)}), so {entry.file} was not "
                                          "ingested (leave the key out: the format is detected from the records)"))
            continue
        path = Path(entry.file) if Path(entry.file).is_absolute() else project.sources / entry.file
        name = path.name
        try:
            text, problems = store.read_dump(path)
        except InputError as exc:
            summary.errors.append(exc.problem)
            continue
        key = memo.digest(name, str(entry.captured), str(entry.format), text)
        known = memo.dump_from_entry(kept[key]) if key in kept else None
        if known is not None:
            fmt, count, clean, warnings = known
            summary.warnings.extend(problems + warnings)
            records.extend(clean)
            summary.dumps.append(DumpReport(name, fmt, count))
            summary.records_read += count
            used[key] = kept[key]
            continue
        found = _read_one(text, name, entry)
        if isinstance(found, Problem):
            summary.errors.append(found)
            continue
        fmt, count, clean, warnings = found
        summary.warnings.extend(problems + warnings)
        records.extend(clean)
        summary.dumps.append(DumpReport(name, fmt, count))
        summary.records_read += count
        used[key] = memo.dump_entry(name, fmt, count, clean, warnings)
    # Dumps not read this time (`ingest one-dump.txt`) keep their entries.
    read_now = {entry["name"] for entry in used.values()}
    used.update({k: v for k, v in kept.items() if isinstance(v, dict) and v.get("name") not in read_now})
    if used != kept:
        store.write_cache(memo_path, json.dumps(memo.memo_file(code, used), ensure_ascii=False) + "\n")
    return records


def _read_one(text: str, name: str, entry: store.DumpEntry
              ) -> Union[Problem, tuple[str, int, list[Record], list[Problem]]]:
    """Parse and normalize one dump's text: (format, records read, clean records, warnings),
    or the error that keeps the whole dump out."""
    try:
        parsed = parse_dump(text, name)
    except FormatError as exc:
        return Problem(name, exc.line, f"not a dump this tool can read: {exc}; tried {', '.join(FORMATS)}: "
                                       f"{exc.closest} (see CONTRIBUTING.md for the four formats); "
                                       "nothing ingested from it")
    warnings: list[Problem] = []
    if entry.format and entry.format != parsed.format:
        warnings.append(Problem(name, 0, f"sources.yml says format {entry.format} but the records "
                                         f"read as {parsed.format}; used {parsed.format}"))
    warnings.extend(parsed.problems)
    records: list[Record] = []
    for raw in parsed.records:
        record, problems = record_from_raw(raw, name, entry.captured)
        warnings.extend(problems)
        if not record.title or not record.abstract:
            # Only invisible characters (zero-width spaces, controls): nothing a page could show.
            what = "title" if not record.title else "abstract"
            warnings.append(Problem(name, raw.line, f"the paper's {what} holds no visible text; skipped"))
            continue
        if len(record.title) > MAX_TITLE_CHARS:
            warnings.append(Problem(name, raw.line, f"title is {len(record.title):,} characters long, over "
                                                    f"the {MAX_TITLE_CHARS:,} a page allows; skipped"))
            continue
        records.append(record)
    return parsed.format, len(parsed.records), records, warnings


def select_dumps(project: store.Project, names: Optional[list[str]]) -> list[store.DumpEntry]:
    manifest = store.read_manifest(project)
    if not names:
        return manifest
    by_name: dict[str, store.DumpEntry] = {}
    for entry in manifest:  # the first entry of a dump listed twice is the one that counts
        by_name.setdefault(entry.file, entry)
    chosen = []
    for name in names:
        entry = by_name.get(Path(name).name)
        if entry and (Path(name).name == name or Path(name).resolve() == (project.sources / entry.file).resolve()):
            chosen.append(entry)
        else:
            # A dump outside the manifest: readable, but yearless dates cannot be placed.
            chosen.append(store.DumpEntry(str(Path(name).resolve()), None))
    return chosen


def plan(project: store.Project, records: list[Record], taxonomy: classify_stage.Taxonomy,
         summary: IngestSummary, today: Optional[dt.date] = None) -> dict[str, Paper]:
    """The pages to write (slug -> paper): new pages and pages that change."""
    removed = removed_keys(store.read_removals(project))
    merged = merge_records(records)
    summary.duplicates_merged = merged.duplicates_merged
    summary.warnings.extend(merged.problems)

    catalog = Catalog.load(project, taxonomy)
    # A page with any problem is left alone until a person fixes it.
    pages = catalog.clean()
    broken = set(catalog.pages) - set(pages)
    index = PageIndex.of(pages)

    filled: dict[str, Paper] = dict(pages)
    new_papers: list[Paper] = []
    for paper in merged.papers:
        slug = index.find(paper)
        if slug is None and slugify(paper.title) in broken:
            summary.warnings.append(Problem(f"content/papers/{slugify(paper.title)}.md", 0,
                                            "page has problems, so ingest left it alone; run `readinglist check`"))
            continue
        if slug is None and title_key(paper.title) in removed:
            summary.removed += 1  # taken off the list (curate/removals.py): no page
            continue
        if slug is None:
            new_papers.append(paper)
            continue
        filled[slug] = fill_page(pages[slug], paper)
    for slug in sorted(broken):
        summary.warnings.append(Problem(f"content/papers/{slug}.md", 0,
                                        "page has problems, so ingest left it alone; run `readinglist check`"))
    assign_slugs(new_papers, set(pages) | broken)
    known = store.read_ledger(project)
    for paper in new_papers:
        if known and paper.slug in known:
            # The last run wrote this page and it is gone: a person deleted it, and means it.
            summary.deleted_by_hand.append(tombstone(paper.title, paper.slug, HAND_DELETED, today or dt.date.today()))
            summary.removed += 1
            continue
        filled[paper.slug] = paper

    # Topics: the rules file every page no person has re-filed (filings.py).
    filing = _memoized_filing(project, taxonomy)
    refiled = refile(filled, known, filing)
    filing.save()
    summary.curated_now = refiled.curated_now
    # A page with problems keeps its record until it is fixed.  A page a person filed has an
    # empty line (the rules filed it under nothing): the record names every page the run left,
    # so the next run knows a page that is gone was deleted by hand (see above).
    summary.ledger = {**{slug: known[slug] for slug in broken if known and slug in known},
                      **{slug: [] for slug, page in refiled.pages.items() if page.topics_curated},
                      **refiled.ledger}
    to_write: dict[str, Paper] = {}
    for slug, paper in refiled.pages.items():
        if slug not in pages:
            to_write[slug] = paper
            summary.new.append(slug)
        elif paper != pages[slug]:
            to_write[slug] = paper
            summary.updated.append(slug)
        else:
            summary.unchanged += 1
    return to_write


class _memoized_filing:
    """classify(title, abstract), answered from the memo of earlier runs where the text is the same."""

    def __init__(self, project: store.Project, taxonomy: classify_stage.Taxonomy):
        self.project, self.taxonomy = project, taxonomy
        self.key = memo.digest(noop.code_digest(), *(hashlib.sha256(store.read_bytes_or_empty(project.config / name))
                                                     .hexdigest() for name in ("topics.yml", MODEL_FILE)))
        self.kept = memo.memo_of(store.read_json_or_none(project.cache / memo.FILINGS_FILE, store.MAX_PRODUCT_BYTES),
                                 self.key)
        self.used: dict[str, list[str]] = {}

    def __call__(self, page: Paper) -> list[str]:
        text_key = memo.digest(page.title, page.abstract)
        topics = self.kept.get(text_key)
        if not (isinstance(topics, list) and all(isinstance(t, str) for t in topics)):
            topics = classify_stage.classify(page.title, page.abstract, self.taxonomy)
        self.used[text_key] = list(topics)
        return list(topics)

    def save(self) -> None:
        if self.used != self.kept:
            store.write_cache(self.project.cache / memo.FILINGS_FILE,
                              json.dumps(memo.memo_file(self.key, self.used), ensure_ascii=False) + "\n")


def run_ingest(project: store.Project, names: Optional[list[str]] = None,
               dry_run: bool = False) -> IngestSummary:
    summary = IngestSummary()
    taxonomy = store.load_taxonomy(project)
    dumps = select_dumps(project, names)
    with store.exclusive_lock(project, "readinglist ingest"):
        store.clean_stale_temp_files(project.papers)
        # A full run over inputs the previous full run left as they were writes
        # nothing: noop.py knows that from a fingerprint, in a fraction of a second.
        full = not names and not dry_run
        paths = [Path(d.file) if Path(d.file).is_absolute() else project.sources / d.file
                 for d in dumps if d.problem is None]
        if full and noop.replay(project, noop.fingerprint(project, paths), summary):
            return summary
        if not names:
            # A dump in sources/ that sources.yml does not list would be silently left out.
            for unlisted in store.unlisted_dumps(project, dumps):
                summary.errors.append(Problem(unlisted, 0, "is in sources/ but not listed in site_config/sources.yml, "
                                                           "so it was not ingested (list it there, with its "
                                                           "`captured:` date, or move it out of sources/)"))
        records = read_records(project, dumps, summary)
        to_write = plan(project, records, taxonomy, summary)
        if not dry_run:
            if summary.deleted_by_hand:
                store.write_removals(project, store.read_removals(project) + summary.deleted_by_hand)
            store.write_texts((project.papers / f"{slug}.md", render_paper_page(to_write[slug]))
                              for slug in sorted(to_write))
            # After the pages: a run killed in between leaves pages that show
            # the rules' filing, which filings.refile never takes for a person's.
            store.write_ledger(project, summary.ledger)
        if full:
            noop.remember(project, noop.fingerprint(project, paths), summary)
        elif not dry_run and (to_write or summary.deleted_by_hand):
            # Pages changed outside a full run: the record of the last full run no
            # longer describes them.  A run that wrote nothing keeps it.
            noop.forget(project)
    return summary
