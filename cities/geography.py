"""China's provinces and the National Bureau of Statistics' four economic regions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    EAST = "east", _("East")
    CENTRAL = "central", _("Central")
    WEST = "west", _("West")
    NORTHEAST = "northeast", _("North-east")


class Province(models.TextChoices):
    BEIJING = "beijing", _("Beijing")
    TIANJIN = "tianjin", _("Tianjin")
    HEBEI = "hebei", _("Hebei")
    SHANGHAI = "shanghai", _("Shanghai")
    JIANGSU = "jiangsu", _("Jiangsu")
    ZHEJIANG = "zhejiang", _("Zhejiang")
    FUJIAN = "fujian", _("Fujian")
    SHANDONG = "shandong", _("Shandong")
    GUANGDONG = "guangdong", _("Guangdong")
    HAINAN = "hainan", _("Hainan")
    SHANXI = "shanxi", _("Shanxi")
    ANHUI = "anhui", _("Anhui")
    JIANGXI = "jiangxi", _("Jiangxi")
    HENAN = "henan", _("Henan")
    HUBEI = "hubei", _("Hubei")
    HUNAN = "hunan", _("Hunan")
    NEIMENGGU = "neimenggu", _("Inner Mongolia")
    GUANGXI = "guangxi", _("Guangxi")
    CHONGQING = "chongqing", _("Chongqing")
    SICHUAN = "sichuan", _("Sichuan")
    GUIZHOU = "guizhou", _("Guizhou")
    YUNNAN = "yunnan", _("Yunnan")
    XIZANG = "xizang", _("Tibet")
    SHAANXI = "shaanxi", _("Shaanxi")
    GANSU = "gansu", _("Gansu")
    QINGHAI = "qinghai", _("Qinghai")
    NINGXIA = "ningxia", _("Ningxia")
    XINJIANG = "xinjiang", _("Xinjiang")
    LIAONING = "liaoning", _("Liaoning")
    JILIN = "jilin", _("Jilin")
    HEILONGJIANG = "heilongjiang", _("Heilongjiang")


_PROVINCES_BY_REGION = {
    Region.EAST: "beijing tianjin hebei shanghai jiangsu zhejiang fujian shandong guangdong hainan",
    Region.CENTRAL: "shanxi anhui jiangxi henan hubei hunan",
    Region.WEST: "neimenggu guangxi chongqing sichuan guizhou yunnan xizang shaanxi gansu qinghai ningxia xinjiang",
    Region.NORTHEAST: "liaoning jilin heilongjiang",
}

REGION_OF_PROVINCE: dict[str, Region] = {
    province: region for region, names in _PROVINCES_BY_REGION.items() for province in names.split()
}


def region_of(province: str) -> Region:
    """The four-region division a province belongs to (NBS)."""
    return REGION_OF_PROVINCE[province]
