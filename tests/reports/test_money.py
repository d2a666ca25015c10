"""Amounts read naturally in both languages, small ones included."""

from django.utils import translation

from common.money import money


def test_small_amounts_are_not_rounded_to_nothing_in_english():
    with translation.override("en"):
        assert money(5) == "CNY 50,000"
        assert money(0.5) == "CNY 5,000"
        assert money(58) == "CNY 0.6 million"
        assert money(20000) == "CNY 200 million"
        assert money(0) == "CNY 0"


def test_chinese_amounts_stay_in_10000_cny():
    with translation.override("zh-hans"):
        assert money(5) == "5万元"
        assert money(5800) == "5,800万元"
