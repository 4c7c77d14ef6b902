"""Real-browser tests (a package, so that test modules may share basenames with tests/widgets/)."""
