from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cities.models import City, CityMembership, ConsultantAssignment, SpecialtyIndustry


class CityMembershipInline(admin.TabularInline):
    model = CityMembership
    extra = 0
    autocomplete_fields = ["user"]


class ConsultantAssignmentInline(admin.TabularInline):
    model = ConsultantAssignment
    extra = 0
    autocomplete_fields = ["consultant"]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = [
        "name_zh",
        "name_en",
        "province",
        "region",
        "level",
        "population",
        "cluster",
        "specialty_list",
        "is_demo",
    ]
    list_filter = ["region", "level", "province", "is_demo", "cluster", "functional_zone", "terrain", "specialties"]
    search_fields = ["name_zh", "name_en", "parent_zh", "parent_en"]
    readonly_fields = ["region"]
    filter_horizontal = ["specialties"]
    fieldsets = [
        (None, {"fields": [("name_zh", "name_en"), ("province", "region"), "level", ("parent_zh", "parent_en")]}),
        (
            _("Size, money and capacity"),
            {"fields": [("population", "townships"), ("gdp", "gdp_year"), "digital_budget", "project_capacity"]},
        ),
        (
            _("Location and specialties"),
            {"fields": [("cluster", "functional_zone", "terrain"), "specialties", ("note_zh", "note_en")]},
        ),
    ]
    inlines = [CityMembershipInline, ConsultantAssignmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("specialties")

    @admin.display(description=_("specialty industries"))
    def specialty_list(self, obj):
        return ", ".join(s.name for s in obj.specialties.all())


@admin.register(SpecialtyIndustry)
class SpecialtyIndustryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en"]


@admin.register(CityMembership)
class CityMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "city", "role", "department"]
    list_filter = ["role", "city__region"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "city__name_zh", "city__name_en"]
    autocomplete_fields = ["user", "city"]


@admin.register(ConsultantAssignment)
class ConsultantAssignmentAdmin(admin.ModelAdmin):
    list_display = ["consultant", "city", "assigned_at"]
    search_fields = ["consultant__username", "city__name_zh", "city__name_en"]
    autocomplete_fields = ["consultant", "city"]
