"""The info panel of the selected photo: date, camera, lens, size, path, GPS, stars and colour
label from the files, tags with their source, faces with names or suggestions, and quality /
pick labels when a tool set them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from engine.browse import PhotoDetails
from engine.catalog.records import FaceRecord, ImageRecord, TagRecord
from engine.printable import printable


def human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


def camera(record: ImageRecord) -> str | None:
    make, model = (record.camera_make or "").strip(), (record.camera_model or "").strip()
    if model and make and model.lower().startswith(make.lower()):
        return model
    return " ".join(p for p in (make, model) if p) or None


def gps(record: ImageRecord) -> str | None:
    if record.gps_lat is None or record.gps_lon is None:
        return None
    text = f"{record.gps_lat:.5f}, {record.gps_lon:.5f}"
    return text + (f"  alt {record.gps_alt:.0f} m" if record.gps_alt is not None else "")


def stars(rating: int | None) -> str | None:
    """A rating as stars: "★★★☆☆" for 3; 0 is "no stars", -1 "rejected"."""
    if rating is None:
        return None
    if rating < 0:
        return "rejected"
    return "★" * rating + "☆" * (5 - rating) if rating else "no stars"


def tag_line(tag: TagRecord) -> tuple[str, str]:
    source = tag.source or ""
    if tag.confidence is not None:
        source += f" {tag.confidence:.0%}"
    return "/".join(tag.path), source


def face_line(face: FaceRecord) -> tuple[str, str]:
    if face.status == "confirmed" and face.person:
        return face.person, "confirmed"
    if face.status in ("ignored", "not_face"):
        return "-", face.status.replace("_", " ")
    if face.suggested:
        distance = f" {face.suggested_distance:.2f}" if face.suggested_distance is not None else ""
        return f"{face.suggested}?", f"suggested{distance}"
    return "unknown", "no suggestion"


def describe(details: PhotoDetails) -> list[tuple[str, str]]:
    """(label, value) rows; rows without a value are left out."""
    r = details.record
    pixels = (f"{r.width}x{r.height}  {r.width * r.height / 1e6:.1f} MP"
              if r.width and r.height else None)
    rows = [("Date", (r.taken_at or "").replace("T", " ") or None),
            ("Camera", camera(r)),
            ("Lens", r.lens),
            ("Pixels", pixels),
            ("File", f"{human_bytes(r.size)} ({r.size:,} bytes)"),
            ("Format", r.format),
            ("Path", r.path),
            ("GPS", gps(r)),
            ("Quality", details.quality),
            ("Pick", details.pick),
            ("Rating", stars(details.rating)),
            ("Colour", details.color_label),
            ("Status", f"{r.status}: {r.error}" if r.error else None)]
    return [(label, value) for label, value in rows if value]


class PhotoInfo(VerticalScroll, can_focus=False):
    DEFAULT_CSS = """
    PhotoInfo { width: 36; height: 1fr; border: round $panel; padding: 0 1; }
    PhotoInfo > Static { width: 100%; }
    """

    def compose(self) -> ComposeResult:
        yield Static("No photo selected.", id="photo-info-text")

    def show(self, details: PhotoDetails | None) -> None:
        """Describe this photo (None: nothing selected)."""
        self.query_one("#photo-info-text", Static).update(self.render_details(details))
        self.scroll_home(animate=False)

    @property
    def text(self) -> str:
        """The panel as plain text."""
        return str(self.query_one("#photo-info-text", Static).render())

    @staticmethod
    def render_details(details: PhotoDetails | None) -> Content:
        if details is None:
            return Content("No photo selected.")
        parts = [Content.from_markup("[b]$name[/b]\n", name=printable(details.record.name))]
        for label, value in describe(details):
            parts.append(Content.from_markup("[dim]$label[/dim] $value\n",
                                             label=f"{label:<8}", value=printable(value)))
        for title, lines in (("Tags", [tag_line(t) for t in details.tags]),
                             ("Faces", [face_line(f) for f in details.faces])):
            if not lines:
                continue
            parts.append(Content.from_markup("\n[b]$title[/b]\n", title=title))
            for name, note in lines:
                style = "$accent italic" if note.startswith("auto") else ""  # machine-made
                parts.append(Content.from_markup(f"  [{style}]$name[/]  [dim]$note[/dim]\n"
                                                 if style else "  $name  [dim]$note[/dim]\n",
                                                 name=printable(name), note=printable(note)))
        return Content("").join(parts).rstrip()
