"""Sources -> Article: read inputs of every supported shape and clean them into articles."""
