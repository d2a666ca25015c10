from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assessment.models import QuestionnaireVersion
from assessment.preview import questionnaire_outline


@login_required
def current_questionnaire(request):
    version = QuestionnaireVersion.objects.current()
    if version is None:
        raise Http404(_("No questionnaire version has been published yet."))
    return redirect("questionnaire_preview", code=version.code)


@login_required
def questionnaire_preview(request, code):
    """A version as respondents see it; drafts only for administrators."""
    versions = QuestionnaireVersion.objects.all() if request.user.is_staff else QuestionnaireVersion.objects.published()
    version = versions.filter(code=code).first()
    if version is None:
        raise Http404(_("No such questionnaire version."))
    return render(
        request,
        "assessment/questionnaire_preview.html",
        {"version": version, "directions": questionnaire_outline(version)},
    )


@login_required
def method(request):
    """The scoring method in plain words: levels, weakest link, completeness, evidence."""
    return render(request, "assessment/method.html")
