"""Running the pipeline: the loops that take inputs through ingest and analysis into the Store.

``common`` holds what callers need without loading any step (batch sizes, the analyzer
version, the run reports and errors); ``ingest`` reads and stores inputs; ``analyze`` runs the
analyzer over stored articles in batches; ``files`` analyses input files without a store.
"""
