"""`python -m wirewatch` runs the command line."""

from wirewatch.cli import app

if __name__ == "__main__":
    app()
