"""The auto-tag part of the engine facade: tags per image, the user's verdicts, settings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from engine.catalog import Library, autotags, images
from engine.catalog import tags as tag_db
from engine.catalog import writeback as writeback_db
from engine.catalog.records import ImageRecord, TagRecord
from engine.catalog.tag_verdicts import TagVerdicts, tag_verdicts
from engine.errors import TermkamError
from engine.validation import tag_path
from models import vocabulary

from . import learning
from . import settings as tag_settings


class TagService:
    def __init__(self, library: Library, changed: Callable[[], None] = lambda: None) -> None:
        self.library, self._changed = library, changed

    def tagged_images(self, source: str | None = None
                      ) -> list[tuple[ImageRecord, list[TagRecord]]]:
        """Every catalogued image with its tags (of ``source``, or all), in path order."""
        tags = tag_db.all_image_tags(source)
        return [(record, tags.get(record.id, []))
                for record in sorted(images.list_images(status="ok"), key=lambda r: r.path)]

    def confirm(self, image_id: int, path: Sequence[str]) -> bool:
        """Make an auto tag the user's; False when the image has no such auto tag."""
        with self.library.writing():
            done = autotags.confirm_tag(image_id, self._tag_id(path))
            writeback_db.queue([image_id] if done else [])
        self._changed()
        return done

    def remove(self, image_id: int, path: Sequence[str]) -> bool:
        """Remove a tag from an image; a removed auto tag is never added back by a run."""
        with self.library.writing():
            done = autotags.remove_tag(image_id, self._tag_id(path))
            writeback_db.queue([image_id] if done else [])
        self._changed()
        return done

    def add(self, image_id: int, path: Sequence[str]) -> None:
        """Tag an image by hand."""
        checked = tag_path(path)
        with self.library.writing():
            autotags.add_user_tag(image_id, checked)
            writeback_db.queue([image_id])
        self._changed()

    @staticmethod
    def evaluation() -> list[tuple[TagVerdicts, float | None]]:
        """Each tag the models gave, with the user's verdicts on it and the minimum learnt
        from them (None when nothing was removed, or learning is off)."""
        verdicts = tag_verdicts()
        raised = learning.minimums(verdicts) if tag_settings.load().learn else {}
        return [(verdict, raised.get(verdict.tag)) for verdict in verdicts]

    def settings(self) -> tag_settings.TagSettings:
        return tag_settings.load()

    def set_setting(self, name: str, value: Any) -> Any:
        """Store one setting (checked); the value as stored."""
        return tag_settings.GROUP.update(self.library, name, value)

    @staticmethod
    def vocabulary(model_id: str | None = None) -> dict[str, list[str]]:
        """Tag groups and their tags (of one model, or all): the class choices."""
        return vocabulary.tag_tree(model_id)

    @staticmethod
    def _tag_id(path: Sequence[str]) -> int:
        wanted = tuple(path)
        for tid, known in tag_db.tag_paths().items():
            if known == wanted:
                return tid
        raise TermkamError(f"no tag {'/'.join(wanted)!r} in the catalog")
