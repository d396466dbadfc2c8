"""Face regions in XMP, for writing: the MWG (``mwg-rs``) and Microsoft (``MP``) region
lists read as flat items and merged with termkam's named faces, never dropping a region
another tool wrote (pets, focus areas, faces under other names)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MWG = "Xmp.mwg-rs.Regions"
MWG_LIST = f"{MWG}/mwg-rs:RegionList"
MP = "Xmp.MP.RegionInfo"
MP_LIST = f"{MP}/MPRI:Regions"


@dataclass(frozen=True)
class Region:
    """A named face, normalised 0..1 in the STORED frame (MWG), top-left corner."""

    name: str
    x: float
    y: float
    w: float
    h: float

    def key(self) -> tuple[str, float, float, float, float]:
        return (self.name, *(round(v, 4) for v in (self.x, self.y, self.w, self.h)))


def regions_now(xmp: Mapping[str, Any]) -> tuple[Region, ...]:
    """The named face regions the metadata holds (MWG, else Microsoft)."""
    mwg = [r for r in map(_mwg_region, _items(xmp, MWG_LIST)[0]) if r is not None and r.name]
    regions = mwg or [r for r in map(_mp_region, _items(xmp, MP_LIST)[0])
                      if r is not None and r.name]
    return tuple(regions)


def merge_regions(xmp: Mapping[str, Any], wanted: Sequence[Region],
                  stored_size: tuple[int, int] | None, before: Mapping[str, list[list[Any]]]
                  ) -> tuple[dict[str, Any], list[str], dict[str, list[list[Any]]]]:
    """(key changes, their description, the regions termkam owns now by list) merging
    termkam's faces into the MWG and MP region lists; no changes when those already say so.
    Regions of other tools stay; termkam's own regions that are no longer wanted go; a face
    another tool already marked is not marked twice. ``before``: what termkam owned."""
    mwg, mwg_flat = _items(xmp, MWG_LIST)
    mp, mp_flat = _items(xmp, MP_LIST)
    flat = mwg_flat and mp_flat          # else: nested structures we do not know, only add
    mine_before = _keys(before, MWG_LIST) if flat else set()
    mwg_kept = _kept(mwg, _mwg_region, mine_before)
    mp_kept = _kept(mp, _mp_region, _keys(before, MP_LIST) if flat else set())
    new_mwg = _missing(wanted, [_mwg_region(i) for i in mwg_kept])
    new_mp = _missing(wanted, [_mp_region(i) for i in mp_kept])
    owned = {MWG_LIST: [list(r.key()) for r in new_mwg],
             MP_LIST: [list(r.key()) for r in new_mp]}
    final_mwg = mwg_kept + [_mwg_item(r) for r in new_mwg]
    final_mp = mp_kept + [_mp_item(r) for r in new_mp]
    if final_mwg == mwg and final_mp == mp:
        return {}, [], owned
    keys = {r.key() for r in new_mwg}
    described = ([f"face region + {r.name}" for r in new_mwg if r.key() not in mine_before]
                 + [f"face region - {region.name}" for region in map(_mwg_region, mwg)
                    if region is not None and region.key() in mine_before
                    and region.key() not in keys])
    if not flat:
        return _appended(MWG_LIST, len(mwg), final_mwg[len(mwg_kept):]) | _appended(
            MP_LIST, len(mp), final_mp[len(mp_kept):]), described, owned
    changes: dict[str, Any] = {k: None for k in xmp if k.startswith((MWG, MP))}
    changes |= _appended(MWG_LIST, 0, final_mwg)
    changes |= _appended(MP_LIST, 0, final_mp)
    dims = {k: v for k, v in xmp.items() if k.startswith(f"{MWG}/mwg-rs:AppliedToDimensions/")}
    if stored_size is not None and new_mwg:
        dims = {f"{MWG}/mwg-rs:AppliedToDimensions/stDim:{k}": v for k, v in
                (("w", str(stored_size[0])), ("h", str(stored_size[1])), ("unit", "pixel"))}
    if mwg_kept or new_mwg:
        changes |= dims
    return changes, described, owned


def _keys(owned: Mapping[str, list[list[Any]]], list_key: str) -> set[tuple[Any, ...]]:
    return {tuple(r) for r in owned.get(list_key, [])}


def _kept(items: Sequence[Mapping[str, str]],
          parse: Callable[[Mapping[str, str]], Region | None],
          mine: set[tuple[Any, ...]]) -> list[Mapping[str, str]]:
    """The region items termkam did not write (or cannot read)."""
    return [i for i in items if (r := parse(i)) is None or r.key() not in mine]


def _missing(wanted: Sequence[Region], present: Sequence[Region | None]) -> list[Region]:
    """The wanted regions no present region already marks (same name, overlapping)."""
    return [r for r in wanted if not any(p is not None and _same_face(r, p) for p in present)]


def _same_face(a: Region, b: Region) -> bool:
    ix = max(0.0, min(a.x + a.w, b.x + b.w) - max(a.x, b.x))
    iy = max(0.0, min(a.y + a.h, b.y + b.h) - max(a.y, b.y))
    union = a.w * a.h + b.w * b.h - ix * iy
    return a.name.casefold() == b.name.casefold() and union > 0 and ix * iy / union >= 0.5


def _appended(list_key: str, after: int, items: Sequence[Mapping[str, str]]) -> dict[str, Any]:
    """Keys writing ``items`` into an XMP list after its first ``after`` entries."""
    if not items:
        return {}
    changes: dict[str, Any] = {list_key: []} if after == 0 else {}
    for index, item in enumerate(items, after + 1):
        changes |= {f"{list_key}[{index}]/{k}": v for k, v in item.items()}
    return changes


def _items(xmp: Mapping[str, Any], list_key: str) -> tuple[list[dict[str, str]], bool]:
    """The structs of an XMP list as {sub key: value}, and whether all are flat enough to be
    written back as they were (no nested arrays)."""
    pattern = re.compile(re.escape(list_key) + r"\[(\d+)\]/(.+)")
    items: dict[int, dict[str, str]] = {}
    simple = True
    for key, value in xmp.items():
        match = pattern.fullmatch(key)
        if match is None:
            continue
        if not isinstance(value, str) or "[" in match.group(2):
            simple = False
            continue
        if value.startswith("type="):
            simple = simple and value == 'type="Struct"'
            continue
        items.setdefault(int(match.group(1)), {})[match.group(2)] = value
    return [items[i] for i in sorted(items)], simple


def _mwg_item(region: Region) -> dict[str, str]:
    area = {"x": region.x + region.w / 2, "y": region.y + region.h / 2,
            "w": region.w, "h": region.h}
    return {"mwg-rs:Name": region.name, "mwg-rs:Type": "Face",
            **{f"mwg-rs:Area/stArea:{k}": f"{v:.6f}" for k, v in area.items()},
            "mwg-rs:Area/stArea:unit": "normalized"}


def _mwg_region(item: Mapping[str, str]) -> Region | None:
    try:
        cx, cy, w, h = (float(item[f"mwg-rs:Area/stArea:{c}"]) for c in "xywh")
    except (KeyError, ValueError):
        return None
    return Region(item.get("mwg-rs:Name", ""), cx - w / 2, cy - h / 2, w, h)


def _mp_item(region: Region) -> dict[str, str]:
    rect = ", ".join(f"{v:.6f}" for v in (region.x, region.y, region.w, region.h))
    return {"MPReg:Rectangle": rect, "MPReg:PersonDisplayName": region.name}


def _mp_region(item: Mapping[str, str]) -> Region | None:
    try:
        x, y, w, h = (float(v) for v in item.get("MPReg:Rectangle", "").split(","))
    except ValueError:
        return None
    return Region(item.get("MPReg:PersonDisplayName", ""), x, y, w, h)


