"""Browsing a real scanned collection: filters by album, tag, person and text; paging."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from engine.browse import Filters
from engine.catalog import images, search, tags, thumbs


def scan(engine, *paths):
    result = engine.scan([str(p) for p in paths]).wait(120)
    assert result is not None and result.state == "done", result
    return result


def names(engine, filters: Filters) -> set[str]:
    return {Path(r.path).name for r in engine.browse.page(filters, 0, 1000)}


def album_id(engine, relpath: str) -> int:
    return next(a.id for a in engine.albums() if a.relpath == relpath)


def test_album_filter_includes_sub_albums(engine, photo_tree):
    scan(engine, photo_tree)
    browse = engine.browse
    everything = browse.ids()
    assert len(everything) == browse.count() == len(engine.images(status="ok"))
    things = Filters(album_id=album_id(engine, "things"))
    assert names(engine, things) == {"coffee.png", "rocket.jpg", "chelsea.png"}
    animals = Filters(album_id=album_id(engine, "things/animals"))
    assert names(engine, animals) == {"chelsea.png"}
    root = Filters(album_id=album_id(engine, ""))
    assert browse.count(root) == len(everything)
    people = browse.ids(Filters(album_id=album_id(engine, "people")))
    assert all(engine.image(i).path.startswith(str(photo_tree / "people") + "/") for i in people)
    counts = browse.album_counts()
    assert counts[album_id(engine, "things")] == 2
    assert counts[album_id(engine, "things/animals")] == 1
    assert sum(counts.values()) == len(everything)


def test_album_prefix_does_not_catch_sibling_names(engine, tmp_path, objects_set):
    root = tmp_path / "photos"
    for album in ("trip", "trip2", "trip/day1"):
        (root / album).mkdir(parents=True)
        shutil.copy2(objects_set["skimage/rocket.jpg"], root / album / "r.jpg")
    scan(engine, root)
    assert engine.browse.count(Filters(album_id=album_id(engine, "trip"))) == 2
    assert engine.browse.count(Filters(album_id=album_id(engine, "trip2"))) == 1


def test_tag_filter_on_metadata_keywords_and_tag_tree(engine, tmp_path, metadata_set):
    root = tmp_path / "photos"
    root.mkdir()
    for key, path in metadata_set.items():
        shutil.copy2(path, root / Path(key).name)
    scan(engine, root)
    assert names(engine, Filters(tag=("Budapest",))) == {"iptc.jpg"}
    assert names(engine, Filters(tag=("holiday",), text="iptc")) == {"iptc.jpg"}
    assert engine.browse.count(Filters(tag=("Paris",))) == 0
    xmp = engine.find_image(str(root / "xmp_test.jpg"))
    flower = engine.find_image(str(root / "flower.jpg"))
    with engine.library.writing():
        tags.set_image_tags(xmp.id, [("Places", "Hungary", "Budapest")], "user")
        tags.set_image_tags(flower.id, [("Places", "France")], "auto", [0.8])
    assert names(engine, Filters(tag=("Places",))) == {"xmp_test.jpg", "flower.jpg"}
    assert names(engine, Filters(tag=("Places", "Hungary"))) == {"xmp_test.jpg"}
    # a top-level "Budapest" and Places/Hungary/Budapest are different tags
    assert names(engine, Filters(tag=("Budapest",))) == {"iptc.jpg"}
    details = engine.browse.details(flower.id)
    assert [(t.path, t.source, t.confidence) for t in details.tags] == [
        (("Places", "France"), "auto", 0.8)]
    assert details.record.camera_model == "Canon PowerShot S40"
    assert details.quality is None


def test_status_filter_hides_broken_files_unless_asked(engine, tmp_path, metadata_set):
    root = tmp_path / "photos"
    root.mkdir()
    shutil.copy2(metadata_set["pillow/flower.jpg"], root / "flower.jpg")
    (root / "broken.jpg").write_bytes(b"not a jpeg")
    scan(engine, root)
    assert names(engine, Filters()) == {"flower.jpg"}
    assert names(engine, Filters(status="error")) == {"broken.jpg"}
    assert names(engine, Filters(status=None)) == {"flower.jpg", "broken.jpg"}


def test_person_filter_after_naming_a_detected_face(engine, photo_tree):
    scan(engine, photo_tree)
    result = engine.start("faces.detect").wait(300)
    assert result is not None and result.state == "done", result
    faces = engine.faces.find()
    assert faces
    first = faces[0]
    engine.faces.name([first.id], "Ada")
    ada = next(p for p in engine.faces.persons() if p.name == "Ada")
    assert engine.browse.ids(Filters(person_id=ada.id)) == [first.image_id]
    assert engine.browse.count(Filters(person_id=ada.id, text="no-such-name")) == 0
    details = engine.browse.details(first.image_id)
    named = [f for f in details.faces if f.id == first.id]
    assert named and named[0].name == "Ada"


def test_text_filter_matches_name_and_album_path(engine, photo_tree):
    scan(engine, photo_tree)
    assert names(engine, Filters(text="ROCK")) == {"rocket.jpg"}
    assert names(engine, Filters(text="animals")) == {"chelsea.png"}
    assert names(engine, Filters(text="%")) == set()   # wildcards are literal
    assert names(engine, Filters(text="_")) == {n for n in names(engine, Filters()) if "_" in n}


def test_pages_are_disjoint_and_cover_everything_in_ids_order(engine, photo_tree):
    scan(engine, photo_tree)
    browse = engine.browse
    ids = browse.ids()
    pages = [browse.page(Filters(), offset, 3) for offset in range(0, len(ids) + 3, 3)]
    seen = [r.id for p in pages for r in p]
    assert seen == ids and len(set(seen)) == len(seen)
    assert [r.id for r in browse.records(ids[::-1])] == ids[::-1]
    assert set(browse.thumbnails(ids)) == set(ids)
    assert browse.names(ids[:2]) == {i: engine.image(i).name for i in ids[:2]}


def test_filters_are_generic_clauses():
    assert Filters(text="a", tag=("x",)).active() == {"text": "a", "tag": ("x",)}
    assert Filters(text="a").but(text=None).active() == {}
    assert set(search.CLAUSES) >= {"album_id", "tag", "person_id", "text", "status"}


@pytest.fixture
def big_library(engine, photo_tree):
    """The photo tree plus 10,000 catalogued rows sharing the real thumbnails."""
    scan(engine, photo_tree)
    real = engine.images(status="ok")
    jpegs = [engine.thumbnail(r.id) for r in real]
    template = real[0]
    with engine.library.writing():
        album = images.add_albums(images.collections()[0].id, ["synthetic"])["synthetic"]
        new_ids = [images.insert_image(album, f"img{n:05d}.jpg", {
            "kind": "image", "format": "jpeg", "size": 1000 + n, "mtime_ns": n,
            "width": template.width, "height": template.height, "status": "ok"})
            for n in range(10_000)]
    with thumbs.writing():
        thumbs.put_thumbs((iid, 256, 256, jpegs[n % len(jpegs)]) for n, iid in enumerate(new_ids))
    return engine


def test_queries_stay_fast_on_10000_images(big_library):
    browse = big_library.browse
    start = time.perf_counter()
    ids = browse.ids()
    count = browse.count(Filters(text="img0"))
    page = browse.page(Filters(), 9_950, 50)
    counts = browse.album_counts()
    elapsed = time.perf_counter() - start
    assert len(ids) > 10_000 and count == 10_000 and len(page) == 50 > 0
    assert sum(counts.values()) == len(ids)
    assert elapsed < 1.0, elapsed
