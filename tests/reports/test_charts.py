"""The SVG charts escape every label (they are inserted into the report without autoescaping)."""

from reports.charts import bar_chart, radar_chart

EVIL = '<script>alert(1)</script>"><img src="file:///etc/passwd">'


def test_bar_chart_escapes_labels_and_marks_levels():
    svg = bar_chart([(EVIL, 62.5, 4), ("空维度", None, None)])
    assert "<script>" not in svg and "<img" not in svg and "&lt;script&gt;" in svg
    assert "62.5 · L4" in svg and "—" in svg


def test_radar_chart_escapes_labels_and_draws_the_peer_median_dashed():
    svg = radar_chart(
        [EVIL, "治理", "产业", "设施"], [50, 60, None, 80], [40, 40, 40, 40], city_label=EVIL, peer_label="同类"
    )
    assert "<script>" not in svg and "<img" not in svg
    assert 'stroke-dasharray="6 4"' in svg and "—" in svg
    without_peers = radar_chart(["a", "b", "c"], [10, 20, 30], None)
    assert "stroke-dasharray" not in without_peers
