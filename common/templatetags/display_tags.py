"""Template filters every page and report uses: levels, amounts with their unit, bilingual data texts."""

from django import template

from common import money as amounts
from common.bilingual import pick

register = template.Library()


@register.filter
def level(value) -> str:
    """A maturity level as shown in reports: "L3", or "—" when there is none."""
    return f"L{value}" if value else "—"


@register.filter
def money(value) -> str:
    """An amount in 10,000 CNY with its unit, in the active language (common.money)."""
    return amounts.money(value)


@register.simple_tag
def money_range(low, high) -> str:
    return amounts.money_range(low, high)


@register.filter
def bilingual(texts) -> str:
    """A {"zh-hans": ..., "en": ...} text of a data file in the active language."""
    return pick(texts or {})
