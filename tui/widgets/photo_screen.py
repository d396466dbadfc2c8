"""The photo view's state and keys, shared by People's photo view and Albums' preview: every
face of the photo boxed and labelled, one highlighted (tab / shift+tab move it), the objects
behind the auto tags on request (o), and the face keys of the People pane on the
highlighted face: y confirm, n reject the name, r name, d not a face.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from PIL import Image as PILImage
from rich.text import Text
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from engine.errors import TermkamError
from engine.printable import printable

from .marked_photo import MarkedPhoto
from .person_name_dialog import PersonNameDialog
from .photo_boxes import face_marks, object_marks
from .thumb_cache import decode

if TYPE_CHECKING:
    from engine.browse import PhotoMarks
    from engine.catalog.records import FaceRecord
    from engine.engine import Engine

log = logging.getLogger(__name__)
Result = TypeVar("Result")
Thumbnails = Callable[[int], PILImage.Image | None]
KEYS = "tab face · y confirm · n reject · r name · d not a face"
NO_THUMBNAIL = "  (no thumbnail yet: run Maintenance > thumbnails)"


def face_text(face: FaceRecord) -> str:
    """Who a face is, or may be, in words."""
    if face.status == "confirmed":
        return f"{printable(face.person or '?')} (named)"
    if face.status == "ignored":
        return "ignored"
    if face.suggested:
        return f"{printable(face.suggested)}? (suggested, distance {face.suggested_distance:.3f})"
    return "unknown" + (f" (cluster {face.cluster_id})" if face.cluster_id is not None else "")


class PhotoScreen(ModalScreen[Result], Generic[Result]):
    """Subclasses give ``image_id`` and compose a ``MarkedPhoto`` and a ``Static`` caption
    (``CAPTION``); ``where`` adds to the caption's line about the file."""

    CAPTION = "#photo-caption"

    BINDINGS = [
        Binding("tab", "face(1)", "Next face", key_display="tab", id="photo.next-face"),
        Binding("shift+tab", "face(-1)", "Previous face", key_display="shift+tab",
                show=False, id="photo.previous-face"),
        Binding("y", "decide('confirm')", "Confirm", id="photo.confirm",
                tooltip="Confirm the suggested name of the highlighted face"),
        Binding("n", "decide('reject')", "Reject name", id="photo.reject",
                tooltip="Not this person: the name is never suggested for the face again"),
        Binding("r", "name", "Name", id="photo.name", tooltip="Name the highlighted face"),
        Binding("d", "decide('not_a_face')", "Not a face", id="photo.not-face",
                tooltip="A false detection: hidden, and not detected again"),
        Binding("o", "objects", "Objects", id="photo.objects",
                tooltip="Show or hide the boxes of the objects behind the auto tags"),
    ]

    def __init__(self, engine: Engine, image_cls: type, thumbnails: Thumbnails | None = None,
                 face_id: int | None = None) -> None:
        super().__init__()
        self.engine, self.image_cls = engine, image_cls
        self.thumbnails = thumbnails or self._thumbnail
        self.face_id = face_id
        self.marks: PhotoMarks | None = None
        self.picture: PILImage.Image | None = None     # the photo's thumbnail
        self.show_objects = False
        self.last = ""              # what the last decision here did
        self.decided = False        # the catalog changed: the pane behind reads it again
        self._index = 0

    @property
    def image_id(self) -> int:
        raise NotImplementedError

    def _thumbnail(self, image_id: int) -> PILImage.Image | None:
        jpeg = self.engine.thumbnail(image_id)
        return decode(jpeg) if jpeg else None

    @property
    def faces(self) -> tuple[FaceRecord, ...]:
        return self.marks.faces if self.marks else ()

    @property
    def current(self) -> FaceRecord | None:
        return next((f for f in self.faces if f.id == self.face_id), None)

    def load(self) -> None:
        """Read the photo's faces, objects and thumbnail again, and draw them."""
        self.marks = self.engine.browse.marks(self.image_id)
        self.picture = self.thumbnails(self.image_id)
        faces = self.faces
        ids = [f.id for f in faces]
        if self.face_id in ids:
            self._index = ids.index(self.face_id)
        elif faces:      # first look, or the face left (not a face): its neighbour
            self._index = min(self._index, len(faces) - 1)
            self.face_id = ids[self._index]
        self.redraw()

    def redraw(self) -> None:
        marks = face_marks(self.faces, self.marks.size, self.face_id) if self.marks else []
        if self.show_objects and self.marks:
            marks = object_marks(self.marks.objects) + marks
        self.query_one(MarkedPhoto).show(self.picture, marks)
        self.show_caption()

    def show_caption(self) -> None:
        """Three lines: the highlighted face, the file, the keys."""
        path = printable(self.marks.record.path) if self.marks else f"#{self.image_id}"
        caption = self.face_line()
        keys = self.keys_line()
        caption.append(f"\n{path}{NO_THUMBNAIL if self.picture is None else ''}{self.where()}"
                       + (f"\n{keys}" if keys else ""), style="dim")
        self.query_one(self.CAPTION, Static).update(caption)

    def where(self) -> str:
        return " · esc close"

    def face_line(self) -> Text:
        """The highlighted face and the last decision, in one line."""
        faces, face = self.faces, self.current
        line = Text()
        if face is None:
            line.append("no faces on this photo", style="dim")
        else:
            line.append(f"face {self._index + 1}/{len(faces)}: ", style="bold")
            line.append(face_text(face))
        if self.last:
            line.append(f"  ·  {self.last}", style="green")
        return line

    def keys_line(self) -> str:
        """The keys that do something on this photo."""
        keys = [KEYS] if self.faces else []
        if self.marks and self.marks.objects:
            keys.append("o hide objects" if self.show_objects else "o objects")
        return " · ".join(keys)

    # -- actions ------------------------------------------------------------------------------
    def action_face(self, step: int) -> None:
        faces = self.faces
        if not faces:
            self.notify("no faces on this photo", severity="warning", timeout=3)
            return
        self._index = (self._index + step) % len(faces)
        self.face_id = faces[self._index].id
        self.redraw()

    def action_objects(self) -> None:
        if not (self.marks and self.marks.objects):
            self.notify("no object boxes on this photo: run the auto-tag tool with the object "
                        "detector", severity="warning", timeout=4)
            return
        self.show_objects = not self.show_objects
        self.redraw()

    def action_decide(self, decision: str) -> None:
        face = self.current
        if face is None:
            self.notify("no face here", severity="warning", timeout=3)
            return
        call = getattr(self.engine.faces, decision)
        self._run(lambda: call([face.id]))

    def action_name(self) -> None:
        face = self.current
        if face is None:
            self.notify("no face here", severity="warning", timeout=3)
            return
        faces = self.engine.faces

        def done(name: str | None) -> None:
            if name:
                self._run(lambda: faces.name([face.id], name))

        self.app.push_screen(PersonNameDialog(f"Name face {self._index + 1} of this photo",
                                              [p.name for p in faces.persons()]), done)

    def _run(self, action: Callable[[], str]) -> None:
        """One decision on the highlighted face; an engine error becomes a notification."""
        try:
            summary = action()
        except TermkamError as error:
            self.notify(printable(error), severity="warning", timeout=4, markup=False)
            return
        except Exception as error:      # e.g. the catalog stayed locked: keep the session
            log.exception("face decision failed")
            self.notify(f"the decision failed: {printable(error)}", severity="error",
                        timeout=6, markup=False)
            return
        self.last, self.decided = printable(summary), True
        self.load()
