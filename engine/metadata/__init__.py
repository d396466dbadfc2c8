"""Photo metadata: reading (``read``) and writing back (``write``) through pyexiv2, the only
package that imports it (``exiv2`` holds the one lock every call takes)."""

from .read import EMPTY, FaceRegion, PhotoMetadata, read_metadata, read_sidecar_for

__all__ = ["EMPTY", "FaceRegion", "PhotoMetadata", "read_metadata", "read_sidecar_for"]
