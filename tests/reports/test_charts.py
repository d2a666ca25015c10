"""The SVG charts escape every label (they are inserted into the report without autoescaping)."""

import re

from reports.charts import bar_chart, radar_chart

EVIL = '<script>alert(1)</script>"><img src="file:///etc/passwd">'


def test_bar_chart_escapes_labels_and_marks_levels():
    svg = bar_chart([(EVIL, 62.5, 4), ("空维度", None, None)])
    assert "<script>" not in svg and "<img" not in svg and "&lt;script&gt;" in svg
    assert "62.5 · L4" in svg and "—" in svg


def test_bar_chart_draws_one_bar_per_scored_row_on_its_line():
    """Labels and values are HTML lines; the SVG has one row of BAR_ROW units per line, so bar i
    lies on line i whatever height the lines get."""
    chart = bar_chart([("S1 一网通办", 50.0, 3), ("S2 热线", None, None), ("S3 共享", 100.0, 5)])
    assert 'viewBox="0 0 100 30"' in chart and 'preserveAspectRatio="none"' in chart
    assert re.findall(r'<rect x="0" y="(\d+)" width="([\d.]+)"', chart) == [("2", "50.0"), ("22", "100.0")]
    assert "<text" not in chart  # SVG text is laid out letter by letter by WeasyPrint: keep it out
    assert '<div class="bar-labels">S1 一网通办<br>S2 热线<br>S3 共享</div>' in chart
    assert '<div class="bar-values">50.0 · L3<br>—<br>100.0 · L5</div>' in chart


def test_radar_chart_escapes_labels_and_draws_the_peer_median_dashed():
    svg = radar_chart(
        [EVIL, "治理", "产业", "设施"], [50, 60, None, 80], [40, 40, 40, 40], city_label=EVIL, peer_label="同类"
    )
    assert "<script>" not in svg and "<img" not in svg
    assert 'stroke-dasharray="6 4"' in svg and "—" in svg
    without_peers = radar_chart(["a", "b", "c"], [10, 20, 30], None)
    assert "stroke-dasharray" not in without_peers
