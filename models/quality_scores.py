"""What the quality detectors found for one image (the data, without the detectors)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from models.choices import QUALITY_DETECTORS as DETECTORS


@dataclass(frozen=True)
class QualityScores:
    """Defect scores in 0..1 (0 = none, 1 = strong; None = detector not run) and raw measures.

    - ``blur``: no sharp edges anywhere (focus or motion blur); 0.5 at a ``blur_ratio`` of
      0.72 (about a Gaussian blur of sigma 1.5 px at 1024 px). Sharp photos ~0.00-0.10.
    - ``noise``: sigma**2 / (sigma**2 + 5**2) of ``noise_sigma`` (grey levels, measured in
      the flattest areas, so texture does not count).
    - ``exposure``: from ``exposure_ev`` (the error in stops, both parts together, never
      below the worse of them); ``under_exposure`` / ``over_exposure`` are the two parts on
      the same scale. 0.5 at 2 stops; ``clipped_share`` is the share of blown pixels.
    - ``compression``: the stronger of the file's JPEG quality (``jpeg_quality``, IJG
      scale: q 75 ~0.01, q 35 = 0.5, q 15 ~0.9) and the 8x8 ``blockiness`` seen in the
      pixels (which also catches re-saved or converted JPEGs).
    - ``brisque``: the BRISQUE model's opinion, 0.5 at ``brisque_raw`` 45 (lower raw is
      better); 1.0 with ``brisque_raw`` None for an image without any contrast.

    ``working_size`` is (width, height) of the image blur, noise and exposure were measured on.
    """

    blur: float | None = None
    noise: float | None = None
    exposure: float | None = None
    under_exposure: float | None = None
    over_exposure: float | None = None
    compression: float | None = None
    brisque: float | None = None
    blur_ratio: float | None = None
    noise_sigma: float | None = None
    exposure_ev: float | None = None
    clipped_share: float | None = None
    jpeg_quality: int | None = None
    blockiness: float | None = None
    brisque_raw: float | None = None
    working_size: tuple[int, int] = (0, 0)

    def defects(self) -> dict[str, float]:
        """The detector scores that were computed, by detector name."""
        return {name: value for name in sorted(DETECTORS)
                if (value := getattr(self, name)) is not None}

    def as_dict(self) -> dict[str, object]:
        """Every field by name (for storing or printing)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
