"""The collection / folder tree with image counts (an album's count includes its sub-albums)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from engine.catalog.records import AlbumRecord
from engine.printable import printable

ALL = -1  # node data of "All photos"


@dataclass
class AlbumNode:
    album_id: int | None        # None: every photo
    label: str                  # what the filter bar shows
    count: int


class AlbumTree(Tree[AlbumNode]):
    DEFAULT_CSS = """
    AlbumTree { width: 28; height: 1fr; border: round $panel; padding: 0 1; }
    AlbumTree:focus { border: round $accent; }
    """
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("left,h", "collapse_or_parent", "Collapse", show=False),
        Binding("right,l", "expand", "Expand", show=False),
    ]

    @dataclass
    class Chosen(Message):
        """The cursor is on another album (``album_id`` None: all photos)."""

        tree: AlbumTree
        album_id: int | None
        label: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Library", id=id)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 2
        self._chosen: int | None = ALL
        self._loaded = False

    def show_albums(self, albums: Iterable[AlbumRecord], counts: Mapping[int, int]) -> None:
        """(Re)build the tree, keeping what was expanded and where the cursor was."""
        cursor = self.cursor_node.data.album_id if self.cursor_node and self.cursor_node.data \
            else None
        expanded = {n.data.album_id for n in self._nodes_below(self.root)
                    if n.is_expanded and n.data} if self._loaded else None
        present = [a for a in albums if a.status != "missing"]
        self.clear()
        total = sum(counts.get(a.id, 0) for a in present)
        everything = self.root.add_leaf(self._label("All photos", total),
                                        AlbumNode(None, "all photos", total))
        by_collection: dict[int, list[AlbumRecord]] = {}
        for album in present:
            by_collection.setdefault(album.collection_id, []).append(album)
        for group in by_collection.values():
            self._add_collection(sorted(group, key=lambda a: a.relpath), counts)
        nodes = list(self._nodes_below(self.root))
        for node in nodes:
            if node.data and node.children and (
                    node.data.album_id in expanded if expanded is not None
                    else node.parent is self.root or len(nodes) <= 60):
                node.expand()
        target = next((n for n in nodes if n.data and n.data.album_id == cursor), everything)
        self._loaded = True
        self.call_after_refresh(self._restore_cursor, target)

    def _restore_cursor(self, node: TreeNode[AlbumNode]) -> None:
        self.move_cursor(node, animate=False)

    def _add_collection(self, albums: list[AlbumRecord], counts: Mapping[int, int]) -> None:
        totals: dict[str, int] = {}
        for album in albums:  # an album's count includes everything below it
            parts = album.relpath.split(os.sep) if album.relpath else []
            for depth in range(len(parts) + 1):
                key = os.sep.join(parts[:depth])
                totals[key] = totals.get(key, 0) + counts.get(album.id, 0)
        nodes: dict[str, TreeNode[AlbumNode]] = {}
        for album in albums:
            parent_rel, _, name = album.relpath.rpartition(os.sep)
            count = totals.get(album.relpath, 0)
            if not album.relpath:
                shown = os.path.basename(album.path.rstrip(os.sep)) or album.path
                node = self.root.add(self._label(shown, count),
                                     AlbumNode(album.id, album.path, count))
            else:
                while parent_rel and parent_rel not in nodes:  # a folder with no album row
                    parent_rel = parent_rel.rpartition(os.sep)[0]
                parent = nodes.get(parent_rel, self.root)
                node = parent.add(self._label(name, count),
                                  AlbumNode(album.id, album.relpath, count))
            nodes[album.relpath] = node
        for node in nodes.values():
            if not node.children:
                node.allow_expand = False

    @staticmethod
    def _label(name: str, count: int) -> Text:
        text = Text(printable(name))
        text.append(f"  {count:,}", style="dim")
        return text

    def _nodes_below(self, node: TreeNode[AlbumNode]) -> Iterable[TreeNode[AlbumNode]]:
        for child in node.children:
            yield child
            yield from self._nodes_below(child)

    def labels(self) -> list[str]:
        """Every node as "indented name  count" (what the tree shows when fully expanded)."""
        def walk(node: TreeNode[AlbumNode], depth: int) -> Iterable[str]:
            for child in node.children:
                yield "  " * depth + str(child.label)
                yield from walk(child, depth + 1)
        return list(walk(self.root, 0))

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[AlbumNode]) -> None:
        event.stop()
        data = event.node.data
        if data is not None and data.album_id != self._chosen:
            self._chosen = data.album_id
            self.post_message(self.Chosen(self, data.album_id, data.label))

    def action_collapse_or_parent(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)

    def action_expand(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            node.expand()
