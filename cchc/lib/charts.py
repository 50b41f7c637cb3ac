"""Charts drawn on the server with matplotlib (Agg, no display needed).

One function per chart kind; each returns SVG text for a web page or PNG
bytes for Word, Excel and PDF reports, from the same drawing code, so that a
figure looks the same on screen and in print. Numbers use the Vietnamese
thousands separator (1.234.567). Figures are built with the object API (no
pyplot global state), which is safe in threaded servers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from typing import Literal

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402 - after choosing the backend
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from cchc.lib.formats import integer_vi  # noqa: E402

Format = Literal["svg", "png"]

# Colours of the portal's stylesheet, distinguishable with common colour
# blindness; series also differ by marker and line style.
PALETTE = ["#b3261e", "#1d4e89", "#2e7d32", "#8d6e00", "#6a1b9a"]
STYLES = ["-", "--", "-.", ":", "-"]
MARKERS = ["o", "s", "^", "D", "v"]

_RC = {
    "font.family": "DejaVu Sans",  # has every Vietnamese glyph
    "font.size": 9,
    "svg.fonttype": "none",  # text stays text in SVG: smaller, selectable
    "svg.hashsalt": "cchc",  # stable ids, so the same data gives the same SVG
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def line_chart(
    *,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    title: str = "",
    ylabel: str = "",
    fmt: Format = "svg",
    size: tuple[float, float] = (8.0, 3.0),
) -> str | bytes:
    """Lines over categorical x labels (e.g. days dd/mm)."""
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=size, dpi=100)
        ax = fig.add_subplot()
        x = range(len(labels))
        for i, (name, values) in enumerate(series):
            ax.plot(
                x,
                list(values),
                label=name,
                color=PALETTE[i % len(PALETTE)],
                linestyle=STYLES[i % len(STYLES)],
                marker=MARKERS[i % len(MARKERS)] if len(labels) <= 62 else None,
                markersize=3,
                linewidth=1.6,
            )
        _axes(ax, labels, title, ylabel)
        if len(series) > 1:
            _legend(ax, len(series))
        return _render(fig, fmt)


def bar_chart(
    *,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    title: str = "",
    ylabel: str = "",
    fmt: Format = "svg",
    size: tuple[float, float] = (8.0, 3.0),
    value_labels: Callable[[float], str] | None = None,
) -> str | bytes:
    """Grouped vertical bars (e.g. visits per month, scores per unit).

    ``value_labels`` (e.g. ``decimal_vi``) writes each bar's value above it, as
    printed reports do, so the figure can be read without its table.
    """
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=size, dpi=100)
        ax = fig.add_subplot()
        count = max(len(series), 1)
        width = 0.8 / count
        for i, (name, values) in enumerate(series):
            offset = (i - (count - 1) / 2) * width
            bars = ax.bar(
                [k + offset for k in range(len(labels))],
                list(values),
                width=width,
                label=name,
                color=PALETTE[i % len(PALETTE)],
                hatch=None if i == 0 else "//",
                edgecolor="white",
            )
            if value_labels:
                ax.bar_label(
                    bars,
                    labels=[value_labels(v) for v in values],
                    fontsize=6.5,
                    padding=1.5,
                    rotation=90 if count * len(labels) > 12 else 0,
                )
        _axes(ax, labels, title, ylabel)
        if value_labels:  # room above the tallest bar for its label
            ax.set_ylim(top=ax.get_ylim()[1] * 1.12)
        if len(series) > 1:
            _legend(ax, len(series))
        return _render(fig, fmt)


def _legend(ax, count: int) -> None:
    # Above the plot, so it never hides a peak; on the right, clear of the title.
    ax.legend(
        loc="lower right", bbox_to_anchor=(1.0, 1.0), frameon=False, ncols=count, borderaxespad=0.2
    )


def _axes(ax, labels: Sequence[str], title: str, ylabel: str) -> None:
    step = max(1, len(labels) // 15)
    ax.set_xticks(range(0, len(labels), step), [labels[i] for i in range(0, len(labels), step)])
    ax.tick_params(axis="x", labelrotation=45 if len(labels) > 12 else 0)
    if any("\n" in label for label in labels):  # wrapped names: smaller, to fit side by side
        ax.tick_params(axis="x", labelsize=7.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: integer_vi(int(v))))
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    if title:
        ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
    if ylabel:
        ax.set_ylabel(ylabel)


_SVG_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)


def _render(fig: Figure, fmt: Format) -> str | bytes:
    fig.tight_layout()
    buffer = io.BytesIO()
    if fmt == "png":
        fig.savefig(buffer, format="png", dpi=150)
        return buffer.getvalue()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    # Drop the XML declaration and doctype so the SVG can be inlined in HTML.
    return _SVG_PROLOGUE.sub("", buffer.getvalue().decode("utf-8"), count=1)
