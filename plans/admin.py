"""Admin for the action catalogue: bilingual texts side by side, filters by direction, cost, horizon, profile."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cities.geography import Region
from cities.models import FunctionalZone, Specialty, Terrain
from plans.models import Action, ActionCatalogue, PlanAdjustment


class JsonListFilter(admin.SimpleListFilter):
    """Filter actions whose JSON list field contains a value (works on SQLite and PostgreSQL)."""

    field = ""
    options: list = []

    def lookups(self, request, model_admin):
        return self.options

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.field}__icontains": f'"{self.value()}"'})
        return queryset


class SpecialtyFilter(JsonListFilter):
    title = _("specialty industry")
    parameter_name = "specialty"
    field = "suits_specialties"
    options = Specialty.choices


class RegionFilter(JsonListFilter):
    title = _("region")
    parameter_name = "region"
    field = "suits_regions"
    options = Region.choices


class ZoneFilter(JsonListFilter):
    title = _("national functional zone")
    parameter_name = "zone"
    field = "suits_functional_zones"
    options = FunctionalZone.choices


class TerrainFilter(JsonListFilter):
    title = _("terrain")
    parameter_name = "terrain"
    field = "suits_terrains"
    options = Terrain.choices


class ActionInline(admin.TabularInline):
    model = Action
    fields = ["code", "title_zh", "direction", "dimension", "stage", "cost_tier", "horizon"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False


@admin.register(ActionCatalogue)
class ActionCatalogueAdmin(admin.ModelAdmin):
    list_display = ["code", "title_zh", "title_en", "imported_at"]
    inlines = [ActionInline]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "title_zh",
        "direction",
        "dimension",
        "stage",
        "cost_tier",
        "cost_low",
        "cost_high",
        "running_cost",
        "horizon",
        "catalogue",
    ]
    list_filter = [
        "catalogue",
        "direction",
        "stage",
        "cost_tier",
        "horizon",
        "scales_with",
        "suits_cluster",
        SpecialtyFilter,
        RegionFilter,
        ZoneFilter,
        TerrainFilter,
    ]
    search_fields = ["code", "title_zh", "title_en", "description_zh", "description_en", "lead_zh", "kpi_zh"]
    ordering = ["catalogue", "code"]
    list_select_related = ["catalogue"]
    fieldsets = [
        (None, {"fields": ["catalogue", ("code", "direction", "dimension"), ("title_zh", "title_en")]}),
        (
            _("What it is and why"),
            {
                "fields": [
                    ("description_zh", "description_en"),
                    ("rationale_zh", "rationale_en"),
                    ("policy_zh", "policy_en"),
                    ("lead_zh", "lead_en"),
                    ("kpi_zh", "kpi_en"),
                ]
            },
        ),
        (_("When it is recommended"), {"fields": ["stage", "triggers", "target_level", "prerequisites"]}),
        (
            _("Cost and time"),
            {"fields": [("cost_tier", "cost_low", "cost_high"), ("running_cost", "scales_with"), "funding", "horizon"]},
        ),
        (
            _("Which cities it suits"),
            {
                "fields": [
                    "suits_specialties",
                    "suits_cluster",
                    "suits_regions",
                    "suits_provinces",
                    "suits_levels",
                    "suits_terrains",
                    "suits_functional_zones",
                    "suits_min_population",
                ]
            },
        ),
    ]


@admin.register(PlanAdjustment)
class PlanAdjustmentAdmin(admin.ModelAdmin):
    list_display = ["assessment", "action_code", "hidden", "phase", "order", "updated_by", "updated_at"]
    list_select_related = ["assessment__city", "updated_by"]
    search_fields = ["action_code", "assessment__city__name_zh"]
