"""``gitopsgen report``: the estate as one self-contained HTML page (see :mod:`generator.estate.model`)."""
