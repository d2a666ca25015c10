"""Template tags of the portfolio page."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def heat_cell(cell, strong=False) -> str:
    """One cell of the portfolio's heatmap: the level as colour and as text, and the score.

    A tag rather than an included template: the page has 3,000 of these at 500 cities, and an
    include costs more than all the rest of a row."""
    classes = f"text-center heat lvl-{cell.level or 0}" + (" fw-semibold" if strong else "")
    if not cell.level:
        return format_html('<td class="{}"><span aria-label="{}">—</span></td>', classes, _("not yet assessed"))
    return format_html(
        '<td class="{}"><span>L{}</span> <small>{}</small></td>', classes, cell.level, floatformat(cell.score, 0)
    )
