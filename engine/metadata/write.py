"""Writing termkam's decisions into a photo's XMP (a sidecar or the file itself) in the keys
digiKam, Lightroom and exiftool read, merging with what is there and never clobbering it.

``merge`` takes the metadata bytes as they are, what termkam wants them to say (``Wanted``)
and what termkam wrote there before (``Owned``). Values termkam does not own stay exactly as
they were; termkam removes only values it wrote itself that are no longer wanted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyexiv2

from engine.errors import ItemError

from .exiv2 import LOCK, first_line
from .write_regions import Region, merge_regions, regions_now

EMPTY_PACKET = (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
                b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
                b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>\n'
                b'<?xpacket end="w"?>')
PICK_VALUES = {"rejected": "1", "pending": "2", "accepted": "3"}
IPTC_KEYWORD_BYTES = 64          # the IPTC IIM limit of one keyword
# XMP arrays that are unordered (Bag) by their schemas; exiv2 writes every array as a Seq
_BAGS = ("dc:subject", "lr:hierarchicalSubject", "mwg-rs:RegionList")


@dataclass(frozen=True)
class Wanted:
    """What termkam wants a photo's metadata to say."""

    tags: tuple[tuple[str, ...], ...] = ()      # tag paths, persons as ("People", name)
    regions: tuple[Region, ...] = ()
    stored_size: tuple[int, int] | None = None  # AppliedToDimensions (stored pixels)
    pick_label: str | None = None               # rejected | pending | accepted


@dataclass
class Owned:
    """The values termkam put into a photo's metadata, as written (JSON-able)."""

    lists: dict[str, list[str]] = field(default_factory=dict)     # key -> values
    regions: dict[str, list[list[Any]]] = field(default_factory=dict)  # list -> Region.key()s
    pick_label: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"lists": self.lists, "regions": self.regions, "pick_label": self.pick_label}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Owned:
        data = data or {}
        return cls({k: list(v) for k, v in (data.get("lists") or {}).items()},
                   {k: [list(r) for r in v] for k, v in (data.get("regions") or {}).items()},
                   data.get("pick_label"))


@dataclass
class Merged:
    """The metadata after merging, what termkam owns in it now, and what changed."""

    data: bytes
    owned: Owned
    changes: list[str]
    pick_label: str | None = None           # what the metadata says now
    regions: tuple[Region, ...] = ()        # its named face regions now (stored frame)


def list_values(wanted: Wanted, into_file: bool) -> dict[str, list[str]]:
    """The XMP (and, into a file, IPTC) list values that say ``wanted``'s tags."""
    values = {"Xmp.digiKam.TagsList": ["/".join(p) for p in wanted.tags],
              "Xmp.lr.hierarchicalSubject": ["|".join(p) for p in wanted.tags],
              "Xmp.dc.subject": list(dict.fromkeys(p[-1] for p in wanted.tags))}
    if into_file:
        values["Iptc.Application2.Keywords"] = [
            leaf for leaf in values["Xmp.dc.subject"]
            if len(leaf.encode("utf-8")) <= IPTC_KEYWORD_BYTES]
    return values


def merge(data: bytes | None, wanted: Wanted, before: Owned, into_file: bool) -> Merged:
    """Merge ``wanted`` into the metadata of ``data`` (a file's bytes, a sidecar's, or None
    for a new sidecar). Raises ItemError when exiv2 cannot read or write it."""
    with LOCK:
        image = _open(data)
        try:
            return _merge(image, wanted, before, into_file)
        except RuntimeError as error:
            raise ItemError(f"cannot write metadata: {first_line(error)}") from None
        finally:
            image.close()


def _open(data: bytes | None) -> Any:
    try:
        return pyexiv2.ImageData(data if data is not None else EMPTY_PACKET)
    except (RuntimeError, ValueError) as error:
        raise ItemError(f"unreadable metadata, left as it is: {first_line(error)}") from None


def _merge(image: Any, wanted: Wanted, before: Owned, into_file: bool) -> Merged:
    xmp = image.read_xmp()
    iptc = image.read_iptc() if into_file else {}
    owned, changes = Owned(), []
    xmp_changes: dict[str, Any] = {}
    iptc_changes: dict[str, Any] = {}
    for key, values in list_values(wanted, into_file).items():
        existing = _as_list((iptc if key.startswith("Iptc.") else xmp).get(key))
        merged, mine = merge_list(existing, values, before.lists.get(key, []))
        owned.lists[key] = mine
        if merged != existing:
            (iptc_changes if key.startswith("Iptc.") else xmp_changes)[key] = merged or None
            changes += _described(key, existing, merged)
    if iptc_changes:
        iptc_changes["Iptc.Envelope.CharacterSet"] = "\x1b%G"  # UTF-8, for other readers
    region_changes, described, owned.regions = merge_regions(
        xmp, wanted.regions, wanted.stored_size, before.regions)
    xmp_changes.update(region_changes)
    changes += described
    pick = _merge_pick(xmp.get("Xmp.digiKam.PickLabel"), wanted.pick_label, before, owned)
    if pick is not None:
        xmp_changes["Xmp.digiKam.PickLabel"] = pick[0]
        changes.append(pick[1])
    if xmp_changes:
        image.modify_xmp(_deletions_first(xmp, xmp_changes))
        image.modify_raw_xmp(as_bags(image.read_raw_xmp()))
    if iptc_changes:
        image.modify_iptc(iptc_changes)
    xmp = image.read_xmp()
    pick = xmp.get("Xmp.digiKam.PickLabel")
    labels = {v: k for k, v in PICK_VALUES.items()}
    return Merged(image.get_bytes(), owned, changes,
                  labels.get(pick) if isinstance(pick, str) else None, regions_now(xmp))


def merge_list(existing: Sequence[str], wanted: Sequence[str], owned_before: Sequence[str]
               ) -> tuple[list[str], list[str]]:
    """(the merged list, the values termkam owns in it): termkam's values no longer wanted
    go, wanted ones are added after the others; values it did not write stay put."""
    drop = set(owned_before) - set(wanted)
    merged = [v for v in existing if v not in drop]
    merged += [v for v in dict.fromkeys(wanted) if v not in merged]
    mine = [v for v in dict.fromkeys(wanted) if v in owned_before or v not in existing]
    return merged, mine


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]


def _described(key: str, before: Sequence[str], after: Sequence[str]) -> list[str]:
    name = key.split(".", 2)[-1]
    added = [v for v in after if v not in before]
    removed = [v for v in before if v not in after]
    return ([f"{name} + {v}" for v in added] + [f"{name} - {v}" for v in removed])


def _merge_pick(existing: Any, wanted: str | None, before: Owned,
                owned: Owned) -> tuple[str | None, str] | None:
    """The new PickLabel value (None deletes it) and its description, or None to leave it."""
    value = PICK_VALUES.get(wanted or "")
    current = existing if isinstance(existing, str) else None
    if value is not None:
        owned.pick_label = value
        return None if current == value else (value, f"PickLabel = {value} ({wanted})")
    if before.pick_label is not None and current == before.pick_label:
        return None, f"PickLabel - {current}"
    return None


def _deletions_first(xmp: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """Deletions (deepest keys first), then the new values, so a rewritten list starts
    from nothing."""
    deletions = sorted((k for k, v in changes.items() if v is None and k in xmp),
                       key=lambda k: -k.count("/") - k.count("["))
    return {**{k: None for k in deletions},
            **{k: v for k, v in changes.items() if v is not None}}


def as_bags(packet: str) -> str:
    """The XMP packet with the arrays their schemas define as unordered written as Bags."""
    for prop in _BAGS:
        packet = re.sub(rf"(<{re.escape(prop)}>\s*)<rdf:Seq>(.*?)</rdf:Seq>",
                        r"\1<rdf:Bag>\2</rdf:Bag>", packet, flags=re.DOTALL)
    return packet
