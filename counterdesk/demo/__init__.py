"""Demo data of every capability (a demo hall for training and the tests), seeded by ``setup``."""
