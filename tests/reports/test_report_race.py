"""Two requests rendering the same report at once (two consultants, two servers): both get the
PDF, one is stored, no file is left behind."""

import threading

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import connections

from plans.models import PlanAdjustment
from reports import delivery
from reports.models import GeneratedReport
from tests.reports.test_report import submitted  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def own_report_storage(tmp_path):
    """Reports of this test in a folder of its own, so its files can be counted."""
    field = GeneratedReport._meta.get_field("file")
    kept, field.storage = field.storage, FileSystemStorage(location=tmp_path / "reports-storage")
    yield
    field.storage = kept


def render_twice_at_once(assessment, monkeypatch) -> list:
    """Call report_pdf from two threads whose renders overlap; return what each got."""
    barrier = threading.Barrier(2, timeout=60)
    real = delivery.render_pdf

    def overlapping(html):
        barrier.wait()  # both have read "no up-to-date report" and are rendering now
        return real(html)

    monkeypatch.setattr(delivery, "render_pdf", overlapping)
    results, errors = [None, None], []

    def run(index):
        try:
            results[index] = delivery.report_pdf(assessment, "en")
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return results


def report_files(assessment) -> list[str]:
    storage = GeneratedReport._meta.get_field("file").storage
    folder = f"reports/{assessment.pk}"
    return storage.listdir(folder)[1] if storage.exists(folder) else []


def test_two_first_renders_at_once_store_one_report(submitted, monkeypatch):  # noqa: F811
    a = submitted.assessment
    first, second = render_twice_at_once(a, monkeypatch)
    assert first.pk == second.pk == GeneratedReport.objects.get(assessment=a, language="en").pk
    assert first.file.read().startswith(b"%PDF")
    assert report_files(a) == [GeneratedReport.objects.get(assessment=a).file.name.rsplit("/", 1)[1]]


def test_two_renders_of_an_out_of_date_report_replace_it_once(submitted, monkeypatch):  # noqa: F811
    a = submitted.assessment
    old = delivery.report_pdf(a, "en")
    PlanAdjustment.objects.create(assessment=a, action_code="S-ONE-01", remark="先整合平台")
    first, second = render_twice_at_once(a, monkeypatch)
    current = GeneratedReport.objects.get(assessment=a, language="en")
    assert first.pk == second.pk == current.pk == old.pk
    assert current.fingerprint != old.fingerprint and current.file.name != old.file.name
    assert report_files(a) == [current.file.name.rsplit("/", 1)[1]]  # the old PDF and the loser's are gone
