"""Bilingual model fields: `<name>_zh` is required, `<name>_en` may be empty."""

from django.utils.translation import get_language


def wants_english() -> bool:
    return (get_language() or "").startswith("en")


class Translated:
    """Descriptor giving `<name>_en` when English is active and set, else `<name>_zh`; or, for a
    field that was Chinese-only before it had a translation, the fields named: `Translated(zh="unit")`."""

    def __init__(self, *, zh: str = "", en: str = ""):
        self.zh, self.en = zh, en or (f"{zh}_en" if zh else "")

    def __set_name__(self, owner, name):
        self.zh = self.zh or f"{name}_zh"
        self.en = self.en or f"{name}_en"

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        if wants_english():
            english = getattr(obj, self.en)
            if english:
                return english
        return getattr(obj, self.zh)


def pick(texts: dict) -> str:
    """From a {"zh-hans": ..., "en": ...} mapping of a data file, the text in the active language."""
    if wants_english() and texts.get("en"):
        return texts["en"]
    return texts.get("zh-hans", "")
