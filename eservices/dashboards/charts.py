"""Bar charts drawn on the server as accessible SVG: a title and a description read by screen readers, values
written on the bars, one dark grey series and a dashed target line, so that a chart reads in greyscale and
without any script. Each chart is shown beside the table of its data."""

from dataclasses import dataclass
from html import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

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
    """An SVG bar chart; ``maximum`` fixes the scale (100 for shares), ``target`` draws a dashed line."""
    values = [bar.value for bar in bars if bar.value is not None]
    top = maximum or max([*values, target or 0, 1]) * 1.15
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(bars), 1)
    bar_width = min(step * 0.6, 60)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<line x1="{LEFT}" y1="{TOP + plot_height}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_height}" stroke="#000"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_height}" stroke="#000"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end" font-size="12" fill="#000">'
        f"{escape(_number(top, 0))}{escape(unit)}</text>",
        f'<text x="{LEFT - 6}" y="{TOP + plot_height}" text-anchor="end" font-size="12" fill="#000">0</text>',
    ]
    for index, bar in enumerate(bars):
        x = LEFT + index * step + (step - bar_width) / 2
        label_x = x + bar_width / 2
        if bar.value is None:
            parts.append(
                f'<text x="{label_x:.1f}" y="{TOP + plot_height - 4}" text-anchor="middle" font-size="12" '
                f'fill="#000">–</text>'
            )
        else:
            height = plot_height * min(bar.value, top) / top
            y = TOP + plot_height - height
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_width:.1f}" height="{height:.1f}" fill="#4d4d4d" '
                f'stroke="#000"/>'
            )
            parts.append(
                f'<text x="{label_x:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="12" fill="#000">'
                f"{escape(_number(bar.value))}{escape(unit)}</text>"
            )
        parts.append(
            f'<text x="{label_x:.1f}" y="{TOP + plot_height + 16}" text-anchor="middle" font-size="11" '
            f'fill="#000">{escape(bar.label[:14])}</text>'
        )
    if target is not None:
        y = TOP + plot_height - plot_height * min(target, top) / top
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#000" stroke-width="2" '
            f'stroke-dasharray="8 4"/>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end" font-size="12" fill="#000">'
            f"- - - {escape(target_label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
