"""The maturity report: PDF read back, safe rendering, stored reports, peers, permissions, bulk."""

import io
import shutil
import subprocess
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessment.answering import save_answer
from assessment.lifecycle import submit_assessment
from assessment.models import Assessment
from plans.catalogue_file import import_catalogue
from plans.models import PlanAdjustment
from reports import delivery
from reports.models import GeneratedReport, ReportJob
from reports.pdf import StaticOnlyFetcher, render_pdf
from reports.report_data import peer_comparison
from tests.assessment.answering_helpers import make_team, question
from tests.factories import make_city
from tests.plans.test_catalogue_and_plan import SMALL

pytestmark = pytest.mark.django_db

INJECTION = '<img src="file:///etc/passwd"><script>alert(1)</script><b>粗体</b> file:///etc/passwd'


@pytest.fixture
def submitted(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    team = make_team()
    import_catalogue(SMALL)
    a = team.assessment
    a.city.digital_budget = 100
    a.city.save()
    for code, values in {
        "S1.1": {"level": 2},
        "S1.2": {"number": 72.5},
        "G1.1": {"items": ["a"]},
        "G1.2": {"yes": False},
        "I1.1": {"number": 1.45},
    }.items():
        save_answer(
            assessment=a,
            question=question(a, code),
            values={**values, "comment": INJECTION},
            base_revision=0,
            user=team.services,
        )
    team.assessment = submit_assessment(a, user=team.coordinator)
    return team


def pdf_text(data: bytes) -> str:
    """The PDF's text; line breaks inside Chinese runs are dropped so phrases can be found whole."""
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return text + "\n" + "".join(text.split())


def pdf_tool(tool: str, data: bytes, tmp_path, *args) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run([tool, *args, str(path)], capture_output=True, check=True, text=True).stdout


def test_the_pdf_reads_back_in_both_languages(submitted, tmp_path):
    a = submitted.assessment
    chinese = delivery.report_pdf(a, "zh-hans").file.read()
    text = pdf_text(chinese)
    assert "昆山市" in text and "摘要" in text and "集成" in text or "发展" in text
    assert "四个方向" in text and "附录：评分方法" in text
    english = delivery.report_pdf(a, "en").file.read()
    text = pdf_text(english)
    assert "Kunshan" in text and "Executive summary" in text and "The four directions" in text
    assert "L3 Integrated" in text or "L4 Optimising" in text or "L2 Developing" in text
    fonts = pdf_tool("pdffonts", chinese, tmp_path)
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes yes yes " in f" {' '.join(line.split()[-5:-2])} " for line in cjk), fonts
    assert all("+" in line.split()[0] for line in cjk)  # subset fonts carry a XXXXXX+ prefix
    outline = pdf_tool("pdftohtml", chinese, tmp_path, "-xml", "-i", "-stdout", "-q")
    assert "<outline>" in outline and "摘要" in outline.split("<outline>", 1)[1]
    info = pdf_tool("pdfinfo", chinese, tmp_path)
    assert "Tagged:          yes" in info and "A4" in info


def test_the_english_pdf_sets_latin_text_in_a_latin_face_and_quoted_chinese_in_the_cjk_font(submitted, tmp_path):
    a = submitted.assessment
    english = delivery.report_pdf(a, "en").file.read()
    fonts = pdf_tool("pdffonts", english, tmp_path).splitlines()[2:]
    assert [line.split()[0].split("+")[1] for line in fonts] == ["Liberation-Sans", "Noto-Sans-CJK-SC"], fonts
    assert all(" yes yes yes " in f" {' '.join(line.split()[-5:-2])} " for line in fonts), fonts
    text = pdf_text(english)
    assert "Kunshan" in text and "粗体" in text  # a comment's Chinese prints and copies out
    chinese = delivery.report_pdf(a, "zh-hans").file.read()
    assert "Liberation" not in pdf_tool("pdffonts", chinese, tmp_path)


def test_ranked_lists_number_their_items_as_text(submitted):
    """The PDF draws no list markers (each costs WeasyPrint a positioned box), so ordered lists
    write their numbers: 1, 2, 3 … in every phase of the roadmap and in the first priorities."""
    import re

    from reports.delivery import render_report_html
    from reports.report_data import build_report

    report = build_report(submitted.assessment, language="en")
    html = render_report_html(report, for_pdf=True)
    lists = re.findall(r'<ol class="[^"]*ranked[^"]*">(.*?)</ol>', html, re.S)
    phases = [phase for phase in report.phases if phase.items]
    assert report.first_priorities and phases and len(lists) == 1 + len(phases)
    for items in lists:
        ranks = re.findall(r'<span class="rank">(\d+)\.</span>', items)
        assert ranks == [str(n) for n in range(1, len(ranks) + 1)] and ranks
    title = report.first_priorities[0].action.title
    text = pdf_text(render_pdf(html))
    assert f"1. {title}" in text
    assert not re.search(r"\b(\d+)\. \1\. ", text)  # no list marker before the written number


def test_user_text_is_escaped_and_the_renderer_fetches_no_local_file(submitted):
    from reports.delivery import render_report_html
    from reports.report_data import build_report

    html = render_report_html(build_report(submitted.assessment, language="en"), for_pdf=True)
    assert "<script>alert(1)</script>" not in html and '<img src="file:///etc/passwd">' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    fetcher = StaticOnlyFetcher()
    render_pdf(html, fetcher=fetcher)
    assert fetcher.blocked == []  # escaped text asks for nothing


def test_direction_sections_list_the_three_best_strengths_and_three_worst_gaps(submitted):
    from reports.report_data import GAP_SCORE, LIST_LENGTH, STRENGTH_SCORE, build_report

    report = build_report(submitted.assessment, language="en")
    question_scores = submitted.assessment.stored_scores["question_scores"]
    assert LIST_LENGTH == 3 and report.sections
    assert any(section.strengths for section in report.sections) and any(section.gaps for section in report.sections)
    for section in report.sections:
        strengths = [question_scores[row.question.code] for row in section.strengths]
        gaps = [question_scores[row.question.code] for row in section.gaps]
        assert len(strengths) <= 3 and len(gaps) <= 3
        assert all(s >= STRENGTH_SCORE for s in strengths) and strengths == sorted(strengths, reverse=True)
        assert all(s <= GAP_SCORE for s in gaps) and gaps == sorted(gaps)


def test_the_fetcher_refuses_local_files_and_the_network_but_serves_static_and_data():
    fetcher = StaticOnlyFetcher()
    html = (
        '<html><body><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        '<link rel="stylesheet" href="/static/css/app.css"><img src="data:image/gif;base64,'
        'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7">passwd-test</body></html>'
    )
    pdf = render_pdf(html, fetcher=fetcher)
    assert fetcher.blocked == ["file:///etc/passwd", "http://127.0.0.1:9/x.png"]
    assert "root:" not in pdf_text(pdf)


def test_a_stored_report_is_reused_and_remade_when_a_remark_changes(submitted, monkeypatch):
    a = submitted.assessment
    renders = []
    real = delivery.render_pdf
    monkeypatch.setattr(delivery, "render_pdf", lambda html: renders.append(1) or real(html))
    first = delivery.report_pdf(a, "en")
    assert delivery.report_pdf(a, "en").fingerprint == first.fingerprint and len(renders) == 1
    PlanAdjustment.objects.create(assessment=a, action_code="S-ONE-01", remark="请先完成平台整合")
    second = delivery.report_pdf(a, "en")
    assert len(renders) == 2 and second.fingerprint != first.fingerprint
    assert "请先完成平台整合" in pdf_text(second.file.read())
    delivery.report_pdf(a, "zh-hans")
    assert len(renders) == 3  # another language is another report
    assert GeneratedReport.objects.filter(assessment=a).count() == 2


def test_peer_comparison_is_hidden_below_five_peers_and_shown_from_five(submitted):
    a = submitted.assessment
    assert peer_comparison(a).shown is False
    version = a.version
    for i in range(5):
        city = make_city(name=f"同类市{i}", province="zhejiang", level="county_city")
        peer = Assessment.objects.create(city=city, version=version, year=2026)
        save_answer(
            assessment=peer, question=question(peer, "S1.1"), values={"level": 1 + i}, base_revision=0, user=None
        )
        submit_assessment(peer)
        if i == 3:
            assert peer_comparison(a).shown is False  # four peers: still hidden
    comparison = peer_comparison(a)
    assert comparison.shown and comparison.count == 5
    assert comparison.medians["services"] == 50.0  # levels 1..5 → 0, 25, 50, 75, 100


ROLES = {
    "coordinator": 200,
    "services": 200,
    "consultant": 200,
    "admin": 200,
    "other_official": 404,
    "other_consultant": 404,
    "stranger": 404,
}


@pytest.mark.parametrize("role", list(ROLES))
def test_report_urls_for_every_role(client, submitted, role, monkeypatch):
    monkeypatch.setattr(delivery, "render_pdf", lambda html: b"%PDF-1.7 test")
    client.force_login(getattr(submitted, role))
    a = submitted.assessment
    assert client.get(reverse("assessment_report", args=[a.pk])).status_code == ROLES[role]
    response = client.get(reverse("assessment_report_pdf", args=[a.pk]) + "?lang=en")
    assert response.status_code == ROLES[role]
    if ROLES[role] == 200:
        assert response["Content-Type"] == "application/pdf"
        assert "Kunshan-2026-digital-maturity-report.pdf" in response["Content-Disposition"]


def test_a_draft_has_no_report_yet(client, submitted):
    from assessment.lifecycle import reopen_assessment

    reopen_assessment(assessment=submitted.assessment, user=submitted.consultant, reason="复核")
    client.force_login(submitted.consultant)
    assert client.get(reverse("assessment_report_pdf", args=[submitted.assessment.pk])).status_code == 404
    page = client.get(reverse("assessment_report", args=[submitted.assessment.pk]))
    assert "once the assessment has been submitted" in page.content.decode()


def test_bulk_reports_run_as_a_task_and_deliver_a_zip(client, submitted, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(delivery, "render_pdf", lambda html: b"%PDF-1.7 " + html[:20].encode())
    client.force_login(submitted.consultant)
    response = client.post(reverse("reports_bulk"), {"assessments": [submitted.assessment.pk], "language": "en"})
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("report_job", args=[job.pk])
    status = client.get(reverse("report_job", args=[job.pk]), headers={"Accept": "application/json"}).json()
    assert status == {"status": "done", "done": 1, "total": 1, "percent": 100, "error": "", "note": ""}
    download = client.get(reverse("report_job_download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.namelist() == ["Kunshan-2026-digital-maturity-report.pdf"]
    client.force_login(submitted.other_consultant)
    assert client.get(reverse("report_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("report_job_download", args=[job.pk])).status_code == 404


def test_bulk_offers_only_visible_submitted_assessments(client, submitted):
    client.force_login(submitted.other_consultant)
    response = client.post(reverse("reports_bulk"), {"assessments": [submitted.assessment.pk], "language": "en"})
    assert response.status_code == 200 and not ReportJob.objects.exists()


def test_build_reports_writes_pdfs_with_a_progress_bar(submitted, tmp_path, monkeypatch):
    monkeypatch.setattr(delivery, "render_pdf", lambda html: b"%PDF-1.7 test")
    out, err = StringIO(), StringIO()
    call_command(
        "build_reports", "--city", "昆山市", "--lang", "en", "-o", str(tmp_path / "out"), stdout=out, stderr=err
    )
    assert (tmp_path / "out" / "Kunshan-2026-digital-maturity-report.pdf").read_bytes() == b"%PDF-1.7 test"
    assert "Wrote 1 report(s)" in out.getvalue()
    shutil.rmtree(tmp_path / "out")


def test_build_reports_explains_bad_input(submitted):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Unknown city '不存在市'"):
        call_command("build_reports", "--city", "不存在市", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="No submitted assessment matches"):
        call_command("build_reports", "--year", "1999", stdout=StringIO(), stderr=StringIO())
