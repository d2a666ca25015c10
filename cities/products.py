"""A city's specialty products in a few words (汉服, 马铃薯, 仡佬族文化旅游), each in Chinese and
English: stored as a list of {"zh-hans": ..., "en": ...} (the shape of every bilingual text of the
data files), edited in the admin as one product a line, "汉服 | Hanfu"."""

MAX_PRODUCTS = 8
MAX_ZH = 30
MAX_EN = 60
SEPARATOR = "|"


def product_problems(value) -> list[str]:
    """What is wrong with a list of products, each problem with its place ("[1].en: ..."); none if
    it is well formed."""
    if value is None:
        return []
    if not isinstance(value, list):
        return ["expected a list of products, each {zh-hans: ..., en: ...}"]
    problems = [] if len(value) <= MAX_PRODUCTS else [f"at most {MAX_PRODUCTS} products"]
    seen = set()
    for i, product in enumerate(value):
        if not isinstance(product, dict):
            problems.append(f"[{i}]: expected a mapping with zh-hans and en")
            continue
        problems += [f"[{i}].{key}: unknown key" for key in sorted(set(product) - {"zh-hans", "en"}, key=str)]
        zh, en = product.get("zh-hans"), product.get("en", "")
        if not isinstance(zh, str) or not zh.strip():
            problems.append(f"[{i}].zh-hans: is required")
        elif len(zh) > MAX_ZH or SEPARATOR in zh:
            problems.append(f"[{i}].zh-hans: at most {MAX_ZH} characters, without '{SEPARATOR}'")
        elif zh.strip() in seen:
            problems.append(f"[{i}].zh-hans: {zh.strip()} is named twice")
        else:
            seen.add(zh.strip())
        if en is not None and not isinstance(en, str):
            problems.append(f"[{i}].en: expected text")
        elif en and (len(en) > MAX_EN or SEPARATOR in en):
            problems.append(f"[{i}].en: at most {MAX_EN} characters, without '{SEPARATOR}'")
    return problems


def clean_products(value) -> list[dict]:
    """A well-formed list (see `product_problems`) with its texts stripped and "en" always present."""
    return [{"zh-hans": p["zh-hans"].strip(), "en": (p.get("en") or "").strip()} for p in value or []]


def products_from_lines(text: str) -> list[dict]:
    """ "汉服 | Hanfu" a line (the English part may be left out); blank lines are skipped."""
    products = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        zh, _sep, en = line.partition(SEPARATOR)
        products.append({"zh-hans": zh.strip(), "en": en.strip()})
    return products


def products_as_lines(products) -> str:
    return "\n".join(f"{p['zh-hans']} {SEPARATOR} {p['en']}" if p.get("en") else p["zh-hans"] for p in products or [])
