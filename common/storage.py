"""Where private files live: evidence uploads and generated reports.

The embedded default is the filesystem under MEDIA_ROOT. With `S3_BUCKET` set they go to an
S3-compatible object store instead (MinIO on a government cloud, or any S3 service), through
django-storages, so that every app server and worker reaches the same files. Either way the
files are private: they have no public URL, and the app serves them only through views that
check the user may see them (`assessment.views.answering.evidence`, the report views).
"""

import posixpath
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage


def private_storage(folder: str = "") -> Storage:
    """The storage of one kind of private file: MEDIA_ROOT/<folder>, or <S3_PREFIX>/<folder>/ in the bucket."""
    options = settings.S3_STORAGE_OPTIONS
    if options:
        from storages.backends.s3 import S3Storage

        return S3Storage(**{**options, "location": posixpath.join(options.get("location", ""), folder).strip("/")})
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / folder, base_url=None)
