"""The SVG charts escape every label (they are inserted into the report without autoescaping)."""

import re

from common.charts import bar_chart, radar_chart
from reports.fonts import report_font_stack

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
        [EVIL, "治理", "产业", "设施"],
        [50, 60, None, 80],
        [40, 40, 40, 40],
        city_label=EVIL,
        peer_label="同类",
        font_family=report_font_stack("zh-hans"),
    )
    assert "<script>" not in svg and "<img" not in svg
    assert 'stroke-dasharray="6 4"' in svg and "—" in svg
    without_peers = radar_chart(["a", "b", "c"], [10, 20, 30], None, font_family="sans-serif")
    assert "stroke-dasharray" not in without_peers


def test_radar_chart_sets_its_text_in_the_font_it_is_given_escaped():
    svg = radar_chart(["a", "b", "c"], [10, 20, 30], None, font_family='"Liberation Sans", sans-serif"><x')
    assert 'font-family="&quot;Liberation Sans&quot;, sans-serif&quot;&gt;&lt;x"' in svg


def test_bar_chart_labels_of_documented_length_fit_their_column_in_the_pdf(tmp_path):
    """docs/reports.md promises one-line labels of about 55 Latin or 28 Chinese characters: laid
    out without clipping, such labels are no wider than the label column (48 % of the chart)."""
    import subprocess

    from django.template.loader import render_to_string

    from reports.pdf import render_pdf

    chinese = "G4 基层治理与政务协同数据共享平台建设和应用成效评估"  # 28 characters
    latin = "G4 Grassroots governance and government collaboration!"  # 55 characters
    # The English stack: Latin labels in its Latin face, Chinese ones in the CJK font.
    report = {"font_stack": report_font_stack("en")}
    css = render_to_string("reports/report.css", {"report": report}) + render_to_string("reports/charts.css")
    unclipped = ".bar-labels { overflow: visible; text-overflow: clip; text-align: left; } body { margin: 0; }"
    chart = bar_chart([(chinese, 40.0, 3), (latin, 75.0, 4), ("G4 " + "很长" * 30, 60.0, 4)])
    head = f"<head><style>{css}{unclipped}</style></head>"
    html = f"<!doctype html><html lang='zh-hans'>{head}<body>{chart}</body></html>"
    pdf = tmp_path / "chart.pdf"
    pdf.write_bytes(render_pdf(html))
    boxes = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    lines = re.findall(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>\s*<word[^>]*>G4<', boxes.stdout)
    widths = [float(x_max) - float(x_min) for x_min, x_max in lines]
    column = 0.48 * (595.28 - 2 * 18 / 25.4 * 72)  # A4 less the report's 18 mm side margins
    assert len(widths) == 3
    assert widths[0] < column and widths[1] < column  # the documented lengths fit
    assert widths[2] > column  # and the measure can tell: 63 characters would not


def test_a_direction_without_a_score_is_left_out_of_the_shape_not_drawn_at_zero():
    svg = radar_chart(["a", "b", "c", "d"], [50, 60, None, 80], None, font_family="sans-serif")
    assert svg.count("<circle") == 3 and "—" in svg
    centre = 180.0
    shape = svg.split('<polygon points="')[-1].split('"')[0]
    assert all((float(x), float(y)) != (centre, centre) for x, y in (p.split(",") for p in shape.split()))
    assert "<circle" not in radar_chart(["a", "b", "c"], [None, None, None], None, font_family="sans-serif")
