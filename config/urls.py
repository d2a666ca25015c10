from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from assessment import api
from assessment.views import answering, assessments, questionnaire
from cities import views as city_views
from config.health import healthz, healthz_worker
from home import views as home_views
from plans import api as plan_api
from plans import views as plan_views
from portfolio import views as portfolio_views
from reports import views as report_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cities/<int:city_id>/", city_views.city_detail, name="city_detail"),
    path("cities/<int:city_id>/assessments/start/", assessments.start, name="assessment_start"),
    path("assessments/<int:assessment_id>/", assessments.overview, name="assessment_overview"),
    path("assessments/<int:assessment_id>/assign/", assessments.assign, name="assessment_assign"),
    path("assessments/<int:assessment_id>/submit/", assessments.submit, name="assessment_submit"),
    path("assessments/<int:assessment_id>/reopen/", assessments.reopen, name="assessment_reopen"),
    path("assessments/<int:assessment_id>/answers/<int:question_id>/", answering.save, name="answer_save"),
    path("assessments/<int:assessment_id>/<slug:direction>/answers/", answering.save_batch, name="answers_save_batch"),
    path("assessments/<int:assessment_id>/evidence/<int:answer_id>/", answering.evidence, name="answer_evidence"),
    path("assessments/<int:assessment_id>/report/", report_views.report_page, name="assessment_report"),
    path("assessments/<int:assessment_id>/report.pdf", report_views.report_download, name="assessment_report_pdf"),
    path("reports/bulk/", report_views.bulk, name="reports_bulk"),
    path("portfolio/", portfolio_views.portfolio, name="portfolio"),
    path("portfolio/report/", portfolio_views.portfolio_report, name="portfolio_report"),
    path("portfolio/export.<slug:kind>", portfolio_views.portfolio_export, name="portfolio_export"),
    path("portfolio/export/", portfolio_views.portfolio_workbook, name="portfolio_workbook"),
    path("assessments/<int:assessment_id>/export.xlsx", report_views.assessment_export, name="assessment_export"),
    path("reports/jobs/<int:job_id>/", report_views.job, name="report_job"),
    path("reports/jobs/<int:job_id>/download/", report_views.job_download, name="report_job_download"),
    path("assessments/<int:assessment_id>/plan/", plan_views.plan_page, name="assessment_plan"),
    path("assessments/<int:assessment_id>/plan/adjust/", plan_views.adjust, name="assessment_plan_adjust"),
    path("assessments/<int:assessment_id>/plan/reset/", plan_views.reset, name="assessment_plan_reset"),
    path("assessments/<int:assessment_id>/plan/recompute/", plan_views.recompute, name="assessment_plan_recompute"),
    # Last: its slug would otherwise catch the fixed paths above.
    path("assessments/<int:assessment_id>/<slug:direction>/", answering.direction_page, name="assessment_direction"),
    path("method/", questionnaire.method, name="method"),
    path("questionnaire/", questionnaire.current_questionnaire, name="questionnaire_current"),
    path("questionnaire/<slug:code>/", questionnaire.questionnaire_preview, name="questionnaire_preview"),
    path("api/assessments/<int:assessment_id>/scores", api.assessment_scores, name="api_assessment_scores"),
    path("api/assessments/<int:assessment_id>/plan", plan_api.assessment_plan, name="api_assessment_plan"),
    # The catalogue's admin pages moved with it from reports to plans (issue 23): old links still work.
    re_path(
        r"^admin/reports/(?P<rest>(?:actioncatalogue|action|planadjustment)/.*)$",
        RedirectView.as_view(url="/admin/plans/%(rest)s", query_string=True, permanent=True),
    ),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("healthz/worker", healthz_worker, name="healthz_worker"),
]

# 403 and 404 are Django's own views with our 403.html and 404.html; 500 needs its own (config/errors.py).
handler500 = "config.errors.server_error"

admin.site.site_header = "City Digital Maturity · 城市数字化转型成熟度自评"
admin.site.site_title = "City Digital Maturity"
