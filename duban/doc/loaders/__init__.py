"""One module per file format; ``duban.doc.load`` decides which one reads a file.

Each ``read_*(data, name) -> Source`` gets bytes already checked for size and,
for zip containers, for decompression bombs.
"""
