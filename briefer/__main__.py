from .cli import main

main(prog_name="briefer")  # `python -m briefer` is `briefer`: the same usage lines and completion
