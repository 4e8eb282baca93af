"""How close announcements lie in what they are about: every pair of announcements by the cosine
of their language-centred mean chunk vectors (`IndexReader.document_direction`), closest first,
down to a floor. The thresholds that read these closeness values (SAME_TEXT, SAME_KIND in
qa/retrieve.py) were set from this list (docs/quality.md).

    .venv/bin/python scripts/document_pairs.py [INDEX_DIR] [FLOOR]   # defaults: data/index 0.3
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.store import IndexReader, require_manifest  # noqa: E402


def main() -> None:
    index_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data" / "index"
    floor = float(sys.argv[2]) if len(sys.argv) > 2 else 0.3
    reader = IndexReader(index_dir, require_manifest(index_dir)["embedder"])
    directions = {
        stored.document.id: direction
        for stored in reader.documents().values()
        if (direction := reader.document_direction(stored.row_id, stored.document.lang)) is not None
    }
    pairs = sorted(
        (
            (float(directions[a] @ directions[b]), a, b)
            for a, b in itertools.combinations(sorted(directions), 2)
        ),
        reverse=True,
    )
    for closeness, a, b in pairs:
        if closeness < floor:
            break
        print(f"{closeness:.2f}  {a}  {b}")


if __name__ == "__main__":
    main()
