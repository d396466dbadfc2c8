"""Peewee models mirroring the SQL of ``migrations.py``; bound to a database at open time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import peewee as pw


class BaseModel(pw.Model):
    if TYPE_CHECKING:  # peewee's stubs type every query row as a model, even .tuples() rows
        @classmethod
        def select(cls, *fields: Any) -> Any: ...

    class Meta:
        database = None
        legacy_table_names = False


class Collection(BaseModel):
    id = pw.AutoField()
    path = pw.TextField(unique=True)
    path_raw = pw.BlobField(null=True)
    added_at = pw.FloatField()


class Album(BaseModel):
    id = pw.AutoField()
    collection = pw.ForeignKeyField(Collection, backref="albums", on_delete="CASCADE")
    relpath = pw.TextField()
    relpath_raw = pw.BlobField(null=True)
    status = pw.TextField(default="ok")
    error = pw.TextField(null=True)


class Image(BaseModel):
    id = pw.AutoField()
    album = pw.ForeignKeyField(Album, backref="images", on_delete="CASCADE")
    name = pw.TextField()
    name_raw = pw.BlobField(null=True)
    kind = pw.TextField()
    format = pw.TextField(null=True)
    size = pw.IntegerField()
    mtime_ns = pw.IntegerField()
    content_hash = pw.TextField(null=True)
    pixel_hash = pw.TextField(null=True)
    width = pw.IntegerField(null=True)
    height = pw.IntegerField(null=True)
    orientation = pw.IntegerField(default=1)
    taken_at = pw.TextField(null=True)
    camera_make = pw.TextField(null=True)
    camera_model = pw.TextField(null=True)
    lens = pw.TextField(null=True)
    gps_lat = pw.FloatField(null=True)
    gps_lon = pw.FloatField(null=True)
    gps_alt = pw.FloatField(null=True)
    status = pw.TextField()
    error = pw.TextField(null=True)
    added_at = pw.FloatField()
    scanned_at = pw.FloatField()
    rating = pw.IntegerField(null=True)          # -1 (rejected) .. 5 stars, from the files
    color_label = pw.TextField(null=True)        # red | orange | ... (digiKam, Lightroom)
    sidecar_size = pw.IntegerField(null=True)    # the XMP sidecar at the last scan
    sidecar_mtime_ns = pw.IntegerField(null=True)


class Tag(BaseModel):
    id = pw.AutoField()
    parent = pw.ForeignKeyField("self", null=True, backref="children", on_delete="CASCADE")
    name = pw.TextField()


class ImageTag(BaseModel):
    image = pw.ForeignKeyField(Image, on_delete="CASCADE")
    tag = pw.ForeignKeyField(Tag, on_delete="CASCADE")
    source = pw.TextField()
    confidence = pw.FloatField(null=True)

    class Meta:
        primary_key = pw.CompositeKey("image", "tag", "source")


class Processing(BaseModel):
    image = pw.ForeignKeyField(Image, on_delete="CASCADE")
    step = pw.TextField()
    model_id = pw.TextField(default="")
    model_version = pw.TextField(default="")
    done_at = pw.FloatField()

    class Meta:
        primary_key = pw.CompositeKey("image", "step")


class Job(BaseModel):
    id = pw.AutoField()
    kind = pw.TextField()
    options = pw.TextField(default="{}")
    state = pw.TextField()
    done = pw.IntegerField(default=0)
    total = pw.IntegerField(default=0)
    errors = pw.IntegerField(default=0)
    message = pw.TextField(null=True)
    pid = pw.IntegerField(null=True)
    started_at = pw.FloatField()
    updated_at = pw.FloatField()
    finished_at = pw.FloatField(null=True)


class JobError(BaseModel):
    id = pw.AutoField()
    job = pw.ForeignKeyField(Job, on_delete="CASCADE")
    image = pw.ForeignKeyField(Image, null=True, on_delete="SET NULL")
    path = pw.TextField()
    reason = pw.TextField()
    at = pw.FloatField()


class Setting(BaseModel):
    key = pw.TextField(primary_key=True)
    value = pw.TextField()


class Person(BaseModel):
    id = pw.AutoField()
    name = pw.TextField(unique=True)
    created_at = pw.FloatField()


class Face(BaseModel):
    """A face region in the displayed (orientation-applied) frame, full-resolution pixels."""

    id = pw.AutoField()
    image = pw.ForeignKeyField(Image, backref="faces", on_delete="CASCADE")
    x = pw.FloatField()
    y = pw.FloatField()
    w = pw.FloatField()
    h = pw.FloatField()
    landmarks = pw.TextField(null=True)
    det_score = pw.FloatField(null=True)
    quality = pw.FloatField(null=True)
    quality_detail = pw.TextField(null=True)
    source = pw.TextField()
    detector = pw.TextField(null=True)
    status = pw.TextField()
    person = pw.ForeignKeyField(Person, null=True, on_delete="SET NULL")
    suggested_person = pw.ForeignKeyField(Person, null=True, on_delete="SET NULL",
                                          backref="suggested_faces")
    suggested_distance = pw.FloatField(null=True)
    cluster_id = pw.IntegerField(null=True)
    created_at = pw.FloatField()
    updated_at = pw.FloatField()
    superseded_at = pw.FloatField(null=True)  # on a picture since replaced under its name


class FaceEmbedding(BaseModel):
    face = pw.ForeignKeyField(Face, primary_key=True, on_delete="CASCADE")
    model_id = pw.TextField()
    model_version = pw.TextField()
    vector = pw.BlobField()


class FaceRejection(BaseModel):
    face = pw.ForeignKeyField(Face, on_delete="CASCADE")
    person = pw.ForeignKeyField(Person, on_delete="CASCADE")

    class Meta:
        primary_key = pw.CompositeKey("face", "person")


class FaceJournal(BaseModel):
    id = pw.AutoField()
    action = pw.TextField()
    summary = pw.TextField()
    undo = pw.TextField()
    at = pw.FloatField()
    undone = pw.IntegerField(default=0)


class TagRejection(BaseModel):
    """An auto tag the user removed from an image: never added to it again."""

    image = pw.ForeignKeyField(Image, on_delete="CASCADE")
    tag = pw.ForeignKeyField(Tag, on_delete="CASCADE")
    at = pw.FloatField()
    confidence = pw.FloatField(null=True)        # the auto tag's, when the models made it

    class Meta:
        primary_key = pw.CompositeKey("image", "tag")


class ImageQuality(BaseModel):
    """Detector scores (JSON, 0..1, 1 = strong defect) and the 0-100 figure they gave."""

    image = pw.ForeignKeyField(Image, primary_key=True, on_delete="CASCADE")
    scores = pw.TextField()
    figure = pw.FloatField()
    model_version = pw.TextField()
    scored_at = pw.FloatField()


class PickLabel(BaseModel):
    image = pw.ForeignKeyField(Image, primary_key=True, on_delete="CASCADE")
    label = pw.TextField()
    source = pw.TextField()
    set_at = pw.FloatField()


class MetadataWritten(BaseModel):
    """What termkam last wrote into a photo's sidecar or file (JSON), so that a later write
    removes only termkam's own values and leaves everything else as it was."""

    image = pw.ForeignKeyField(Image, primary_key=True, on_delete="CASCADE")
    target = pw.TextField()
    path = pw.TextField()
    owned = pw.TextField()
    written_at = pw.FloatField()


class MetadataPending(BaseModel):
    """Photos whose decisions changed since their metadata was last written back."""

    image = pw.ForeignKeyField(Image, primary_key=True, on_delete="CASCADE")
    queued_at = pw.FloatField()


class MetadataSeen(BaseModel):
    """What a photo's metadata said at the last scan (regions: JSON [[x, y, w, h, name] ...],
    normalised on the displayed picture): a rescan applies only what the file changed."""

    image = pw.ForeignKeyField(Image, primary_key=True, on_delete="CASCADE")
    pick_label = pw.TextField(null=True)
    rating = pw.IntegerField(null=True)
    color_label = pw.TextField(null=True)
    regions = pw.TextField(default="[]")



class ObjectBox(BaseModel):
    """Where a detected object that gave an auto tag is: x, y, w, h normalised (0..1) on the
    displayed (orientation-applied) photo; ``label`` is the model's class name."""

    id = pw.AutoField()
    image = pw.ForeignKeyField(Image, on_delete="CASCADE")
    tag = pw.ForeignKeyField(Tag, on_delete="CASCADE")
    label = pw.TextField()
    score = pw.FloatField()
    x = pw.FloatField()
    y = pw.FloatField()
    w = pw.FloatField()
    h = pw.FloatField()
    model_id = pw.TextField()

class Thumb(BaseModel):
    """Lives in the separate thumbnail store (thumbs.db), bound to that database."""

    image_id = pw.IntegerField(primary_key=True)
    width = pw.IntegerField()
    height = pw.IntegerField()
    jpeg = pw.BlobField()
    made_at = pw.FloatField()


class FaceThumb(BaseModel):
    """Face crops for the review grid, in the thumbnail store."""

    face_id = pw.IntegerField(primary_key=True)
    jpeg = pw.BlobField()


CATALOG_MODELS = (Collection, Album, Image, Tag, ImageTag, Processing, Job, JobError, Setting,
                  Person, Face, FaceEmbedding, FaceRejection, FaceJournal, TagRejection,
                  ImageQuality, PickLabel, MetadataWritten, MetadataPending, MetadataSeen,
                  ObjectBox)
THUMB_MODELS = (Thumb, FaceThumb)
