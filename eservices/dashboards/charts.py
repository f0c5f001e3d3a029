"""Bar charts drawn on the server as accessible SVG: a title and a description read by screen readers, values
written on the bars, one dark grey series and a dashed target line, so that a chart reads in greyscale and
without any script. Each chart is shown beside the table of its data."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 24, 56


@dataclass
class Bar:
    label: str
    value: float | None


def _number(value: float, decimals: int = 1) -> str:
    return number_format(round(value, decimals), decimal_pos=decimals if value % 1 else 0)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: list[Bar],
    unit: str = "",
    maximum: float | None = None,
    target: float | None = None,
    target_label: str = "",
) -> SafeString:
    """An SVG bar chart; ``maximum`` fixes the scale (100 for shares), ``target`` draws a dashed line. The SVG is
    rendered by a template, so every text in it is escaped."""
    values = [bar.value for bar in bars if bar.value is not None]
    top = maximum or max([*values, target or 0, 1]) * 1.15
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_height
    step = plot_width / max(len(bars), 1)
    bar_width = min(step * 0.6, 60)
    drawn = []
    for index, bar in enumerate(bars):
        x = LEFT + index * step + (step - bar_width) / 2
        item = {"x": f"{x:.1f}", "middle": f"{x + bar_width / 2:.1f}", "label": bar.label[:14], "value": None}
        if bar.value is not None:
            height = plot_height * min(bar.value, top) / top
            item.update(
                value=f"{_number(bar.value)}{unit}",
                y=f"{base - height:.1f}",
                height=f"{height:.1f}",
                value_y=f"{base - height - 4:.1f}",
            )
        drawn.append(item)
    target_y = None if target is None else f"{base - plot_height * min(target, top) / top:.1f}"
    return render_to_string(
        "dashboards/chart.svg",
        {
            "id": chart_id,
            "title": title,
            "description": description,
            "width": WIDTH,
            "height": HEIGHT,
            "left": LEFT,
            "right_edge": WIDTH - RIGHT,
            "top": TOP,
            "base": base,
            "axis_label_x": LEFT - 6,
            "top_label": f"{_number(top, 0)}{unit}",
            "top_label_y": TOP + 4,
            "label_y": base + 16,
            "empty_y": base - 4,
            "bar_width": f"{bar_width:.1f}",
            "bars": drawn,
            "target_y": target_y,
            "target_label": target_label,
            "legend_y": HEIGHT - 8,
        },
    )
