from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cities.access import get_city_for_user
from common.money import money


@login_required
def city_detail(request, city_id):
    city = get_city_for_user(request.user, city_id)
    members = city.memberships.select_related("user").order_by("role", "user__username")
    consultants = city.consultant_assignments.select_related("consultant").order_by("consultant__username")
    return render(
        request,
        "cities/city_detail.html",
        {
            "city": city,
            "budget": money(city.digital_budget),
            "baseline": money(city.baseline_running_cost),
            "baseline_percent": round(city.baseline_share * 100),
            "headroom": money(city.headroom),
            "estimated": set(city.estimated_fields or []),
            "members": members,
            "consultants": consultants,
            "specialties": city.specialties.all(),
            # Whoever may see the city may see its assessments (Assessment.objects.visible_to).
            "assessments": city.assessments.select_related("version").order_by("-year"),
        },
    )
