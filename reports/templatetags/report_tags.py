from django import template

register = template.Library()


@register.filter
def level(value) -> str:
    """A maturity level as shown in reports: "L3", or "—" when there is none."""
    return f"L{value}" if value else "—"
