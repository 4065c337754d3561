"""Intake output, byte for byte: run `matchmaker intake EXPORT --json OUT` on a fixed set of exports
(the sample, generated ones of 300, 20,000 and 100,000 submissions as .xlsx and .csv, and odd ones:
names unresolved, duplicates, future and early dates, dates as text, bad ids, Windows-1252 CSV,
English Microsoft Forms headers, rows too long) and keep each JSON and printed output.

    .venv/bin/python benchmarks/compare_intake.py DIR            # write DIR/exports and DIR/<label>
    .venv/bin/python benchmarks/compare_intake.py DIR --against REF_LABEL --label NEW_LABEL

The exports are made once in DIR/exports (the JSON names their path, so both runs must read the
same files); `--against` compares the new outputs with those kept under REF_LABEL and exits 1 on
any difference. `--small` leaves out the 20,000 and 100,000 exports.
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bench_intake import write_csv

from matchmaker.sample import HEADERS, make_export, write_export

ROOT = Path(__file__).resolve().parent.parent
# The moment the odd exports' "future" is measured against is the clock's: far enough ahead.
FUTURE = dt.datetime(2099, 3, 1, 12, 0)
ENGLISH = {
    "Id": "ID",
    "Begintijd": "Start time",
    "Tijd van voltooien": "Completion time",
    "E-mail": "Email",
    "Naam": "Name",
}


def _odd_rows(seed: int) -> list[list[object] | None]:
    """A small export with a bit of everything a person can get wrong."""
    rng = random.Random(seed)
    rows = [list(r) if r is not None else None for r in make_export(400, seed=seed)]
    body = [r for r in rows if r is not None]
    for i, row in enumerate(body):
        pick = rng.random()
        if pick < 0.04:
            row[5] = rng.choice(("Xyzzyville", "Parijs", "Gemeente Luik", "", "Stad Gnet", "Hoeselt"))
        elif pick < 0.07:
            row[2] = FUTURE + dt.timedelta(days=i)
        elif pick < 0.09:
            row[2] = dt.datetime(1999, 5, 4, 8, 30)
        elif pick < 0.12:
            # dates as text, a few month first: the export then proves both orders
            written = "%m/%d/%Y %H:%M" if i % 5 == 0 else "%d/%m/%Y %H:%M"
            row[2] = row[2].strftime(written) if isinstance(row[2], dt.datetime) else row[2]
        elif pick < 0.14:
            row[0] = None if rng.random() < 0.5 else body[max(i - 1, 0)][0]
        elif pick < 0.16:
            row[1], row[2] = row[2], row[1]  # started after completion
        elif pick < 0.18:
            row[10] = "=SUM(A1:A3) " + "woord" * 50
        elif pick < 0.20:
            row[9] = "Mars"
            row[23] = "heel veel"
        elif pick < 0.22:
            row[2] = None
        elif pick < 0.24:
            row[17] = "Nee"
            row[22] = None
        elif pick < 0.26:
            row[12] = "Burgemeester;Iemand anders;"
    # The same municipality submitted again, at the same time, and a merger's two former names.
    for i in range(0, 60, 6):
        again = list(body[i])
        again[0] = len(body) + 100 + i
        body.append(again)
    return body


def _long_csv(rows: Sequence[Sequence[object] | None], path: Path) -> None:
    write_csv(rows, path, HEADERS)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(
            "9999,,,,,Gemeente Zulte,a,b,c,Geen voorkeur,x,y,z,w,v,Nee,,Ja,Ja,Ja,Ja,,Ja,3,extra,cells\n"
        )


def make_exports(directory: Path, small: bool) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    keep = made.append

    copies = {
        "sample.xlsx": ROOT / "sample_data" / "candidacies.xlsx",
        "messy.xlsx": ROOT / "tests" / "data" / "messy-export.xlsx",
        **{
            f"lo-{n}": ROOT / "tests" / "data" / "libreoffice" / n
            for n in ("export.xlsx", "export.lo.xlsx", "export.ods")
        },
    }
    for name, source in copies.items():
        shutil.copy(source, directory / name)
        keep(directory / name)
    sizes = [300] if small else [300, 20_000, 100_000]
    for n in sizes:
        xlsx, text = directory / f"gen-{n}.xlsx", directory / f"gen-{n}.csv"
        if not (xlsx.exists() and text.exists()):
            rows = make_export(n, seed=3)
            write_export(rows, xlsx)
            write_csv(rows, text, HEADERS)
        keep(xlsx)
        keep(text)
    odd = _odd_rows(11)
    latin = [list(r) for r in odd if r is not None][:80]
    for row in latin[::7]:
        row[5] = "Gemeente Liège" if row[5] else "Hélécine"
        row[10] = "Coöperatie, één café — “citaat”"
    english = [ENGLISH.get(h, h) for h in HEADERS] + ["Last modified time"]
    edited = []
    for i, row in enumerate(r for r in odd if r is not None):
        completed = row[2]
        modified = completed + dt.timedelta(days=i % 5) if isinstance(completed, dt.datetime) else None
        edited.append([*row, modified if i % 3 else None])
    writers: dict[str, Callable[[Path], object]] = {
        "odd.xlsx": lambda p: write_export(odd, p),
        "odd.csv": lambda p: write_csv(odd, p, HEADERS),
        "odd-semicolon.csv": lambda p: write_csv(odd, p, delimiter=";"),
        # Windows-1252: a Belgian Excel's "CSV" save
        "odd-cp1252.csv": lambda p: write_csv(latin, p, encoding="cp1252"),
        # English Microsoft Forms headers, with a "Last modified time" that decides the latest edit
        "odd-english.xlsx": lambda p: write_export(edited, p, headers=english),
        "odd-english.csv": lambda p: write_csv(edited, p, english),
        # a CSV row with more cells than the header: its quoting was lost
        "odd-long.csv": lambda p: _long_csv(odd[:50], p),
    }
    for name, write in writers.items():
        # written once: a workbook's bytes hold the time it was made, and the JSON its checksum
        if not (directory / name).exists():
            write(directory / name)
        keep(directory / name)
    return made


def run(exports: list[Path], out: Path) -> None:
    """Each export's JSON and printed output under `out`; the JSON is written at one path first,
    so the printed "Wrote ..." line is the same in every run."""
    out.mkdir(parents=True, exist_ok=True)
    written = out.parent / "intake.json"
    for export in exports:
        written.unlink(missing_ok=True)
        done = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "matchmaker"), "intake", str(export), "--json", str(written)],
            capture_output=True,
            text=True,
        )
        (out / (export.name + ".out")).write_text(f"exit {done.returncode}\n{done.stdout}{done.stderr}")
        target = out / (export.name + ".json")
        target.unlink(missing_ok=True)
        if written.exists():
            written.rename(target)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", type=Path)
    parser.add_argument("--label", default="ref")
    parser.add_argument("--against")
    parser.add_argument("--small", action="store_true")
    args = parser.parse_args()
    exports = make_exports(args.directory / "exports", args.small)
    run(exports, args.directory / args.label)
    if args.against is None:
        print(f"kept {len(exports)} outputs in {args.directory / args.label}")
        return 0
    different = 0
    for export in exports:
        for ending in (".json", ".out"):
            name = export.name + ending
            mine, theirs = args.directory / args.label / name, args.directory / args.against / name
            same = mine.exists() == theirs.exists() and (
                not mine.exists() or filecmp.cmp(mine, theirs, shallow=False)
            )
            size = mine.stat().st_size if mine.exists() else 0
            print(f"{'identical' if same else 'DIFFERENT'}  {name}  ({size:,} bytes)")
            different += not same
    print(f"{len(exports) * 2 - different} of {len(exports) * 2} outputs byte-identical")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
