"""The start page: what each user works on, by role. It reads every app (cities, assessments, the
questionnaire), so it sits above them all."""

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render

from accounts.roles import roles_of
from assessment.answering import directions_to_answer
from assessment.models import Assessment, QuestionnaireVersion
from cities.models import City, MembershipRole


@login_required
def home(request):
    """The start page: what this user works on, by role (a constant number of queries)."""
    roles = roles_of(request.user)
    cities = []
    if not roles.administrator:  # administrators manage all cities in the admin instead
        latest_first = Assessment.objects.order_by("-year")
        cities = City.objects.visible_to(request.user).prefetch_related(
            "specialties", Prefetch("assessments", queryset=latest_first, to_attr="assessments_latest_first")
        )
    this_year = datetime.date.today().year
    context = {
        "cities": [
            {
                "city": city,
                "role": roles.cities.get(city.pk),
                "latest": city.assessments_latest_first[0] if city.assessments_latest_first else None,
                "can_start": roles.cities.get(city.pk) == MembershipRole.COORDINATOR
                and not any(a.year == this_year for a in city.assessments_latest_first),
            }
            for city in cities
        ],
        "assignments": directions_to_answer(request.user),
        "questionnaire": QuestionnaireVersion.objects.current(),
        "this_year": this_year,
    }
    return render(request, "home.html", context)
