"""Static files: WhiteNoise serves them compressed under hashed names once ``duban serve`` has collected them."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class Storage(CompressedManifestStaticFilesStorage):
    """Hashed names from the manifest; a file not collected yet keeps its plain name (tests, ``--dev``)."""

    manifest_strict = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            return name
