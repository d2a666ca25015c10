"""Cities, their profile, and who works for which city."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cities.computing import ComputingCluster, hub_of
from cities.geography import Province, Region, region_of
from cities.products import clean_products, product_problems
from common.bilingual import Translated, pick


class AdministrativeLevel(models.TextChoices):
    PREFECTURE = "prefecture", _("Prefecture-level city")
    COUNTY_CITY = "county_city", _("County-level city")
    COUNTY = "county", _("County")
    AUTONOMOUS_COUNTY = "autonomous_county", _("Autonomous county")
    BANNER = "banner", _("Banner")


class CityCluster(models.TextChoices):
    YANGTZE_RIVER_DELTA = "yangtze_river_delta", _("Yangtze River Delta")
    PEARL_RIVER_DELTA = "pearl_river_delta", _("Pearl River Delta / Greater Bay Area")
    BEIJING_TIANJIN_HEBEI = "beijing_tianjin_hebei", _("Beijing-Tianjin-Hebei")
    CHENGDU_CHONGQING = "chengdu_chongqing", _("Chengdu-Chongqing")
    MIDDLE_YANGTZE = "middle_yangtze", _("Middle Yangtze River")
    CENTRAL_PLAINS = "central_plains", _("Central Plains")
    GUANZHONG_PLAIN = "guanzhong_plain", _("Guanzhong Plain")
    SHANDONG_PENINSULA = "shandong_peninsula", _("Shandong Peninsula")
    WEST_COAST_STRAITS = "west_coast_straits", _("West Coast of the Straits")
    HARBIN_CHANGCHUN = "harbin_changchun", _("Harbin-Changchun")
    CENTRAL_SOUTHERN_LIAONING = "central_southern_liaoning", _("Central and Southern Liaoning")
    BEIBU_GULF = "beibu_gulf", _("Beibu Gulf")
    LANZHOU_XINING = "lanzhou_xining", _("Lanzhou-Xining")
    HOHHOT_BAOTOU_ORDOS_YULIN = "hohhot_baotou_ordos_yulin", _("Hohhot-Baotou-Ordos-Yulin")
    CENTRAL_YUNNAN = "central_yunnan", _("Central Yunnan")
    CENTRAL_GUIZHOU = "central_guizhou", _("Central Guizhou")
    NINGXIA_YELLOW_RIVER = "ningxia_yellow_river", _("Ningxia along the Yellow River")
    NORTH_SLOPE_TIANSHAN = "north_slope_tianshan", _("North Slope of the Tianshan")
    CENTRAL_SHANXI = "central_shanxi", _("Central Shanxi")


class ClusterRole(models.TextChoices):
    """A city's role in its city cluster or metropolitan area (docs/cities.md says how each is decided)."""

    CORE = "core", _("Core city")
    INTEGRATING = "integrating", _("Integrating neighbour")
    NODE = "node", _("Node city")


class FunctionalZone(models.TextChoices):
    KEY_ECOLOGICAL = "key_ecological", _("National key ecological function zone")
    MAJOR_AGRICULTURAL = "major_agricultural", _("Major agricultural production zone")


class Terrain(models.TextChoices):
    """The city's dominant landform: forest-fire and geohazard monitoring suit hills and mountains, not plains."""

    PLAIN = "plain", _("Plain")
    HILLY = "hilly", _("Hilly")
    MOUNTAINOUS = "mountainous", _("Mountainous")
    PLATEAU = "plateau", _("Plateau")


# Projects a city's team can start in a year, by administrative level, before its size (SPEC §5).
# New projects the city's team can start in its first year of the plan (each later year one more:
# plans.recommendations.default_capacity), by administrative level: step by step, the first year
# the fewest.
BASE_PROJECTS_PER_YEAR = {
    "prefecture": 5,
    "county_city": 4,
    "county": 3,
    "autonomous_county": 3,
    "banner": 3,
}
# One more project from each of these populations (10,000 residents) up.
MORE_PROJECTS_FROM_POPULATION = (100,)
RESIDENTS_PER_TOWNSHIP = 3.65  # 10,000 residents per township-level division, national average
# Administrative villages per township-level division, national average: about 489,000 villagers'
# committees in 38,602 township-level divisions (Ministry of Civil Affairs, 2022-2023).
VILLAGES_PER_TOWNSHIP = 12.7

# The default yearly running cost of a city's existing systems (cloud rental, leased lines, hotline
# seats, maintenance contracts), as a share of its digital budget, by administrative level. A demo
# assumption, reasoned in docs/cities.md: in a county these costs take most of the budget; a
# prefecture's larger budget carries more new building.
BASELINE_SHARE = {
    "prefecture": 0.5,
    "county_city": 0.6,
    "county": 0.7,
    "autonomous_county": 0.7,
    "banner": 0.7,
}

# The profile fields whose value may be an estimate rather than a published figure, as the cities
# file names them (`estimated: [...]`); the city page and the admin mark them.
ESTIMABLE_FIELDS = (
    "population",
    "gdp",
    "townships",
    "villages",
    "enterprises_above_size",
    "hotline_seats",
    "is_port",
    "own_data_centre",
    "cluster_role",
    "existing_running_cost",
)


class Specialty(models.TextChoices):
    """The codes of the specialty industries (SPEC §1); their rows come from migration 0002."""

    AGRICULTURE = "agriculture", _("Specialty agriculture")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    ECOMMERCE = "ecommerce", _("E-commerce")
    CULTURE_TOURISM = "culture_tourism", _("Culture and tourism")
    DIGITAL_INDUSTRY = "digital_industry", _("Digital industry")
    ECOLOGY = "ecology", _("Ecology and green economy")


class SpecialtyIndustry(models.Model):
    """A specialty industry a city builds on (agriculture, manufacturing, e-commerce, ...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    name = Translated()

    class Meta:
        ordering = ["code"]
        verbose_name = _("specialty industry")
        verbose_name_plural = _("specialty industries")

    def __str__(self):
        return self.name


class CityQuerySet(models.QuerySet):
    def peers_of(self, city):
        """Cities of the same region and administrative level, the city itself excluded."""
        return self.filter(region=city.region, level=city.level).exclude(pk=city.pk)

    def visible_to(self, user):
        """The cities a user may see: administrators all; others their own or assigned, and a
        provincial analyst every city of their province."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        own = models.Q(memberships__user=user) | models.Q(consultant_assignments__consultant=user)
        if getattr(user, "analyst_province", ""):
            own |= models.Q(province=user.analyst_province)
        return self.filter(own).distinct()


class City(models.Model):
    """A small or mid-sized city (or county) and the profile that shapes its plan."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    name = Translated()
    is_demo = models.BooleanField(
        _("demo profile"),
        default=False,
        help_text=_("Generated for the demo: the figures are rounded estimates, not statistics."),
    )
    province = models.CharField(_("province"), max_length=20, choices=Province.choices)
    region = models.CharField(
        _("region"),
        max_length=12,
        choices=Region.choices,
        editable=False,
        help_text=_("Derived from the province."),
    )
    level = models.CharField(_("administrative level"), max_length=20, choices=AdministrativeLevel.choices)
    parent_zh = models.CharField(_("prefecture above (Chinese)"), max_length=60, blank=True)
    parent_en = models.CharField(_("prefecture above (English)"), max_length=100, blank=True)
    parent = Translated()
    population = models.DecimalField(
        _("population (10,000 residents)"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    gdp = models.DecimalField(
        _("GDP (100 million CNY)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    gdp_year = models.PositiveSmallIntegerField(_("GDP year"), null=True, blank=True)
    digital_budget = models.DecimalField(
        _("annual digital budget (10,000 CNY)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_confirmed = models.BooleanField(
        _("budget confirmed"),
        default=False,
        help_text=_(
            "Tick when the digital budget is the city's own figure. Unticked, the budget and the running "
            "cost derived from it are demo assumptions, and are labelled so wherever they are printed."
        ),
    )
    existing_running_cost = models.DecimalField(
        _("running cost of existing systems (10,000 CNY a year)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "What the systems already in service cost a year: cloud rental, leased lines, hotline seats, "
            "maintenance contracts. Blank: a share of the digital budget by administrative level (50 per cent for "
            "a prefecture-level city, 60 per cent for a county-level city, 70 per cent for a county)."
        ),
    )
    cluster = models.CharField(
        _("city cluster or metropolitan area"),
        max_length=40,
        choices=CityCluster.choices,
        blank=True,
    )
    cluster_role = models.CharField(
        _("role in the cluster"),
        max_length=20,
        choices=ClusterRole.choices,
        blank=True,
        help_text=_("Core city, a neighbour integrating into the core, or a node; only for a city in a cluster."),
    )
    computing_cluster = models.CharField(
        _("national data-centre cluster"),
        max_length=30,
        choices=ComputingCluster.choices,
        blank=True,
        help_text=_(
            "Only for a city inside one of the ten clusters of the national computing hubs "
            "(发改高技〔2021〕709号); being in a hub's province is not enough."
        ),
    )
    is_port = models.BooleanField(
        _("port city"),
        null=True,
        blank=True,
        help_text=_("Has a seaport or Yangtze port area open to foreign ships. Blank: unknown."),
    )
    own_data_centre = models.BooleanField(
        _("runs its own data centre"),
        null=True,
        blank=True,
        help_text=_(
            "The city government runs its own data centre or server rooms rather than only renting "
            "the provincial or prefecture cloud. Blank: unknown."
        ),
    )
    functional_zone = models.CharField(
        _("national functional zone"),
        max_length=30,
        choices=FunctionalZone.choices,
        blank=True,
    )
    terrain = models.CharField(_("terrain"), max_length=20, choices=Terrain.choices, blank=True)
    townships = models.PositiveSmallIntegerField(
        _("township-level divisions"),
        null=True,
        blank=True,
        help_text=_("Towns, townships and subdistricts (乡镇街道); blank: estimated from the population."),
    )
    villages = models.PositiveIntegerField(
        _("administrative villages"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100_000)],
        help_text=_("Villagers' committees (行政村); blank: unknown, estimated from the townships where needed."),
    )
    enterprises_above_size = models.PositiveIntegerField(
        _("industrial enterprises above designated size"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(1_000_000)],
        help_text=_("规上工业企业: annual revenue of 20 million CNY or more. Blank: unknown."),
    )
    hotline_seats = models.PositiveSmallIntegerField(
        _("12345 hotline seats"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10_000)],
        help_text=_("Seats the city staffs itself; 0 where the prefecture answers its calls. Blank: unknown."),
    )
    project_capacity = models.PositiveSmallIntegerField(
        _("new projects a year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "How many new digital projects the city's team can start in a year. Blank: 5 for a county, "
            "6 for a county-level city, 7 for a prefecture-level city, one more from 500,000, "
            "1 million and 2 million residents each."
        ),
    )
    specialties = models.ManyToManyField(
        SpecialtyIndustry,
        verbose_name=_("specialty industries"),
        blank=True,
        related_name="cities",
    )
    specialty_products = models.JSONField(
        _("specialty products"),
        default=list,
        blank=True,
        help_text=_("A few words each, in Chinese and English: 汉服 | Hanfu."),
    )
    estimated_fields = models.JSONField(
        _("estimated values"),
        default=list,
        blank=True,
        help_text=_("The fields whose value is an estimate, not a published figure."),
    )
    note_zh = models.CharField(_("note (Chinese)"), max_length=300, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)
    note = Translated()

    objects = CityQuerySet.as_manager()

    class Meta:
        ordering = ["province", "name_zh"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        indexes = [models.Index(fields=["region", "level"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cluster_role="") | ~models.Q(cluster=""),
                name="cluster_role_only_in_a_cluster",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        problems = {}
        if self.cluster_role and not self.cluster:
            problems["cluster_role"] = _("Only a city in a cluster has a role in it: choose the cluster too.")
        wrong = product_problems(self.specialty_products)
        if wrong:
            problems["specialty_products"] = "; ".join(wrong)
        else:
            self.specialty_products = clean_products(self.specialty_products)
        if not isinstance(self.estimated_fields, list) or set(self.estimated_fields) - set(ESTIMABLE_FIELDS):
            problems["estimated_fields"] = _("Only these fields can be marked estimated: %(fields)s.") % {
                "fields": ", ".join(ESTIMABLE_FIELDS)
            }
        if problems:
            raise ValidationError(problems)

    def save(self, *args, **kwargs):
        self.region = region_of(self.province)
        if kwargs.get("update_fields") is not None and "province" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "region"}
        super().save(*args, **kwargs)

    @property
    def in_cluster(self) -> bool:
        return bool(self.cluster)

    @property
    def projects_per_year(self) -> int:
        """New projects the city's team can start in a year: as set in the admin, else the default
        by administrative level and population."""
        if self.project_capacity:
            return self.project_capacity
        population = float(self.population or 0)
        return BASE_PROJECTS_PER_YEAR.get(self.level, 5) + sum(population >= p for p in MORE_PROJECTS_FROM_POPULATION)

    @property
    def computing_hub(self):
        """The national computing hub whose data-centre cluster the city is in, or None."""
        return hub_of(self.computing_cluster)

    @property
    def product_names(self) -> list[str]:
        """The specialty products in the active language."""
        return [pick(product) for product in self.specialty_products or []]

    @property
    def baseline_share(self) -> float:
        """The default share of the digital budget that existing systems cost to run, by level."""
        return BASELINE_SHARE.get(self.level, BASELINE_SHARE["county"])

    @property
    def baseline_running_cost(self) -> float | None:
        """The yearly running cost of the systems the city already has (10,000 CNY): as recorded, else
        the level's default share of the profile's digital budget; None without either. A plan's
        `--budget` override changes the budget, never this baseline."""
        if self.existing_running_cost is not None:
            return float(self.existing_running_cost)
        if self.digital_budget is None:
            return None
        return round(float(self.digital_budget) * self.baseline_share, 1)

    @property
    def baseline_is_default(self) -> bool:
        """True when the baseline is the default share, not a recorded figure."""
        return self.existing_running_cost is None

    @property
    def budget_is_assumption(self) -> bool:
        """True when the city has a digital budget that nobody confirmed: a demo assumption."""
        return self.digital_budget is not None and not self.budget_confirmed

    @property
    def baseline_is_assumption(self) -> bool:
        """True when the baseline rests on an assumption: the default share of an unconfirmed budget,
        or a recorded figure marked estimated."""
        if self.baseline_is_default:
            return self.budget_is_assumption
        return "existing_running_cost" in (self.estimated_fields or [])

    @property
    def headroom(self) -> float | None:
        """What the profile's digital budget leaves for new projects a year once the baseline is paid."""
        if self.digital_budget is None:
            return None
        return round(float(self.digital_budget) - (self.baseline_running_cost or 0), 1)

    def is_estimated(self, field: str) -> bool:
        return field in (self.estimated_fields or [])

    @property
    def village_count(self) -> float | None:
        """Administrative villages, as recorded or estimated from the township-level divisions at the
        national average of 12.7 a division."""
        if self.villages is not None:
            return float(self.villages)
        townships = self.township_count
        return round(townships * VILLAGES_PER_TOWNSHIP, 1) if townships else None

    @property
    def township_count(self) -> float | None:
        """Township-level divisions, as recorded or estimated from the population (about one per
        36,500 residents: 38,602 divisions for 1.41 billion people, 2023)."""
        if self.townships:
            return float(self.townships)
        return round(float(self.population) / RESIDENTS_PER_TOWNSHIP, 1) if self.population else None


class MembershipRole(models.TextChoices):
    COORDINATOR = "coordinator", _("City coordinator")
    RESPONDENT = "respondent", _("Respondent")


class CityMembership(models.Model):
    """An official working for a city, as its coordinator or as a respondent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("city"))
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices)
    department = models.CharField(_("department"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("city membership")
        verbose_name_plural = _("city memberships")
        constraints = [models.UniqueConstraint(fields=["user", "city"], name="one_membership_per_user_and_city")]

    def __str__(self):
        return f"{self.user} · {self.city} · {self.get_role_display()}"


class ConsultantAssignment(models.Model):
    """A consultant assigned to review a city's assessments."""

    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consultant_assignments",
        verbose_name=_("consultant"),
        limit_choices_to={"is_consultant": True},
    )
    city = models.ForeignKey(
        City,
        on_delete=models.CASCADE,
        related_name="consultant_assignments",
        verbose_name=_("city"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultant assignment")
        verbose_name_plural = _("consultant assignments")
        constraints = [
            models.UniqueConstraint(fields=["consultant", "city"], name="one_assignment_per_consultant_and_city")
        ]

    def __str__(self):
        return f"{self.consultant} → {self.city}"
