"""Money as the reader reads it: amounts are kept in 10,000 CNY (万元) and shown with their unit
(the plan page, the report and its PDF, the city page)."""

from django.utils.translation import gettext as _

from common.bilingual import wants_english


def money(value: float | None) -> str:
    """ "1,250万元" in Chinese, "CNY 12.5 million" in English; "—" for no amount."""
    if value is None:
        return "—"
    if wants_english():
        if abs(float(value)) < 10:  # under CNY 100,000 "0.0 million" would read as nothing
            return _("CNY %(amount)s") % {"amount": f"{float(value) * 10000:,.0f}"}
        millions = float(value) / 100
        return _("CNY %(amount)s million") % {"amount": f"{millions:,.1f}" if millions < 100 else f"{millions:,.0f}"}
    return _("%(amount)s 10,000 CNY") % {"amount": f"{float(value):,.0f}"}


def money_range(low: float, high: float) -> str:
    """ "80–200万元" / "CNY 0.8–2.0 million"."""
    if wants_english():
        return _("CNY %(low)s–%(high)s million") % {"low": f"{low / 100:,.1f}", "high": f"{high / 100:,.1f}"}
    return _("%(low)s–%(high)s 10,000 CNY") % {"low": f"{low:,.0f}", "high": f"{high:,.0f}"}
