"""Charts drawn by Echo itself, as inline SVG: the geometry is computed here
and drawn by templates/growth/_chart.html.

No script and no style attribute (the Content-Security-Policy forbids both):
SVG presentation attributes such as fill, stroke and width are not CSS.
Each series is told apart without colour, by a marker shape and a dash
(lines) or a fill pattern (bars), and named in a legend; lines also carry
their name at their end. The numbers go in a table after the chart.
"""

import math

from django.utils.formats import date_format

WIDTH, HEIGHT = 720, 330
LEFT, TOP, BOTTOM = 48, 56, 44
# Lines carry their name at their right end; bars need no room there.
RIGHT = {"lines": 160, "bars": 16}
PLOT_H = HEIGHT - TOP - BOTTOM
INK, GRID = "#1d2526", "#cfd6d6"
CHAR_W = 7  # an estimate of the width of a character at font-size 12
LABEL_GAP = 15

STYLES = [
    {"colour": "#1f4044", "marker": "circle", "dash": "", "pattern": "solid"},
    {"colour": "#8a4b08", "marker": "square", "dash": "7 4", "pattern": "hatch"},
    {"colour": "#5b3f8c", "marker": "triangle", "dash": "2 3", "pattern": "dots"},
    {"colour": "#6b1414", "marker": "diamond", "dash": "10 3 2 3", "pattern": "cross"},
]


def _n(value):
    """A coordinate, short."""
    return f"{value:.1f}".removesuffix(".0")


def marker(shape, x, y, r=4.5):
    """An SVG path for a marker centred on (x, y)."""
    if shape == "circle":
        return (
            f"M{_n(x - r)},{_n(y)} a{_n(r)},{_n(r)} 0 1,0 {_n(2 * r)},0 "
            f"a{_n(r)},{_n(r)} 0 1,0 {_n(-2 * r)},0 Z"
        )
    if shape == "square":
        r *= 0.85
        return f"M{_n(x - r)},{_n(y - r)} h{_n(2 * r)} v{_n(2 * r)} h{_n(-2 * r)} Z"
    if shape == "triangle":
        return (
            f"M{_n(x)},{_n(y - r - 1)} L{_n(x + r + 1)},{_n(y + r)} L{_n(x - r - 1)},{_n(y + r)} Z"
        )
    r += 1
    return f"M{_n(x)},{_n(y - r)} L{_n(x + r)},{_n(y)} L{_n(x)},{_n(y + r)} L{_n(x - r)},{_n(y)} Z"


def scale(highest):
    """A round top for the value axis and its step: 0, step, ... top."""
    if not highest or highest <= 0:
        return 4, 1
    raw = highest / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, round(step))
    return step * math.ceil(highest / step), step


class Chart:
    """A chart over months: `series` is a list of (name, values), one value
    (or None) per month."""

    def __init__(self, key, kind, title, desc, months, series):
        self.key, self.kind, self.title, self.desc = key, kind, title, desc
        self.width, self.height = WIDTH, HEIGHT
        self.months = months
        self.names = [name for name, _ in series]
        self.values = [values for _, values in series]
        known = [v for values in self.values for v in values if v is not None]
        self.top, step = scale(max(known, default=0))
        plot_w = WIDTH - LEFT - RIGHT[kind]
        self.band = plot_w / max(len(months), 1)
        self.grid = [{"y": _n(self._y(v)), "label": v} for v in range(0, self.top + step, step)]
        self.axis_y = _n(TOP + PLOT_H)
        self.left, self.right, self.tick_x = LEFT, LEFT + plot_w, LEFT - 6
        self.x_labels = self._x_labels()
        self.legend = self._legend()
        self.patterns = []
        if kind == "bars":
            self.series = self._bars()
        else:
            self.series = self._lines()
        self.table = {
            "caption": title,
            "headers": self.names,
            "rows": [
                (date_format(month, "F Y"), ["–" if v is None else v for v in row])
                for month, row in zip(months, zip(*self.values, strict=True), strict=True)
            ],
        }

    def _x(self, index):
        return LEFT + self.band * (index + 0.5)

    def _y(self, value):
        return TOP + PLOT_H - PLOT_H * value / self.top

    def _x_labels(self):
        every = 1 if len(self.months) <= 12 else 2
        labels = []
        for index, month in enumerate(self.months):
            if index % every:
                continue
            labels.append(
                {
                    "x": _n(self._x(index)),
                    "month": date_format(month, "M"),
                    "year": date_format(month, "Y") if index == 0 or month.month == 1 else "",
                }
            )
        return labels

    def _legend(self):
        items, x, y = [], LEFT, 18
        for index, name in enumerate(self.names):
            width = 34 + CHAR_W * len(str(name))
            if x + width > WIDTH and x > LEFT:
                x, y = LEFT, y + 20
            style = STYLES[index]
            items.append(
                {
                    "name": name,
                    "x": _n(x),
                    "y": _n(y),
                    "text_x": _n(x + 28),
                    "text_y": _n(y + 4),
                    "line": f"M{_n(x)},{_n(y)} h22",
                    "marker_path": marker(style["marker"], x + 11, y),
                    "swatch": {"x": _n(x), "y": _n(y - 7), "fill": self._fill(index)},
                    **style,
                }
            )
            x += width + 16
        return items

    def _fill(self, index):
        style = STYLES[index]
        if style["pattern"] == "solid":
            return style["colour"]
        return f"url(#{self.key}-{style['pattern']})"

    def _bars(self):
        count = len(self.names)
        width = self.band * 0.8 / count
        for index in range(count):
            style = STYLES[index]
            if style["pattern"] != "solid":
                self.patterns.append(
                    {
                        "id": f"{self.key}-{style['pattern']}",
                        "kind": style["pattern"],
                        "colour": style["colour"],
                    }
                )
        series = []
        for index, values in enumerate(self.values):
            bars = []
            for month_index, value in enumerate(values):
                if value is None:
                    continue
                x = LEFT + self.band * (month_index + 0.1) + width * index
                y = self._y(value)
                bars.append(
                    {
                        "x": _n(x),
                        "y": _n(y),
                        "width": _n(width),
                        "height": _n(TOP + PLOT_H - y),
                        "value": value,
                        # A number over each bar where there is room for it.
                        "label_x": _n(x + width / 2) if width >= 16 else None,
                        "label_y": _n(y - 4),
                    }
                )
            series.append(
                {
                    "name": self.names[index],
                    "fill": self._fill(index),
                    "bars": bars,
                    **STYLES[index],
                }
            )
        return series

    def _lines(self):
        series, ends = [], []
        for index, values in enumerate(self.values):
            style = STYLES[index]
            segments, current, markers, last = [], [], [], None
            for month_index, value in enumerate(values):
                if value is None:
                    if current:
                        segments.append(" ".join(current))
                    current = []
                    continue
                x, y = self._x(month_index), self._y(value)
                current.append(f"{_n(x)},{_n(y)}")
                markers.append(marker(style["marker"], x, y))
                last = (x, y, value)
            if current:
                segments.append(" ".join(current))
            item = {"name": self.names[index], "segments": segments, "markers": markers, **style}
            if last:
                item["label"] = {"x": last[0] + 10, "y": last[1] + 4, "value": last[2]}
                ends.append(item["label"])
            series.append(item)
        # Direct labels at the ends of the lines must not overlap.
        ends.sort(key=lambda label: label["y"])
        for before, after in zip(ends, ends[1:], strict=False):
            after["y"] = max(after["y"], before["y"] + LABEL_GAP)
        for label in ends:
            label["x"], label["y"] = _n(label["x"]), _n(label["y"])
        return series


def line_chart(key, title, desc, months, series):
    return Chart(key, "lines", title, desc, months, series)


def bar_chart(key, title, desc, months, series):
    return Chart(key, "bars", title, desc, months, series)
