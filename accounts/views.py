from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.roles import roles_of
from assessment.models import QuestionnaireVersion
from cities.models import City


@login_required
def home(request):
    """The start page: what this user works on, by role."""
    roles = roles_of(request.user)
    cities = City.objects.visible_to(request.user).prefetch_related("specialties")
    if roles.administrator:
        cities = cities.none()  # Administrators manage all cities in the admin instead.
    context = {
        "cities": [(city, roles.cities.get(city.pk)) for city in cities],
        "questionnaire": QuestionnaireVersion.objects.current(),
    }
    return render(request, "home.html", context)
