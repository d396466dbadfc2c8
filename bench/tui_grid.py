"""Albums pane benchmark: open the pane on 10,000+ photos and page through all of them.

The library is the real sample photos scanned (real thumbnails) plus --images synthetic catalog
rows that share those thumbnails, so the grid decodes and draws real pictures. Figures: time to
open the pane (app start to a bound grid), pagedown through everything (total, per page, worst),
`end` and `home`, 200 arrow moves, and the number of mounted widgets (thumbnail cells and all
widgets) before and after: bounded by the viewport, not by the number of photos.

    .venv/bin/python bench/tui_grid.py [--images 10000] [--size 160x50] [--protocol halfcell]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.app import App, ComposeResult  # noqa: E402

from engine import samples  # noqa: E402
from engine.catalog import images, thumbs  # noqa: E402
from engine.engine import Engine  # noqa: E402


def add_synthetic_images(engine: Engine, count: int, album: str = "synthetic",
                         batch: int = 1000) -> list[int]:
    """``count`` catalog rows in a new album of the first collection, each given the real
    thumbnail of one of the already scanned photos (round robin). Returns their ids."""
    real = [r for r in engine.images(status="ok") if engine.thumbnail(r.id)]
    if not real:
        raise RuntimeError("scan real photos first: the synthetic rows borrow their thumbnails")
    jpegs = [(r.width or 256, r.height or 256, engine.thumbnail(r.id) or b"") for r in real]
    collection = images.collections()[0].id
    ids: list[int] = []
    with engine.library.writing():
        album_id = images.add_albums(collection, [album])[album]
    for start in range(0, count, batch):
        with engine.library.writing():
            ids += [images.insert_image(album_id, f"img{n:05d}.jpg", {
                "kind": "image", "format": "jpeg", "size": 2_000_000 + n, "mtime_ns": n,
                "width": jpegs[n % len(jpegs)][0], "height": jpegs[n % len(jpegs)][1],
                "taken_at": f"2024-01-01T00:{(n // 60) % 60:02d}:{n % 60:02d}", "status": "ok"})
                for n in range(start, min(start + batch, count))]
    with thumbs.writing():
        thumbs.put_thumbs((iid, 256, 256, jpegs[n % len(jpegs)][2]) for n, iid in enumerate(ids))
    return ids


def build_library(base: Path, count: int) -> Path:
    """Sample photos in two albums, scanned, plus ``count`` synthetic rows."""
    photos = base / "photos"
    for name, keys in (("faces", samples.fetch_set("faces")),
                       ("objects", samples.fetch_set("objects"))):
        (photos / name).mkdir(parents=True, exist_ok=True)
        for key, path in keys.items():
            shutil.copy2(path, photos / name / Path(key).name)
    with Engine(base / "library") as engine:
        result = engine.scan([str(photos)]).wait(300)
        if result is None or result.state != "done":
            raise RuntimeError(f"scan failed: {result}")
        add_synthetic_images(engine, count)
    return base / "library"


def pane_app(engine: Engine, protocol: str) -> App:
    """The Albums pane alone in an app (the other panes' work stays out of the figures)."""
    from tui.panes.albums import AlbumsPane

    class AlbumsOnly(App):
        def __init__(self) -> None:
            super().__init__()
            self.engine, self.image_protocol = engine, protocol

        def compose(self) -> ComposeResult:
            yield AlbumsPane(engine, id="albums-pane")

        def on_mount(self) -> None:
            self.query_one(AlbumsPane).focus_default()

    return AlbumsOnly()


async def measure(library: Path, size: tuple[int, int], protocol: str,
                  full_app: bool) -> dict[str, float]:
    from tui.app import TermkamApp
    from tui.widgets.thumb_cell import ThumbCell
    from tui.widgets.thumb_grid import ThumbGrid

    figures: dict[str, float] = {}
    engine = Engine(library)
    start = time.perf_counter()
    app = TermkamApp(engine, image_protocol=protocol) if full_app else pane_app(engine, protocol)
    async with app.run_test(size=size) as pilot:
        grid = app.query_one(ThumbGrid)
        while not (grid.ids and grid.cells and grid.binds):
            await asyncio.sleep(0.005)
        await pilot.pause()
        figures["open_s"] = time.perf_counter() - start
        figures["photos"] = len(grid.ids)
        figures["cells"] = len(grid.cells)
        figures["widgets_start"] = len(list(app.query("*")))

        cpu: list[float] = []

        async def timed(key: str) -> float:
            """Wall time until the pilot sees the app idle; CPU time goes to ``cpu``."""
            t, c = time.perf_counter(), time.process_time()
            await pilot.press(key)
            await pilot.pause()
            cpu.append(time.process_time() - c)
            return time.perf_counter() - t

        pages: list[float] = []
        t0 = time.perf_counter()
        while grid.cursor < len(grid.ids) - 1:
            pages.append(await timed("pagedown"))
        figures["pagedown_all_s"] = time.perf_counter() - t0
        figures["pages"] = len(pages)
        figures["page_median_ms"] = statistics.median(pages) * 1000
        figures["page_worst_ms"] = max(pages) * 1000
        figures["page_cpu_median_ms"] = statistics.median(cpu) * 1000
        figures["page_cpu_worst_ms"] = max(cpu) * 1000
        figures["home_ms"] = await timed("home") * 1000
        figures["home_cpu_ms"] = cpu[-1] * 1000
        figures["end_ms"] = await timed("end") * 1000
        figures["end_cpu_ms"] = cpu[-1] * 1000
        cpu.clear()
        moves = [await timed("left") for _ in range(200)]
        figures["arrow_median_ms"] = statistics.median(moves) * 1000
        figures["arrow_cpu_median_ms"] = statistics.median(cpu) * 1000
        cpu.clear()
        idle = [await timed("f12") for _ in range(50)]  # an unbound key: the pilot's own cost
        figures["noop_median_ms"] = statistics.median(idle) * 1000
        figures["noop_cpu_median_ms"] = statistics.median(cpu) * 1000
        figures.update(await held_key(app, pilot, grid, "pagedown", 60))
        figures["widgets_end"] = len(list(app.query("*")))
        figures["cells_end"] = len(list(app.query(ThumbCell)))
        figures["decoded"] = app.query_one("#albums-pane").thumbs.decoded  # type: ignore[attr-defined]
    engine.close()
    return figures


async def held_key(app: App, pilot: Any, grid: Any, key: str, count: int,
                   rate: float = 30.0) -> dict[str, float]:
    """A key held down: ``count`` presses at ``rate`` per second sent from another thread, as a
    terminal's auto-repeat arrives through the driver; then the time until the last page is
    complete (captions and pictures)."""
    from textual import events

    await pilot.press("home")
    await pilot.pause()
    binds, cursor, drawn = grid.binds, grid.cursor, grid.pictures_drawn
    driver = app._driver
    assert driver is not None

    def repeat() -> None:
        for _ in range(count):
            event = events.Key(key, None)
            event.set_sender(app)
            driver.send_message(event)
            time.sleep(1 / rate)

    start = time.perf_counter()
    sender = threading.Thread(target=repeat)
    sender.start()
    while sender.is_alive():
        await asyncio.sleep(0.01)
    sent = time.perf_counter()
    target = min(cursor + count * grid.columns * grid.rows, len(grid.ids) - 1)
    while grid.cursor != target or grid.pictures_pending:
        await asyncio.sleep(0.005)
    await pilot.pause()
    return {"held_keys": count, "held_send_s": sent - start,
            "held_settle_ms": (time.perf_counter() - sent) * 1000,
            "held_pages_moved": (grid.cursor - cursor) / max(1, grid.columns * grid.rows),
            "held_rebinds": grid.binds - binds, "held_picture_draws": grid.pictures_drawn - drawn}


def key_rate(f: dict[str, float]) -> str:
    return (f"pagedown held ({f['held_keys']:.0f} repeats at 30/s, {f['held_send_s']:.2f} s): "
            f"{f['held_pages_moved']:.0f} pages moved, {f['held_rebinds']:.0f} re-binds, "
            f"pictures drawn {f['held_picture_draws']:.0f} times, last page complete "
            f"{f['held_settle_ms']:.0f} ms after the last key")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=10_000)
    parser.add_argument("--size", default="160x50", help="terminal COLSxROWS")
    parser.add_argument("--protocol", default="halfcell",
                        choices=("halfcell", "unicode", "sixel", "kitty"))
    parser.add_argument("--full-app", action="store_true",
                        help="run the whole termkam app (all four panes) instead of the pane")
    args = parser.parse_args(argv)
    columns, rows = (int(v) for v in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory(prefix="termkam-tui-bench-") as tmp:
        t = time.perf_counter()
        library = build_library(Path(tmp), args.images)
        print(f"library: {args.images:,} synthetic + sample photos in "
              f"{time.perf_counter() - t:.1f} s")
        f = asyncio.run(measure(library, (columns, rows), args.protocol, args.full_app))
    what = "whole app" if args.full_app else "Albums pane alone"
    print(f"{what}, terminal {columns}x{rows}, {args.protocol}: {f['photos']:,.0f} photos, "
          f"{f['cells']:.0f} thumbnail cells mounted")
    print(f"open the Albums pane: {f['open_s'] * 1000:.0f} ms")
    print("per key: wall time until the pilot sees the app idle / CPU time of the process")
    print(f"pagedown through everything: {f['pages']:.0f} pages in {f['pagedown_all_s']:.2f} s; "
          f"per page median {f['page_median_ms']:.1f} / {f['page_cpu_median_ms']:.1f} ms, "
          f"worst {f['page_worst_ms']:.1f} / {f['page_cpu_worst_ms']:.1f} ms")
    print(f"home {f['home_ms']:.1f} / {f['home_cpu_ms']:.1f} ms, "
          f"end {f['end_ms']:.1f} / {f['end_cpu_ms']:.1f} ms, "
          f"arrow move median {f['arrow_median_ms']:.1f} / {f['arrow_cpu_median_ms']:.1f} ms, "
          f"unbound key (pilot cost) {f['noop_median_ms']:.1f} / {f['noop_cpu_median_ms']:.1f} ms")
    print(f"{key_rate(f)}")
    print(f"mounted widgets: {f['widgets_start']:.0f} at start, {f['widgets_end']:.0f} after "
          f"paging ({f['cells_end']:.0f} thumbnail cells); thumbnails decoded: "
          f"{f['decoded']:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
