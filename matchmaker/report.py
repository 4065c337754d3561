"""The offline report: one self-contained HTML file (inline CSS, charts as inline SVG, no script and
nothing fetched) with the pairs, the open slots, every candidacy's reason, the reviewers' agreement.
"""

# It opens by double-click without a network and can be mailed. Every text from the form (names,
# reasons quoting an answer) goes through html.escape; every sentence comes from the catalogue.

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any, Final

from .cells import as_number
from .errors import OutputError
from .export.overview import file_label, file_name
from .files import atomic_path, check_output
from .i18n import code_label, label, long_date, number, sentence
from .i18n.wording import blocking_text, pair_value_text, replacement_text, unfilled_text, why_text
from .letters import (
    NOT_ELIGIBLE,
    SELECTED,
    SUPERSEDED,
    outcome_of,
    reasons_text,
)
from .schema import CANDIDATE_ID, COUNTRY, MUNICIPALITY, NAME_AS_WRITTEN, PARTNER, PROVINCE

_CSS: Final = """
body{font-family:Calibri,'Segoe UI',Arial,sans-serif;margin:2em auto;max-width:70em;color:#222;
line-height:1.4}
h1{color:#1f4e79}h2{color:#2e75b6;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0;width:100%}th,td{border:1px solid #bbb;padding:.25em .5em;
vertical-align:top;text-align:left}th{background:#deeaf6}td.n{text-align:right;white-space:nowrap}
tr.selected td{background:#e2f0d9}p.meta{color:#555;font-size:.9em}svg text{font-size:11px}
"""
# Colours of the pairings in the weight triangle, one per pairing, repeated beyond eight.
_COLOURS: Final = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f")


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _table(heads: Sequence[str], rows: Iterable[Sequence[object]], numeric: Iterable[int] = ()) -> str:
    right = set(numeric)
    out = ["<table><thead><tr>", *(f"<th>{_e(h)}</th>" for h in heads), "</tr></thead><tbody>"]
    for row in rows:
        cls = ""
        if row and row[-1] == "\0selected":
            row, cls = row[:-1], ' class="selected"'
        cells = "".join(
            f'<td class="n">{_e(v)}</td>' if i in right else f"<td>{_e(v)}</td>" for i, v in enumerate(row)
        )
        out.append(f"<tr{cls}>{cells}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _h2(section: str, lang: str) -> str:
    """A section's heading, with the id a reader (or a test) finds it by: report-pairs, ..."""
    return f'<h2 id="report-{section}">{_e(sentence(f"report_{section}", lang))}</h2>'


def _num(value: object, lang: str, decimals: int = 2) -> str:
    n = as_number(value)
    return number(n, lang, decimals) if n is not None else ""


def _name(cand: Mapping[str, Any]) -> str:
    return str(cand.get(MUNICIPALITY) or cand.get(NAME_AS_WRITTEN) or cand.get(CANDIDATE_ID) or "?")


def _bars(items: Sequence[tuple[str, float]], lang: str, *, low: float = 0.0, high: float = 1.0) -> str:
    """A horizontal bar chart as inline SVG: one labelled bar per item, the value written beside it."""
    width, row = 520, 22
    svg = [f'<svg role="img" width="{width}" height="{row * len(items) + 6}">']
    for i, (name, value) in enumerate(items):
        share = 0.0 if high <= low else max(0.0, min(1.0, (value - low) / (high - low)))
        y = i * row + 3
        svg.append(f'<text x="0" y="{y + 14}">{_e(name)}</text>')
        svg.append(f'<rect x="200" y="{y}" width="{share * 260:.1f}" height="16" fill="#4e79a7"/>')
        svg.append(f'<text x="{205 + share * 260:.1f}" y="{y + 13}">{_e(number(value, lang))}</text>')
    svg.append("</svg>")
    return "".join(svg)


def _triangle(robustness: Mapping[str, Any], lang: str) -> str:
    """The weight triangle of three criteria: each pairing's region as a polygon in barycentric
    coordinates, its weights and share in a tooltip (an SVG <title>, no script)."""
    weights = _mapping(robustness.get("weights"))
    keys = [str(k) for k in weights.get("criteria") or ()]
    if len(keys) != 3:
        return ""
    size, pad = 320.0, 30.0
    corners = (
        (pad, pad + size * math.sqrt(3) / 2),
        (pad + size, pad + size * math.sqrt(3) / 2),
        (pad + size / 2, pad),
    )

    def point(w: Sequence[float]) -> tuple[float, float]:
        total = sum(w) or 1.0
        x = sum(c[0] * v / total for c, v in zip(corners, w, strict=True))
        y = sum(c[1] * v / total for c, v in zip(corners, w, strict=True))
        return x, y

    height = pad * 2 + size * math.sqrt(3) / 2
    svg = [f'<svg role="img" width="{size + 2 * pad}" height="{height + 10}">']
    outline = " ".join(f"{x:.1f},{y:.1f}" for x, y in corners)
    svg.append(f'<polygon points="{outline}" fill="none" stroke="#888"/>')
    for i, pairing in enumerate(robustness.get("pairings") or ()):
        vertices = [v for v in pairing.get("vertices") or () if isinstance(v, list) and len(v) == 3]
        if len(vertices) < 3:
            continue
        pts = [point([float(x) for x in v]) for v in vertices]
        cx, cy = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
        pts.sort(key=lambda p: math.atan2(p[1] - cy, p[0] - cx))
        share = number(100 * float(pairing.get("share") or 0.0), lang, 0)
        tip = sentence("report_region", lang, id=pairing.get("id"), share=share)
        corner_weights = "; ".join(
            ", ".join(f"{label(k, lang)} {number(float(x), lang, 1)}" for k, x in zip(keys, v, strict=True))
            for v in vertices
        )
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        colour = _COLOURS[i % len(_COLOURS)]
        svg.append(
            f'<polygon points="{points}" fill="{colour}" fill-opacity="0.6" stroke="#fff">'
            f"<title>{_e(tip)}. {_e(corner_weights)}</title></polygon>"
        )
    for (x, y), key in zip(corners, keys, strict=True):
        svg.append(
            f'<text x="{x:.1f}" y="{y + (14 if y > pad else -8):.1f}" text-anchor="middle">'
            f"{_e(label(key, lang))}</text>"
        )
    chosen = weights.get("chosen")
    if isinstance(chosen, Mapping) and all(k in chosen for k in keys):
        x, y = point([float(chosen[k]) for k in keys])
        svg.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#000"/>')
    svg.append("</svg>")
    return "".join(svg)


def render_report(
    result: Mapping[str, Any], *, lang: str = "nl", robustness: Mapping[str, Any] | None = None
) -> str:
    """The whole report as one HTML document."""
    candidates = [c for c in result.get("candidates") or () if isinstance(c, Mapping)]
    known = {str(c.get(CANDIDATE_ID)): _name(c) for c in candidates if c.get("eligible")}
    explanations = {
        str(e.get(CANDIDATE_ID)): e for e in result.get("explanations") or () if isinstance(e, Mapping)
    }
    reserves = {str(r.get(CANDIDATE_ID)): r for r in result.get("reserves") or () if isinstance(r, Mapping)}
    manifest = _mapping(result.get("manifest"))
    title = sentence("report_title", lang)
    body = [f"<h1>{_e(title)}</h1>"]
    body.append(
        '<p class="meta">'
        + _e(
            sentence(
                "report_made",
                lang,
                created=long_date(str(manifest.get("created") or "")[:10], lang),
                status=label(str(result.get("status")), lang),
                value=_num(result.get("objective"), lang),
                sha=manifest.get("criteria_sha256") or "?",
            )
        )
        + "</p>"
    )
    # the pairs
    body.append(_h2("pairs", lang))
    rows = [
        [
            code_label(str(p.get(COUNTRY)), lang),
            p.get(PARTNER),
            p.get(MUNICIPALITY),
            p.get(PROVINCE),
            _num(p.get("value"), lang),
            pair_value_text(p["breakdown"], lang) if isinstance(p.get("breakdown"), Mapping) else "",
        ]
        for p in result.get("pairs") or ()
        if isinstance(p, Mapping)
    ]
    heads = [label(k, lang) for k in ("country", "partner", "municipality", "province", "value")]
    body.append(_table([*heads, label("report_value_terms", lang)], rows, numeric=[4]))
    # the open slots
    body.append(_h2("open", lang))
    gaps = [g for g in result.get("unfilled") or () if isinstance(g, Mapping)]
    if gaps:
        body.append(
            _table(
                [label("country", lang), label("open", lang), label("reason", lang)],
                [
                    [code_label(str(g.get(COUNTRY)), lang), g.get("slots"), unfilled_text(g, lang)]
                    for g in gaps
                ],
                numeric=[1],
            )
        )
    else:
        body.append(f"<p>{_e(sentence('report_open_none', lang))}</p>")
    # the reserves
    body.append(_h2("reserves", lang))
    body.append(
        _table(
            [
                label("country", lang),
                label("rank", lang),
                label("municipality", lang),
                label("value", lang),
                label("score_needed", lang),
                label("own_province", lang),
            ],
            [
                [
                    code_label(str(r.get(COUNTRY)), lang),
                    r.get("rank"),
                    r.get(MUNICIPALITY),
                    _num(r.get("value"), lang),
                    _num(r.get("score_needed"), lang),
                    label("yes" if r.get("own_province") else "no", lang) if "own_province" in r else "",
                ]
                for r in reserves.values()
            ],
            numeric=[1, 3, 4],
        )
    )
    # who takes a place when a selected candidate withdraws
    withdrawals = [w for w in result.get("replacements") or () if isinstance(w, Mapping)]
    if withdrawals:
        body.append(f"<h2>{_e(label('withdrawals', lang))}</h2>")
        partner_of = {str(p.get(CANDIDATE_ID)): p.get(PARTNER) for p in result.get("pairs") or ()}
        body.append(
            _table(
                [label("withdraws", lang), label("partner", lang), label("replacement", lang)],
                [
                    [
                        known.get(str(w.get(CANDIDATE_ID)), w.get(CANDIDATE_ID)),
                        partner_of.get(str(w.get(CANDIDATE_ID))) or w.get("vacated"),
                        replacement_text(w, known, lang),
                    ]
                    for w in withdrawals
                ],
            )
        )
    # every candidacy
    body.append(_h2("candidates", lang))
    shares: dict[str, float] = {}
    if robustness is not None:
        for c in robustness.get("candidates") or ():
            share = as_number(c.get("selection_share")) if isinstance(c, Mapping) else None
            if share is not None:
                shares[str(c.get(CANDIDATE_ID))] = share
    rows = []
    for cand in candidates:
        cid = str(cand.get(CANDIDATE_ID))
        counts = bool(cand.get("eligible"))
        exp = explanations.get(cid) if counts else None
        outcome = outcome_of(cand, exp, reserves.get(cid) if counts else None)
        if outcome == SUPERSEDED:
            why = reasons_text(cand, lang, superseded=True)
        elif outcome == NOT_ELIGIBLE:
            why = reasons_text(cand, lang, superseded=False)
        else:
            why = why_text(exp or {}, known, lang) or ""
        row: list[object] = [
            cand.get("submission_id"),
            _name(cand),
            cand.get(PROVINCE) or "",
            label(f"letter_outcome_{outcome}", lang),
            _num(cand.get("score"), lang),
            cand.get("rank") or "",
            why,
        ]
        if shares:
            row.insert(6, number(100 * shares[cid], lang, 0) if cid in shares and counts else "")
        if outcome == SELECTED:
            row.append("\0selected")
        rows.append(row)
    heads = [
        label("submission", lang),
        label("municipality", lang),
        label("province", lang),
        sentence("report_outcome", lang),
        label("score", lang),
        label("rank", lang),
        label("why", lang),
    ]
    if shares:
        heads.insert(6, sentence("report_share", lang))
    body.append(_table(heads, rows, numeric=[0, 4, 5, *([6] if shares else [])]))
    body.append(_agreement(result.get("reviews"), lang))
    if robustness is not None:
        body.append(_robustness(robustness, lang))
    stability = result.get("stability")
    if isinstance(stability, Mapping) and stability:
        from .pairing.stability_report import summary_line

        body.append(_h2("stability", lang))
        body.append(f"<p>{_e(summary_line(dict(stability), lang))}</p>")
        blocking = [b for b in stability.get("blocking_pairs") or () if isinstance(b, Mapping)]
        if blocking:
            body.append(
                _table(
                    [label("partner", lang), label("municipality", lang), label("why", lang)],
                    [
                        [
                            b.get(PARTNER),
                            known.get(str(b.get(CANDIDATE_ID)), b.get(CANDIDATE_ID)),
                            blocking_text(b, known, lang),
                        ]
                        for b in blocking
                    ],
                )
            )
    return (
        f'<!DOCTYPE html><html lang="{_e(lang)}"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>{''.join(body)}</body></html>\n"
    )


def _agreement(reviews: object, lang: str) -> str:
    out = [_h2("agreement", lang)]
    if not isinstance(reviews, Mapping) or not reviews.get("given"):
        out.append(f"<p>{_e(sentence('report_agreement_none', lang))}</p>")
        return "".join(out)
    labels = _mapping(reviews.get("labels"))
    agreement = _mapping(reviews.get("agreement"))
    reviewers = list(reviews.get("reviewers") or ())
    about = sentence("report_agreement_about", lang, ratings=reviews.get("ratings"), n=len(reviewers))
    out.append(f"<p>{_e(about)}</p>")
    items = [
        (file_label(str(k), str(labels.get(k, k)), lang), float(v))
        for k, v in agreement.items()
        if as_number(v) is not None
    ]
    if items:
        out.append(_bars(items, lang))
    disagreements = [d for d in reviews.get("disagreements") or () if isinstance(d, Mapping)]
    if disagreements:
        out.append(f"<p>{_e(sentence('report_disagreements', lang, threshold=reviews.get('threshold')))}</p>")
        out.append(
            _table(
                [label("municipality", lang), label("rubric", lang), *reviewers],
                [
                    [
                        d.get(MUNICIPALITY),
                        file_label(
                            str(d.get("item")), str(labels.get(str(d.get("item")), d.get("item"))), lang
                        ),
                        *[(d.get("ratings") or {}).get(r, "") for r in reviewers],
                    ]
                    for d in disagreements
                ],
            )
        )
    conflicts = [c for c in reviews.get("conflicts") or () if isinstance(c, Mapping)]
    if conflicts:
        out.append(
            f"<h3>{_e(label('conflicts_title', lang))}</h3><p>{_e(sentence('conflicts_note', lang))}</p>"
        )
        out.append(
            _table(
                [label(k, lang) for k in ("conflict_reviewer", "municipality", "conflict_declared")],
                [
                    [
                        c.get("reviewer"),
                        c.get(MUNICIPALITY) or c.get(CANDIDATE_ID),
                        label("conflict_declared_sheet", lang)
                        if c.get("declared") == "sheet"
                        else sentence(
                            "conflict_declared_committee",
                            lang,
                            file=file_name(c.get("source")),
                            row=c.get("row"),
                        ),
                    ]
                    for c in conflicts
                ],
            )
        )
    return "".join(out)


def _robustness(robustness: Mapping[str, Any], lang: str) -> str:
    out = [_h2("robustness", lang)]
    radius = as_number(robustness.get("radius"))
    out.append(
        "<p>"
        + _e(
            sentence("robustness_radius", lang, radius=number(radius, lang, 1))
            if radius is not None
            else sentence("robustness_radius_none", lang)
        )
        + "</p>"
    )
    triangle = _triangle(robustness, lang)
    if triangle:
        out.append(f"<p>{_e(sentence('report_triangle', lang))}</p>{triangle}")
    intervals = robustness.get("intervals")
    if isinstance(intervals, Mapping):
        out.append(
            _table(
                [
                    label("letter_criterion", lang),
                    label("report_weight_low", lang),
                    label("report_weight_high", lang),
                ],
                [
                    [label(str(k), lang), _num(v.get("low"), lang, 1), _num(v.get("high"), lang, 1)]
                    for k, v in intervals.items()
                    if isinstance(v, Mapping)
                ],
                numeric=[1, 2],
            )
        )
    return "".join(out)


def write_report(
    result: Mapping[str, Any],
    out: Path,
    *,
    lang: str = "nl",
    robustness: Mapping[str, Any] | None = None,
    inputs: Iterable[Path] = (),
) -> Path:
    """Write the report to `out` atomically; return the path."""
    text = render_report(result, lang=lang, robustness=robustness)
    with atomic_path(Path(out), inputs=inputs) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(out)


def check_report_path(out: Path, inputs: Iterable[Path] = ()) -> Path:
    """Refuse, before any work, a report path that is not .html or names an input or a folder."""
    check_output(Path(out), inputs)
    if Path(out).suffix.lower() not in (".html", ".htm"):
        raise OutputError(f"{out}: the report is an HTML file; give a name ending in .html")
    return Path(out)


def report_from_files(
    result_path: Path, out: Path, *, lang: str = "nl", robustness_path: Path | None = None
) -> Path:
    """Read a result (and a robustness analysis of it, or the one the result carries) and write the
    report."""
    from .letters import ROBUSTNESS_SCHEMA, embedded_robustness, read_json, read_result, robustness_of

    inputs = [p for p in (result_path, robustness_path) if p is not None]
    check_report_path(out, inputs)
    result = read_result(result_path)
    robustness = embedded_robustness(result)
    if robustness_path is not None:
        doc = read_json(robustness_path, schema=ROBUSTNESS_SCHEMA, what="robustness analysis")
        robustness = robustness_of(doc, result)
    return write_report(result, out, lang=lang, robustness=robustness, inputs=inputs)
