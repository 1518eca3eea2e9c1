from .cli import run

run()  # `python -m briefer` is `briefer`: the same usage lines and completion
