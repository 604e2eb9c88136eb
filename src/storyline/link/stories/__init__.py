"""Stories: ``features`` and ``state`` feed the online clusterer (``cluster``), which ``scan``
runs over new articles in publication order; ``dates``, ``events`` and ``crosscheck`` make a
story's facts, and ``report`` gathers them for one story."""
