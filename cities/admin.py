from django import forms
from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cities.models import ESTIMABLE_FIELDS, City, CityMembership, ConsultantAssignment, SpecialtyIndustry
from cities.products import product_problems, products_as_lines, products_from_lines
from common.money import money


class SpecialtyProductsField(forms.CharField):
    """The specialty products as one line each, "汉服 | Hanfu", stored as [{"zh-hans", "en"}]."""

    widget = forms.Textarea(attrs={"rows": 6, "cols": 40})

    def prepare_value(self, value):
        return products_as_lines(value) if isinstance(value, list) else value

    def to_python(self, value):
        products = products_from_lines(super().to_python(value))
        problems = product_problems(products)
        if problems:
            raise forms.ValidationError(
                _("One product a line, Chinese then English: 汉服 | Hanfu (%(problems)s)."),
                params={"problems": "; ".join(problems)},
            )
        return products


class CityAdminForm(forms.ModelForm):
    specialty_products = SpecialtyProductsField(
        label=_("specialty products"),
        required=False,
        help_text=_("One product a line, in a few words, Chinese then English: 汉服 | Hanfu."),
    )
    estimated_fields = forms.MultipleChoiceField(
        label=_("estimated values"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the values that are estimates, not published figures; the city page marks them."),
    )

    class Meta:
        model = City
        fields = ["specialty_products", "estimated_fields"]  # the admin adds the rest from its fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estimated_fields"].choices = [
            (name, capfirst(City._meta.get_field(name).verbose_name)) for name in ESTIMABLE_FIELDS
        ]
        for name in ("specialty_products", "estimated_fields"):  # as Django labels the model's own fields
            self.fields[name].label = capfirst(City._meta.get_field(name).verbose_name)

    def clean(self):
        cleaned = super().clean()
        # an estimate of nothing would mark an unknown value as known
        empty = [
            name for name in cleaned.get("estimated_fields") or [] if name in cleaned and cleaned[name] in (None, "")
        ]
        if empty:
            self.add_error(
                "estimated_fields",
                _("These have no value to be an estimate: %(fields)s.")
                % {"fields": ", ".join(str(City._meta.get_field(n).verbose_name) for n in empty)},
            )
        return cleaned


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
    form = CityAdminForm
    list_display = [
        "name_zh",
        "name_en",
        "province",
        "region",
        "level",
        "population",
        "cluster",
        "cluster_role",
        "specialty_list",
        "is_demo",
    ]
    list_filter = [
        "region",
        "level",
        "province",
        "is_demo",
        "cluster",
        "cluster_role",
        "computing_cluster",
        "is_port",
        "own_data_centre",
        "budget_confirmed",
        "functional_zone",
        "terrain",
        "specialties",
    ]
    search_fields = ["name_zh", "name_en", "parent_zh", "parent_en"]
    readonly_fields = ["region", "baseline_in_use", "computing_hub_name"]
    filter_horizontal = ["specialties"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("name_zh", "name_en"),
                    ("province", "region"),
                    "level",
                    ("parent_zh", "parent_en"),
                    "is_demo",
                ]
            },
        ),
        (
            _("Size and capacity"),
            {
                "fields": [
                    ("population", "townships", "villages"),
                    ("gdp", "gdp_year"),
                    "enterprises_above_size",
                    ("hotline_seats", "project_capacity"),
                ]
            },
        ),
        (
            _("Budget and running costs"),
            {"fields": [("digital_budget", "budget_confirmed"), "existing_running_cost", "baseline_in_use"]},
        ),
        (
            _("Location"),
            {
                "fields": [
                    ("cluster", "cluster_role"),
                    ("computing_cluster", "computing_hub_name"),
                    ("is_port", "own_data_centre"),
                    ("functional_zone", "terrain"),
                ]
            },
        ),
        (
            _("Specialties"),
            {"fields": ["specialties", "specialty_products", ("note_zh", "note_en")]},
        ),
        (_("Sources"), {"fields": ["estimated_fields"]}),
    ]
    inlines = [CityMembershipInline, ConsultantAssignmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("specialties")

    @admin.display(description=_("specialty industries"))
    def specialty_list(self, obj):
        return ", ".join(s.name for s in obj.specialties.all())

    @admin.display(description=_("running cost counted in plans"))
    def baseline_in_use(self, obj):
        if obj.pk is None or obj.baseline_running_cost is None:
            return _("none until the city has a digital budget")
        if obj.baseline_is_default:
            return _("%(amount)s a year: the default, %(share)s %% of the digital budget") % {
                "amount": money(obj.baseline_running_cost),
                "share": round(obj.baseline_share * 100),
            }
        return _("%(amount)s a year, as recorded") % {"amount": money(obj.baseline_running_cost)}

    @admin.display(description=_("national computing hub"))
    def computing_hub_name(self, obj):
        return obj.computing_hub.label if obj.computing_hub else "—"


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
