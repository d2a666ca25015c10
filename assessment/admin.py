"""Admin for the question bank: drafts are edited, published versions are read-only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessment.bank_file import BankFileError, clone_version, import_bank, parse_bank_text, publish_version
from assessment.consistency import rule_from_data
from assessment.consistency_file import RulesFileError, import_rules, parse_rules_text
from assessment.models import (
    Assessment,
    AssessmentEvent,
    ChecklistItem,
    CheckRuleSet,
    Dimension,
    LevelStatement,
    Question,
    QuestionnaireVersion,
    QuestionType,
    VersionStatus,
)
from assessment.versions import next_draft_code
from common.data_text import DataTextError, decode_text, one_line


def _version_of(obj):
    """The questionnaire version an admin object (or inline parent) belongs to, if any."""
    if obj is None:
        return None
    return obj if isinstance(obj, QuestionnaireVersion) else obj.owning_version


class FrozenWhenPublished:
    """Admin mixin: objects of a published version can be viewed, never changed or deleted."""

    def _frozen(self, obj) -> bool:
        version = _version_of(obj)
        return version is not None and version.is_published

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if isinstance(self, admin.options.InlineModelAdmin):
            return not self._frozen(obj) and super().has_add_permission(request, obj)
        return super().has_add_permission(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        if obj is not None and self._frozen(obj):
            self.message_user(
                request,
                _(
                    "This belongs to a published questionnaire version and can no longer be changed, so "
                    "that past assessments keep their meaning. Clone the version into a new draft to "
                    "make changes."
                ),
                messages.WARNING,
            )
        return super().change_view(request, object_id, form_url, extra_context)


class DraftParentOnly:
    """Offer only parts of draft versions as parents of a new dimension or question."""

    draft_filters = {
        "version": {"status": VersionStatus.DRAFT},
        "dimension": {"version__status": VersionStatus.DRAFT},
    }

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.draft_filters:
            kwargs["queryset"] = db_field.related_model.objects.filter(**self.draft_filters[db_field.name])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class BankPartInline(FrozenWhenPublished, admin.TabularInline):
    """A table of the parts of a version that fits the screen (css/admin-bank.css): short inputs for
    numbers and codes, two-line text boxes that share the width left."""

    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}

    class Media:
        css = {"all": ["css/admin-bank.css"]}


class DimensionInline(BankPartInline):
    model = Dimension
    fields = ["position", "code", "direction", "title_zh", "title_en", "weight", "question_count", "edit_link"]
    readonly_fields = ["question_count", "edit_link"]
    extra = 0
    ordering = ["position", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_total=Count("questions"))

    @admin.display(description=_("questions"))
    def question_count(self, obj):
        return getattr(obj, "question_total", 0)

    @admin.display(description="")
    def edit_link(self, obj):
        if not obj.pk:
            return ""
        url = reverse("admin:assessment_dimension_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Questions…"))


class _UploadView:
    """An admin view that imports an uploaded data file through the one importer of its kind, listing
    every problem when the file is refused (nothing is written then)."""

    upload_title = ""

    def upload(self, request, form_class, load, done):
        """`load(upload, form)` imports the file (raising with `problems`); `done(result)` answers a success."""
        form = form_class(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = load(upload, form)
            except DataTextError:
                problems = [_("%(name)s: the file is not UTF-8 text") % {"name": upload.name}]
            except (BankFileError, RulesFileError) as error:
                problems = [one_line(problem) for problem in error.problems]
            else:
                return done(result)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": self.upload_title,
            "form": form,
            "problems": problems,
        }
        return render(request, "admin/assessment/import.html", context)


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(_UploadView, FrozenWhenPublished, admin.ModelAdmin):
    list_display = ["code", "title_zh", "title_en", "status", "published_at", "dimension_total", "question_total"]
    list_filter = ["status"]
    search_fields = ["code", "title_zh", "title_en"]
    readonly_fields = ["status", "published_at", "based_on", "previous_version", "created_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    ("title_zh", "title_en"),
                    ("status", "published_at"),
                    ("based_on", "previous_version", "created_at"),
                ]
            },
        ),
        (
            _("Direction weights"),
            {
                "fields": [("weight_services", "weight_governance", "weight_industry", "weight_infrastructure")],
                "description": _("Relative weights of the four directions in the overall score."),
            },
        ),
    ]
    inlines = [DimensionInline]
    actions = ["clone_into_draft", "publish_versions"]
    change_form_template = "admin/assessment/questionnaireversion/change_form.html"
    change_list_template = "admin/assessment/questionnaireversion/change_list.html"
    upload_title = _("Import a question bank file")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_dimensions=Count("dimensions", distinct=True), _questions=Count("dimensions__questions"))
        )

    @admin.display(description=_("dimensions"), ordering="_dimensions")
    def dimension_total(self, obj):
        return obj._dimensions

    @admin.display(description=_("questions"), ordering="_questions")
    def question_total(self, obj):
        return obj._questions

    def get_urls(self):
        return [
            path(
                "import/", self.admin_site.admin_view(self.import_view), name="assessment_questionnaireversion_import"
            ),
            path(
                "<int:pk>/clone/",
                self.admin_site.admin_view(self.clone_view),
                name="assessment_questionnaireversion_clone",
            ),
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="assessment_questionnaireversion_publish",
            ),
        ] + super().get_urls()

    # Actions on several versions ---------------------------------------------------------

    @admin.action(description=_("Clone into a new draft"), permissions=["add"])
    def clone_into_draft(self, request, queryset):
        for version in queryset:
            clone = clone_version(version, code=next_draft_code(version.code))
            self.message_user(
                request, _("Cloned %(old)s into the new draft %(new)s.") % {"old": version.code, "new": clone.code}
            )

    @admin.action(description=_("Publish (freeze) the selected drafts"), permissions=["change"])
    def publish_versions(self, request, queryset):
        published = 0
        for version in queryset.filter(status=VersionStatus.DRAFT):
            try:
                publish_version(version)
                published += 1
            except ValidationError as error:
                self._report_publish_problems(request, version, error)
        if published:
            self.message_user(
                request,
                ngettext("Published %(count)d version.", "Published %(count)d versions.", published)
                % {"count": published},
            )

    def _report_publish_problems(self, request, version, error):
        shown = error.messages[:10]
        more = len(error.messages) - len(shown)
        text = "; ".join(shown) + (f" (+{more})" if more > 0 else "")
        self.message_user(
            request,
            _("%(code)s cannot be published: %(problems)s") % {"code": version.code, "problems": text},
            messages.ERROR,
        )

    # Views for one version ---------------------------------------------------------------

    def clone_view(self, request, pk):
        version = get_object_or_404(QuestionnaireVersion, pk=pk)
        if request.method != "POST" or not self.has_add_permission(request):
            return redirect("admin:assessment_questionnaireversion_change", pk)
        clone = clone_version(version, code=next_draft_code(version.code))
        self.message_user(
            request, _("Cloned %(old)s into the new draft %(new)s.") % {"old": version.code, "new": clone.code}
        )
        return redirect("admin:assessment_questionnaireversion_change", clone.pk)

    def publish_view(self, request, pk):
        version = get_object_or_404(QuestionnaireVersion, pk=pk)
        if request.method == "POST" and self.has_change_permission(request, version):
            try:
                publish_version(version)
                self.message_user(
                    request, _("Published %(code)s. It can no longer be changed.") % {"code": version.code}
                )
            except ValidationError as error:
                self._report_publish_problems(request, version, error)
        return redirect("admin:assessment_questionnaireversion_change", pk)

    def import_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:assessment_questionnaireversion_changelist")

        def load(upload, form):
            text = decode_text(upload.read())
            return import_bank(parse_bank_text(text, name=upload.name), publish=form.cleaned_data["publish"])

        def done(version):
            self.message_user(request, _("Imported %(code)s.") % {"code": version.code})
            return redirect("admin:assessment_questionnaireversion_change", version.pk)

        return self.upload(request, BankUploadForm, load, done)


class _UploadForm(forms.Form):
    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class BankUploadForm(_UploadForm):
    file = forms.FileField(
        label=_("Question bank file"), help_text=_("YAML or JSON in the format of docs/formats.md; at most 2 MB.")
    )
    publish = forms.BooleanField(label=_("Publish right away"), required=False)


class RulesUploadForm(_UploadForm):
    file = forms.FileField(
        label=_("Rules file"),
        help_text=_(
            "YAML or JSON in the format of docs/formats.md, naming its questionnaire version; at most 2 MB. "
            "A file that changes the rules becomes the version's next revision."
        ),
    )


@admin.register(CheckRuleSet)
class CheckRuleSetAdmin(_UploadView, admin.ModelAdmin):
    """The rules for checking answers, one rule set per questionnaire version in revisions: shown
    read-only, changed only by importing a rules file (here or with `import_checks`)."""

    list_display = ["version", "revision", "rule_total", "in_force", "imported_at", "source"]
    list_filter = ["version"]
    list_select_related = ["version"]
    fields = ["version", "revision", "imported_at", "source", "rules_table"]
    readonly_fields = fields
    change_list_template = "admin/assessment/checkruleset/change_list.html"
    upload_title = _("Import a rules file")

    def get_queryset(self, request):
        newest = CheckRuleSet.objects.filter(version_id=OuterRef("version_id")).order_by("-revision")
        return super().get_queryset(request).annotate(_newest=Subquery(newest.values("revision")[:1]))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def may_import(self, request) -> bool:
        return request.user.has_perm("assessment.add_checkruleset")

    @admin.display(description=_("rules"))
    def rule_total(self, obj):
        return obj.rule_count

    @admin.display(description=_("in force"), boolean=True)
    def in_force(self, obj):
        return obj.revision == obj._newest

    @admin.display(description=_("rules"))
    def rules_table(self, obj):
        rows = []
        for data in obj.rules:
            rule = rule_from_data(data)
            message = data.get("message", {})
            rows.append(
                (
                    rule.code,
                    rule.kind,
                    rule.severity,
                    " ".join(rule.questions),
                    message.get("zh-hans"),
                    message.get("en"),
                )
            )
        body = format_html_join(
            "", "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}<br>{}</td></tr>", rows
        )
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            _("code"),
            _("kind"),
            _("severity"),
            _("questions"),
            _("message"),
        )
        return format_html('<table class="rules-table"><thead>{}</thead><tbody>{}</tbody></table>', head, body)

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="assessment_checkruleset_import"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_import": self.may_import(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.may_import(request):
            return redirect("admin:assessment_checkruleset_changelist")

        def load(upload, _form):
            return import_rules(parse_rules_text(decode_text(upload.read()), name=upload.name), source=upload.name)

        def done(result):
            rule_set, added = result
            if added:
                message = _("Imported the rules of %(code)s: revision %(revision)s, now in force.")
            else:
                message = _("The rules of %(code)s are unchanged: revision %(revision)s stays in force.")
            self.message_user(request, message % {"code": rule_set.version.code, "revision": rule_set.revision})
            return redirect("admin:assessment_checkruleset_changelist")

        return self.upload(request, RulesUploadForm, load, done)


class QuestionInline(BankPartInline):
    model = Question
    fields = ["position", "code", "type", "text_zh", "text_en", "weight", "allow_na", "evidence", "edit_link"]
    readonly_fields = ["edit_link"]
    extra = 0
    ordering = ["position", "pk"]

    @admin.display(description="")
    def edit_link(self, obj):
        if not obj.pk:
            return ""
        url = reverse("admin:assessment_question_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Choices…"))


@admin.register(Dimension)
class DimensionAdmin(FrozenWhenPublished, DraftParentOnly, admin.ModelAdmin):
    list_display = ["code", "title_zh", "title_en", "direction", "weight", "version"]
    list_filter = ["version", "direction"]
    search_fields = ["code", "title_zh", "title_en"]
    ordering = ["version", "position", "pk"]
    list_select_related = ["version"]
    fields = ["version", ("code", "direction"), ("title_zh", "title_en"), ("weight", "position"), "national"]
    inlines = [QuestionInline]


class LevelStatementInline(BankPartInline):
    model = LevelStatement
    fields = ["level", "text_zh", "text_en"]
    extra = 0
    max_num = 5
    verbose_name_plural = _("level statements (type “level”: exactly five, L1 to L5)")


class ChecklistItemInline(BankPartInline):
    model = ChecklistItem
    fields = ["position", "code", "text_zh", "text_en", "weight"]
    extra = 0
    verbose_name_plural = _("checklist items (type “checklist”)")


@admin.register(Question)
class QuestionAdmin(FrozenWhenPublished, DraftParentOnly, admin.ModelAdmin):
    list_display = ["code", "short_text", "type", "weight", "allow_na", "evidence", "dimension", "version"]
    list_filter = ["dimension__version", "dimension__direction", "type", "allow_na", "evidence"]
    search_fields = ["code", "text_zh", "text_en", "guidance_zh", "guidance_en"]
    ordering = ["dimension__version", "dimension__position", "position", "pk"]
    list_select_related = ["dimension__version"]
    fieldsets = [
        (None, {"fields": ["dimension", ("code", "type", "position")]}),
        (_("Text, side by side"), {"fields": [("text_zh", "text_en"), ("guidance_zh", "guidance_en")]}),
        (_("Scoring"), {"fields": [("weight", "allow_na", "evidence"), ("unit", "unit_en", "thresholds")]}),
        (
            _("Continuity and national framework"),
            {
                "fields": [("migration", "national")],
                "description": _(
                    "Checked against the previous version and the framework when the version is published "
                    "(docs/formats.md)."
                ),
            },
        ),
    ]
    inlines = [LevelStatementInline, ChecklistItemInline]

    @admin.display(description=_("text"))
    def short_text(self, obj):
        return obj.text_zh[:50]

    @admin.display(description=_("version"), ordering="dimension__version__code")
    def version(self, obj):
        return obj.dimension.version.code

    def get_inlines(self, request, obj):
        if obj is None:
            return self.inlines
        return {QuestionType.LEVEL: [LevelStatementInline], QuestionType.CHECKLIST: [ChecklistItemInline]}.get(
            obj.type, []
        )


class AssessmentEventInline(admin.TabularInline):
    model = AssessmentEvent
    fields = ["at", "kind", "user", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Assessments are answered and submitted on the site; the admin lists and inspects them."""

    list_display = ["city", "year", "version", "status", "submitted_at", "engine_version"]
    list_filter = ["status", "year", "version", "city__region"]
    search_fields = ["city__name_zh", "city__name_en"]
    list_select_related = ["city", "version"]
    readonly_fields = [
        "city",
        "version",
        "year",
        "based_on",
        "submitted_at",
        "submitted_by",
        "engine_version",
        "stored_scores",
        "created_at",
    ]
    fields = [
        ("city", "year", "version"),
        "status",
        ("submitted_at", "submitted_by"),
        "based_on",
        "engine_version",
        "stored_scores",
        "created_at",
    ]
    inlines = [AssessmentEventInline]

    def has_add_permission(self, request):
        return False
