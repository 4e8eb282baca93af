"""The on-disk index: embedders, the SQLite + FAISS store, and the incremental build pipeline."""
