"""Evidence and reports in an S3-compatible bucket (django-storages), against moto's S3 server
started by the test on a local port: what production does against MinIO or another S3 service."""

import boto3
import pytest
from django.urls import reverse
from moto.server import ThreadedMotoServer

from assessment.carry_over import save_carried
from assessment.evidence import evidence_storage
from assessment.lifecycle import submit_assessment
from assessment.models import Answer
from plans.catalogue_file import import_catalogue
from reports.models import GeneratedReport, report_storage
from tests.assessment.answering_helpers import make_team, post_answer, stored
from tests.assessment.test_answering import pdf
from tests.plans.test_catalogue_and_plan import SMALL

pytestmark = pytest.mark.django_db

BUCKET = "cdm-private"


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, tmp_path):
    """A fresh private bucket; the app's file fields pointed at it as S3_BUCKET=… would at start-up."""
    settings.MEDIA_ROOT = tmp_path / "media"  # must stay empty: nothing may land on local disk
    credentials = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **credentials)
    client.create_bucket(Bucket=BUCKET)
    settings.S3_STORAGE_OPTIONS = {
        "bucket_name": BUCKET,
        "endpoint_url": s3_server,
        "region_name": "us-east-1",
        "access_key": "test-key",
        "secret_key": "test-secret",
        "location": "cdm",
        "addressing_style": "path",
        "signature_version": "s3v4",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    fields = [
        (Answer._meta.get_field("evidence_file"), evidence_storage),
        (GeneratedReport._meta.get_field("file"), report_storage),
    ]
    kept = [field.storage for field, _ in fields]
    for field, make in fields:
        field.storage = make()
    yield client
    for (field, _), storage in zip(fields, kept, strict=True):
        field.storage = storage
    objects = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in objects:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client, prefix="") -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", []))


def test_evidence_goes_to_the_bucket_and_comes_back_only_through_the_checked_view(client, bucket, settings):
    team = make_team()
    client.force_login(team.services)
    response = post_answer(client, team.assessment, "S1.1", {"level": "3"}, files={"evidence_file": pdf()})
    assert response.status_code == 200, response.content
    answer = stored(team.assessment, "S1.1")
    assert keys(bucket) == [f"cdm/evidence/{answer.evidence_file.name}"]
    assert not settings.MEDIA_ROOT.exists()
    acl = bucket.get_object_acl(Bucket=BUCKET, Key=keys(bucket)[0])
    assert not [g for g in acl["Grants"] if g["Grantee"].get("URI", "").endswith("AllUsers")]  # private
    url = reverse("answer_evidence", args=[team.assessment.pk, answer.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    client.force_login(team.other_official)
    assert client.get(url).status_code == 404


def test_replacing_and_removing_evidence_deletes_the_old_object(client, bucket, django_capture_on_commit_callbacks):
    team = make_team()
    client.force_login(team.services)
    post_answer(client, team.assessment, "S1.1", {"level": "3"}, files={"evidence_file": pdf()})
    first = keys(bucket)
    with django_capture_on_commit_callbacks(execute=True):  # the old object goes once the save is committed
        post_answer(client, team.assessment, "S1.1", {"level": "3"}, revision=1, files={"evidence_file": pdf("v2.pdf")})
    second = keys(bucket)
    assert len(second) == 1 and second != first
    with django_capture_on_commit_callbacks(execute=True):
        post_answer(client, team.assessment, "S1.1", {"level": "3", "remove_file": "on"}, revision=2)
    assert keys(bucket) == [] and not stored(team.assessment, "S1.1").evidence_file


def test_carried_evidence_is_copied_inside_the_bucket(client, bucket):
    from assessment.carry_over import preview_carry
    from assessment.lifecycle import start_assessment

    team = make_team()
    client.force_login(team.services)
    post_answer(client, team.assessment, "S1.1", {"level": "3"}, files={"evidence_file": pdf()})
    source = team.assessment
    successor = start_assessment(city=source.city, year=2027, user=team.coordinator)
    save_carried(successor, preview_carry(source, successor.version), user=team.coordinator)
    carried = stored(successor, "S1.1")
    assert carried.evidence_file and carried.evidence_file.name != stored(source, "S1.1").evidence_file.name
    assert len(keys(bucket, "cdm/evidence/")) == 2
    with carried.evidence_file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 evidence"


def test_a_report_is_stored_in_the_bucket_and_reused(client, bucket, settings):
    team = make_team()
    import_catalogue(SMALL)
    a = team.assessment
    client.force_login(team.services)
    post_answer(client, a, "S1.1", {"level": "2"})
    submit_assessment(a, user=team.coordinator)
    client.force_login(team.consultant)
    response = client.get(reverse("assessment_report_pdf", args=[a.pk]), {"lang": "en"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    assert keys(bucket, "cdm/reports/") == [f"cdm/{GeneratedReport.objects.get(assessment=a).file.name}"]
    again = client.get(reverse("assessment_report_pdf", args=[a.pk]), {"lang": "en"})
    assert b"".join(again.streaming_content) == body  # served from the bucket, not rendered again
    assert len(keys(bucket, "cdm/reports/")) == 1
    assert not settings.MEDIA_ROOT.exists()


def test_healthz_probes_the_bucket(client, bucket, s3_server, settings):
    body = client.get("/healthz").json()
    assert (body["database"], body["storage"]) == ("ok", "ok")
    assert keys(bucket) == []  # the probe object is removed again
    settings.S3_STORAGE_OPTIONS = {**settings.S3_STORAGE_OPTIONS, "bucket_name": "no-such-bucket"}
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["storage"] == "failed"


def test_s3_settings_come_from_the_environment(monkeypatch):
    from config import settings as config_settings

    monkeypatch.setenv("S3_BUCKET", "cdm-files")
    monkeypatch.setenv("S3_ENDPOINT_URL", "https://minio.example.gov.cn")
    monkeypatch.setenv("S3_PREFIX", "/prod/")
    options = config_settings._s3_options()
    assert options["bucket_name"] == "cdm-files" and options["endpoint_url"] == "https://minio.example.gov.cn"
    assert options["location"] == "prod" and options["querystring_auth"] is True
    assert "default_acl" not in options  # objects take the bucket's own (private) policy
    monkeypatch.delenv("S3_BUCKET")
    assert config_settings._s3_options() == {}
