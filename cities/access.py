"""The one place that fetches a city for a user and checks the user may see it."""

from django.shortcuts import get_object_or_404

from cities.models import City


def get_city_for_user(user, city_id: int) -> City:
    """The city, if `user` may see it (member, assigned consultant, administrator); else 404."""
    return get_object_or_404(City.objects.visible_to(user), pk=city_id)
