"""How reports are rendered: the cyclic garbage collector pauses and is always switched on again;
each thread keeps one font configuration across reports, and one report leaves nothing in the next."""

import gc
import subprocess
import threading

import pytest

from reports.pdf import cyclic_gc_paused, font_configuration, render_pdf


def test_the_collector_is_paused_inside_and_enabled_again_after_an_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("layout failed")
    assert gc.isenabled()


def test_a_collector_switched_off_by_someone_else_stays_off():
    gc.disable()
    try:
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_render_pdf_leaves_the_collector_on():
    data = render_pdf("<!doctype html><html lang='zh-hans'><body><p>昆山市</p></body></html>")
    assert data.startswith(b"%PDF") and gc.isenabled()


def test_each_thread_keeps_one_font_configuration():
    mine = font_configuration()
    assert font_configuration() is mine
    other = []
    thread = threading.Thread(target=lambda: other.append(font_configuration()))
    thread.start()
    thread.join()
    assert other[0] is not mine


def test_reports_rendered_one_after_another_carry_only_their_own_text_and_fonts(tmp_path):
    def text_and_fonts(body):
        pdf = tmp_path / "r.pdf"
        pdf.write_bytes(render_pdf(f"<!doctype html><html lang='zh-hans'><body><p>{body}</p></body></html>"))
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        return text, fonts

    first, first_fonts = text_and_fonts("昆山市 Kunshan")
    second, second_fonts = text_and_fonts("定西市 Dingxi")
    assert "昆山市" in first and "定西市" in second and "昆山市" not in second
    assert "CJK" in first_fonts and "CJK" in second_fonts
