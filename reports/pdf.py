"""HTML to PDF with WeasyPrint, fetching nothing but the app's own static files and data: URIs."""

import gc
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

# Relative URLs in the report resolve against this base; only its /static/ part is served.
REPORT_BASE_URL = "https://report.invalid/"
PDF_VARIANT = "pdf/ua-1"  # tagged, accessible PDF (SPEC §6; see docs/performance.md for its cost)


class BlockedFetch(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    """Serves data: URIs and the app's static files; refuses every other URL (file://, http://, ...)."""

    def __init__(self):
        super().__init__(timeout=5, allow_redirects=False)
        self.blocked: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if f"{parts.scheme}://{parts.netloc}/" == REPORT_BASE_URL and parts.path.startswith(static_prefix):
            found = finders.find(unquote(parts.path[len(static_prefix) :]))
            if found:
                return super().fetch(Path(found).resolve().as_uri(), headers)
        self.blocked.append(url)
        raise BlockedFetch(f"the report may not load {url}")


@contextmanager
def cyclic_gc_paused():
    """Pause Python's cyclic garbage collector while WeasyPrint lays out and writes a report.

    One report allocates some 150,000 objects. With the default thresholds the collector ran
    about 130 times per report, each time walking every object alive, and took 0.15–0.3 s of a
    1.5–2 s report (docs/performance.md). Reference counting still frees nearly everything at
    once; the few cycles left are collected by the collector's next run after the report.
    The switch is process-wide: another thread rendering meanwhile also runs without the
    collector for that second, which costs memory (~30 MB at most), nothing else; the collector
    always ends switched on again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_per_thread = threading.local()


def font_configuration() -> FontConfiguration:
    """This thread's WeasyPrint font configuration, kept from one report to the next.

    A new one per report rebuilds Pango's font map and its caches, about 4 % of a report's work
    (docs/performance.md). Reports load no web fonts (only the system's, reports/fonts.py), so
    nothing of one report stays in it for the next. One per thread: Pango's objects are not thread-safe.
    """
    if not hasattr(_per_thread, "fonts"):
        _per_thread.fonts = FontConfiguration()
    return _per_thread.fonts


def render_pdf(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """The PDF of a complete HTML document; fonts come from fontconfig, subset and embedded."""
    with cyclic_gc_paused():
        document = HTML(string=html, base_url=REPORT_BASE_URL, url_fetcher=fetcher or StaticOnlyFetcher())
        return document.write_pdf(pdf_variant=PDF_VARIANT, font_config=font_configuration())
