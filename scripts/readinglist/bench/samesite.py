"""Is the built site the same with the code of another commit?  For refactors.

    python -m readinglist.bench.samesite REV      (make same-site REF=REV)

Builds this checkout's pages twice, with SOURCE_DATE_EPOCH fixed: once with
the code (and site_config/) of REV, once with the working tree's, and lists
every file of site/ that differs.  Exit 0 when the two sites are
byte-identical, 1 when not, 2 when a build fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from readinglist import store
from readinglist.bench.workspace import checkout_of, different_files, replace_folder

EPOCH = "1767225600"  # any fixed date will do: both builds use the same


def build(code: Path, project: Path, site: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(code / "scripts")}
    subprocess.run([sys.executable, "-m", "readinglist", "--root", str(project), "build", "--site-dir", str(site)],
                   check=True, env=env, stdout=subprocess.DEVNULL)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    here = store.find_project()
    with tempfile.TemporaryDirectory(prefix="readinglist-samesite-") as tmp, \
            checkout_of(here.root, argv[0]) as then:
        try:
            build(here.root, here.root, Path(tmp) / "now")
            # The same pages for both: the working tree's, copied into the old checkout.
            replace_folder(here.papers, then / "content" / "papers")
            build(then, then, Path(tmp) / "then")
        except subprocess.CalledProcessError as exc:
            print(f"error: a build failed ({exc})", file=sys.stderr)
            return 2
        differ = different_files(Path(tmp) / "then", Path(tmp) / "now")
    for rel in differ:
        print(f"differs: site/{rel}")
    print(f"{'byte-identical' if not differ else f'{len(differ)} files differ'}: site/ built with {argv[0]} "
          "and with the working tree, from the same pages")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
