"""Benchmark results: ms per image and images/s per model and batch size."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual.widgets import DataTable

if TYPE_CHECKING:
    from engine.benchmark import BenchRow


class BenchTable(DataTable):
    DEFAULT_CSS = """
    BenchTable { height: auto; max-height: 16; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.results: list[BenchRow] = []

    def on_mount(self) -> None:
        for label, key in (("Model", "model"), ("Input", "input"), ("Batch", "batch"),
                           ("Images", "images"), ("ms/image", "ms"), ("images/s", "rate"),
                           ("Load s", "load")):
            self.add_column(label, key=key)

    def reset(self) -> None:
        self.clear()
        self.results = []

    def add(self, rows: Sequence[BenchRow]) -> None:
        for row in rows:
            self.results.append(row)
            self.add_row(row.model_id, row.input, str(row.batch_size), str(row.images),
                         f"{row.ms_per_image:.1f}", f"{row.images_per_s:.1f}",
                         f"{row.load_s:.2f}", key=f"{row.model_id}-{row.batch_size}")
        self.scroll_end(animate=False)  # the newest rows in view
