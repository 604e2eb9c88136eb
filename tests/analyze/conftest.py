import pytest

from storyline.analyze import Analyzer


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture(scope="session")
def analyze(analyzer):
    def run(text: str):
        return analyzer.analyze_text(text, "t")

    return run
