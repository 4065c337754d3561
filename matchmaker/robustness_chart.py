"""The weight triangle of a robustness analysis as a matplotlib figure: each pairing's region of the
plausible weights filled in its own colour, the chosen weights marked, a title and a labelled legend.

Three criteria are drawn in the plane of the first two weights (the third is the rest of the total,
its values as grey lines); two criteria as one line of the first weight. The shortlist's Robuustheid
sheet holds it as an image, the `robustness` notebook shows it.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from .i18n import number, sentence
from .i18n.wording import percent_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# A colour per pairing, in the order the analysis lists them (largest share first).
COLOURS: Final = (
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1",
    "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip
# Inches: the printed sheet shows the image at this size (96 pixels an inch), text at its own size.
WIDTH: Final = 9.4
HEIGHT: Final = 3.8
FONT_PT: Final = 11.0


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def pairing_label(pairing: Mapping[str, Any], lang: str) -> str:
    """ "Koppeling 2: 31%" (of the plausible weightings), with "(gekozen)" for the chosen weights' one."""
    share = percent_text(float(pairing.get("share") or 0.0), lang)
    text = sentence("chart_pairing", lang, id=pairing.get("id"), share=share)
    return f"{text} {sentence('chart_chosen_pairing', lang)}" if pairing.get("contains_chosen") else text


def triangle_figure(
    doc: Mapping[str, Any],
    lang: str = "nl",
    labels: Mapping[str, str] | None = None,
    *,
    figure: Figure | None = None,
) -> Figure | None:
    """The figure of a `matchmaker.robustness/1` document (or a result's robustness block), or None
    when its weights are not two or three criteria; drawn into `figure` when given (a notebook's
    `plt.figure()`, which it then shows)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Polygon

    weights = _mapping(doc.get("weights"))
    keys = [str(k) for k in weights.get("criteria") or ()]
    if len(keys) not in (2, 3):
        return None
    names = {k: (labels or {}).get(k, k) for k in keys}
    chosen_map = _mapping(weights.get("chosen"))
    chosen = [float(chosen_map.get(k) or 0.0) for k in keys]
    region = _mapping(weights.get("region"))
    total = float(region.get("total") or sum(chosen) or 100.0)
    bounds = _mapping(region.get("bounds"))
    pairings = [p for p in doc.get("pairings") or () if isinstance(p, Mapping)]

    fig = figure if figure is not None else Figure(figsize=(WIDTH, HEIGHT), dpi=150)
    ax = fig.add_axes((0.08, 0.15, 0.5, 0.74))
    ax.tick_params(labelsize=FONT_PT - 1)
    lows, highs = [], []
    for i, pairing in enumerate(pairings):
        vertices = [v for v in pairing.get("vertices") or () if isinstance(v, list) and len(v) == len(keys)]
        if not vertices:
            continue
        colour = COLOURS[i % len(COLOURS)]
        name = pairing_label(pairing, lang)
        if len(keys) == 3:
            pts = [(float(v[0]), float(v[1])) for v in vertices]
            cx, cy = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
            pts.sort(key=lambda p: math.atan2(p[1] - cy, p[0] - cx))
            ax.add_patch(Polygon(pts, closed=True, facecolor=colour, edgecolor="white", lw=1.2, label=name))
            lows.append((min(p[0] for p in pts), min(p[1] for p in pts)))
            highs.append((max(p[0] for p in pts), max(p[1] for p in pts)))
        else:
            xs = [float(v[0]) for v in vertices]
            ax.plot([min(xs), max(xs)], [0, 0], color=colour, lw=14, solid_capstyle="butt", label=name)
            lows.append((min(xs), 0.0))
            highs.append((max(xs), 0.0))
    mark = "/".join(number(w, lang, 0) for w in chosen)
    chosen_name = sentence("chart_chosen_weights", lang, weights=mark)
    if len(keys) == 3:
        ax.plot(chosen[0], chosen[1], "o", color="black", ms=7, label=chosen_name, zorder=5)
        x0 = min([p[0] for p in lows] + [chosen[0]])
        y0 = min([p[1] for p in lows] + [chosen[1]])
        x1 = max([p[0] for p in highs] + [chosen[0]])
        y1 = max([p[1] for p in highs] + [chosen[1]])
        pad = 0.06 * max(x1 - x0, y1 - y0, 1.0)
        ax.set_xlim(x0 - pad, x1 + pad)
        ax.set_ylim(y0 - pad, y1 + pad)
        _third_lines(ax, total, (x0 - pad, x1 + pad), (y0 - pad, y1 + pad), lang)
        ax.set_ylabel(sentence("chart_axis", lang, criterion=names[keys[1]]), fontsize=FONT_PT)
        third = names[keys[2]]
        fig.text(
            0.62,
            0.14,
            sentence("chart_third", lang, criterion=third, total=number(total, lang, 0)),
            fontsize=FONT_PT - 1,
            color="#555555",
            wrap=True,
        )
    else:
        ax.plot(chosen[0], 0, "o", color="black", ms=8, label=chosen_name, zorder=5)
        low, high = bounds.get(keys[0]) or (0.0, total)
        ax.set_xlim(float(low) - 1, float(high) + 1)
        ax.set_yticks([])
    ax.set_xlabel(sentence("chart_axis", lang, criterion=names[keys[0]]), fontsize=FONT_PT)
    ax.set_title(sentence("chart_title", lang), fontsize=FONT_PT + 1, loc="left")
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(1.04, 1.0),
        fontsize=FONT_PT - 1,
        frameon=False,
        title=sentence("chart_legend", lang),
        title_fontsize=FONT_PT,
        alignment="left",
    )
    return fig


def _third_lines(ax: Any, total: float, xs: Sequence[float], ys: Sequence[float], lang: str) -> None:
    """Grey lines where the third weight is a round number of points, labelled at their end."""
    top = total - xs[0] - ys[0]
    bottom = total - xs[1] - ys[1]
    step = 5.0 if top - bottom > 12 else 2.0 if top - bottom > 5 else 1.0
    value = max(0.0, math.ceil(bottom / step) * step)
    while value <= top:
        # x + y = total - value, clipped to the window
        s = total - value
        ax.plot([s - ys[0], s - ys[1]], [ys[0], ys[1]], color="#999999", lw=0.6, ls="--", zorder=0)
        x_end = min(xs[1], s - ys[0])
        y_end = s - x_end
        if ys[0] <= y_end <= ys[1]:
            ax.annotate(
                number(value, lang, 0),
                (x_end, y_end),
                xytext=(-2, 2),
                textcoords="offset points",
                fontsize=FONT_PT - 2,
                color="#777777",
                ha="right",
            )
        value += step


def triangle_png(
    doc: Mapping[str, Any], lang: str = "nl", labels: Mapping[str, str] | None = None
) -> bytes | None:
    """The figure as PNG bytes, or None (see `triangle_figure`)."""
    fig = triangle_figure(doc, lang, labels)
    if fig is None:
        return None
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=150)
    return out.getvalue()
