"""The application shell: start-up, sign-in, first run, main window, settings, cheat sheet."""
