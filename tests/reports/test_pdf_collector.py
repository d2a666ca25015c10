"""The cyclic garbage collector pauses while a report renders and is always switched on again."""

import gc

import pytest

from reports.pdf import cyclic_gc_paused, render_pdf


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
