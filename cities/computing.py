"""The national computing hubs and their data-centre clusters (东数西算).

《全国一体化大数据中心协同创新体系算力枢纽实施方案》(发改高技〔2021〕709号) set up eight hub
nodes; the clusters inside them were approved in 2022. A city takes a computing role only when it
lies inside (or hosts) one of the ten clusters: being in a hub's province is not enough (Gansu's
cluster is 庆阳, not 定西). docs/cities.md lists them with their starting areas.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComputingHub(models.TextChoices):
    """The eight national computing hub nodes (国家算力枢纽节点)."""

    BEIJING_TIANJIN_HEBEI = "beijing_tianjin_hebei", _("Beijing-Tianjin-Hebei hub")
    YANGTZE_RIVER_DELTA = "yangtze_river_delta", _("Yangtze River Delta hub")
    GREATER_BAY_AREA = "greater_bay_area", _("Guangdong-Hong Kong-Macao Greater Bay Area hub")
    CHENGDU_CHONGQING = "chengdu_chongqing", _("Chengdu-Chongqing hub")
    INNER_MONGOLIA = "inner_mongolia", _("Inner Mongolia hub")
    GUIZHOU = "guizhou", _("Guizhou hub")
    GANSU = "gansu", _("Gansu hub")
    NINGXIA = "ningxia", _("Ningxia hub")


class ComputingCluster(models.TextChoices):
    """The ten national data-centre clusters (国家数据中心集群), one or two per hub."""

    ZHANGJIAKOU = "zhangjiakou", _("Zhangjiakou cluster")
    YRD_DEMONSTRATION_ZONE = (
        "yrd_demonstration_zone",
        _("Yangtze River Delta Ecological Green Integration Demonstration Zone cluster"),
    )
    WUHU = "wuhu", _("Wuhu cluster")
    SHAOGUAN = "shaoguan", _("Shaoguan cluster")
    TIANFU = "tianfu", _("Tianfu cluster")
    CHONGQING = "chongqing", _("Chongqing cluster")
    GUIAN = "guian", _("Gui'an cluster")
    HORINGER = "horinger", _("Horinger cluster")
    QINGYANG = "qingyang", _("Qingyang cluster")
    ZHONGWEI = "zhongwei", _("Zhongwei cluster")


HUB_OF_CLUSTER = {
    ComputingCluster.ZHANGJIAKOU: ComputingHub.BEIJING_TIANJIN_HEBEI,
    ComputingCluster.YRD_DEMONSTRATION_ZONE: ComputingHub.YANGTZE_RIVER_DELTA,
    ComputingCluster.WUHU: ComputingHub.YANGTZE_RIVER_DELTA,
    ComputingCluster.SHAOGUAN: ComputingHub.GREATER_BAY_AREA,
    ComputingCluster.TIANFU: ComputingHub.CHENGDU_CHONGQING,
    ComputingCluster.CHONGQING: ComputingHub.CHENGDU_CHONGQING,
    ComputingCluster.GUIAN: ComputingHub.GUIZHOU,
    ComputingCluster.HORINGER: ComputingHub.INNER_MONGOLIA,
    ComputingCluster.QINGYANG: ComputingHub.GANSU,
    ComputingCluster.ZHONGWEI: ComputingHub.NINGXIA,
}


def hub_of(cluster: str) -> ComputingHub | None:
    """The hub node a data-centre cluster belongs to; None for no cluster."""
    return HUB_OF_CLUSTER.get(cluster) if cluster else None
