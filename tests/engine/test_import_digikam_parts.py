"""The pieces of `termkam import digikam` that need no photos: digiKam's album-root
identifiers, path maps, region rectangles, the tag tree, and fetching digiKam's schema."""

from __future__ import annotations

import pytest

from engine import debian_packages
from engine.errors import TermkamError
from engine.importers.digikam_db import DkRoot, DkTag
from engine.importers.digikam_faces import parse_rect
from engine.importers.digikam_paths import PathMap, album_path, parse_map, root_path
from engine.importers.digikam_tags import index_tags
from tests.digikam_db import rect


def _root(identifier: str, specific: str) -> DkRoot:
    return DkRoot(1, "Pictures", identifier, specific)


def test_album_roots_resolve_as_digikam_names_them():
    assert root_path(_root("volumeid:?path=/media/disk", "/")) == "/media/disk"
    assert root_path(_root("volumeid:?path=%2Fmnt%2Fmy%20photos", "/2019")) == \
        "/mnt/my photos/2019"
    assert root_path(_root("networkshareid:?mountpath=/net/nas&mountpath=/net/nas2", "/")) \
        == "/net/nas"
    # a volume that is not mounted here: its path on that volume, from the root
    assert root_path(_root("volumeid:?uuid=0badc0de-0000&fileuuid=x", "/home/ada/Pictures")) \
        == "/home/ada/Pictures"
    assert album_path("/media/disk", "/") == "/media/disk"
    assert album_path("/media/disk", "/2019/Summer") == "/media/disk/2019/Summer"


def test_path_maps_take_whole_components_and_the_longest_prefix():
    mapped = PathMap([parse_map("/home/ada=/srv/ada"),
                      parse_map("/home/ada/Pictures=/photos")])
    assert mapped("/home/ada/Pictures/2019/a.jpg") == "/photos/2019/a.jpg"
    assert mapped("/home/ada/Documents/b.jpg") == "/srv/ada/Documents/b.jpg"
    assert mapped("/home/adams/c.jpg") == "/home/adams/c.jpg"
    assert mapped("/home/ada") == "/srv/ada"
    for bad in ("/a", "=/b", "/a=", "relative=/b", "/a=relative"):
        with pytest.raises(TermkamError):
            parse_map(bad)


def test_region_rectangles_are_read_as_digikam_writes_them():
    assert parse_rect(rect((10, 20, 30, 40))) == (10.0, 20.0, 30.0, 40.0)
    assert parse_rect('<rect  width="3" x="1" height="4" y="2" />') == (1.0, 2.0, 3.0, 4.0)
    for bad in (None, "", "<rect x='1'/>", '<rect x="1" y="2" width="0" height="4"/>',
                '<rect x="a" y="2" width="3" height="4"/>', '<circle x="1"/>'):
        assert parse_rect(bad) is None


def test_the_tag_tree_is_sorted_into_labels_persons_and_user_tags():
    rows = [(1, 0, "_Digikam_Internal_Tags_"), (2, 1, "Pick Label Pending"),
            (3, 1, "Color Label Magenta"), (4, 1, "Scanned for Faces"), (5, 0, "Personen"),
            (6, 5, "Unbekannt"), (7, 5, "Ignoriert"), (8, 5, "Familie"), (9, 8, "Ana"),
            (10, 0, "Reisen"), (11, 10, "Kyōto"), (12, 0, "Friends"), (13, 12, "Ben"),
            (14, 0, "bad\x00name")]
    tags = {i: DkTag(i, pid, name) for i, pid, name in rows}
    props = {1: {"internalTag": None}, 6: {"person": None, "unknownPerson": None},
             7: {"person": None, "ignoredPerson": None}, 9: {"person": "Ana Lima"},
             13: {"person": "Ben"}}
    index = index_tags(tags, props)
    assert index.labels({2, 3, 4, 11}) == ("pending", "magenta")
    assert index.persons == {9: "Ana Lima", 13: "Ben"}
    assert (index.ignored, index.unnamed) == ({7}, {6})
    # the People tree (found through its special persons, whatever its name) is not tags
    assert index.user_paths(set(tags)) == [("Friends",), ("Reisen",), ("Reisen", "Kyōto"),
                                           ("bad name",)]


def test_no_network_for_the_schema_is_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.setattr(debian_packages.shutil, "which", lambda name: None)
    monkeypatch.setattr(debian_packages, "SOURCES", ())
    with pytest.raises(TermkamError, match=r"cannot download Debian package digikam-data="
                       r"4:7.9.0-1 \(no network\?\): apt-get is not installed; no Debian"):
        debian_packages.download("digikam-data", "4:7.9.0-1", tmp_path)


def test_apt_sources_in_both_formats_name_their_mirrors(tmp_path):
    (tmp_path / "a.list").write_text("# comment\ndeb [arch=amd64] http://one.example/debian "
                                     "bookworm main\ndeb-src http://src.example/ x y\n")
    (tmp_path / "b.sources").write_text("Types: deb\nURIs: https://two.example/debian\n"
                                        "Suites: bookworm\n")
    (tmp_path / "c.sources.disabled").write_text("URIs: http://off.example/\n")
    assert debian_packages.debian_mirrors((tmp_path,)) == [
        "http://one.example/debian", "https://two.example/debian"]
