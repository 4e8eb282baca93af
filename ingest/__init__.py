"""Pure ingestion: files and posted announcements in, `Document`s and `Chunk`s out.

Nothing here touches storage; `index/` drives these functions.
"""
