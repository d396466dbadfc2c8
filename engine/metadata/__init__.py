"""Photo metadata: reading (``read``) and writing back (``write``) through pyexiv2, the only
package that imports it (``exiv2`` holds the one lock every call takes)."""

from .read import EMPTY, PhotoMetadata, read_metadata
from .regions import FaceRegion
from .sidecar import read_sidecar, read_sidecar_for, sidecar_names

__all__ = ["EMPTY", "FaceRegion", "PhotoMetadata", "read_metadata", "read_sidecar",
           "read_sidecar_for", "sidecar_names"]
